/**
 * Front door of the plan module: the content-hash-triggered plan step, the plan graph (plan.json, step
 * commands) and the artifact store. See README.md.
 */
export * from './artifacts';
export * from './plan-graph';
export * from './plan-step';
export * from './step-arguments';
