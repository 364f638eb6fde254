import { GoPackageError } from './errors';
import type { GoBinary } from '../../contracts/go-build-plan';
export type { GoBinary };

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Go import path elements: letters, digits and a few punctuation marks, never empty or dot-led.
const PATH_ELEMENT = /^[A-Za-z0-9_~+-][A-Za-z0-9._~+-]*$/;

/**
 * Checks binaries at synth: safe, unique file names, and import paths that at least lie inside one of
 * the modules the package's sources come from. Whether the package exists there is only known once the
 * pinned modules are on disk, so the cross-compile step checks that (with `go list`) before building.
 */
export function validateBinaries(where: string, binaries: readonly GoBinary[], modules: readonly string[]): void {
  if (binaries.length === 0) throw new GoPackageError(where, 'binaries', 'an empty list', 'at least one binary');
  const names = new Set<string>();
  binaries.forEach((b, i) => {
    if (!FILE_NAME.test(b.name)) {
      throw new GoPackageError(where, `binaries[${i}].name`, JSON.stringify(b.name), 'a plain file name (letters, digits, ".", "_", "-")');
    }
    if (names.has(b.name)) throw new GoPackageError(where, `binaries[${i}].name`, JSON.stringify(b.name), 'a name not used by another binary');
    names.add(b.name);
    if (!b.importPath.split('/').every((el) => PATH_ELEMENT.test(el))) {
      throw new GoPackageError(where, `binaries[${i}].importPath`, JSON.stringify(b.importPath), 'a Go import path such as code.cloudfoundry.org/healthcheck/cmd/healthcheck');
    }
    if (!modules.some((m) => b.importPath === m || b.importPath.startsWith(`${m}/`))) {
      throw new GoPackageError(
        where,
        `binaries[${i}].importPath`,
        JSON.stringify(b.importPath),
        `a package inside one of the source modules (${modules.length === 0 ? 'none declared' : modules.join(', ')})`,
      );
    }
  });
}
