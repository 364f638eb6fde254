/** A BOSH package spec: name, the packages it needs at compile time, and file globs relative to the release's src/. */
export interface BoshPackageSpec {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly files: readonly string[];
}

/** Renders a spec in the shape upstream releases use; order is kept as given because BOSH reads it as written. */
export function renderPackageSpec(spec: BoshPackageSpec): string {
  const list = (items: readonly string[]): string => items.map((i) => `  - ${i}\n`).join('');
  return ['---\n', `name: ${spec.name}\n`, '\n', 'dependencies:\n', list(spec.dependencies), '\n', 'files:\n', list(spec.files)].join('');
}
