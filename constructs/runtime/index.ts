// constructs/runtime: the releases a Pi cell runs beside the rep, built from pinned upstream trees.
export * from './recipe';
export * from './recipes';
export * from './runtime-release';
export * from './garden-runc-recipe';
