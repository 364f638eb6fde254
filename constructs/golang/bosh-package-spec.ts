import type { BoshPackageSpec } from '../../contracts/go-build-plan';
export type { BoshPackageSpec };
/** Renders a spec in the shape upstream releases use; order is kept as given because BOSH reads it as written. */
export function renderPackageSpec(spec: BoshPackageSpec): string {
  const list = (items: readonly string[]): string => items.map((i) => `  - ${i}\n`).join('');
  return ['---\n', `name: ${spec.name}\n`, '\n', 'dependencies:\n', list(spec.dependencies), '\n', 'files:\n', list(spec.files)].join('');
}
