/**
 * A Go package that cannot be built as declared: names the construct, the prop path (e.g.
 * `target.goarch`, `binaries[1].importPath`), what was found and what was expected.
 */
export class GoPackageError extends Error {
  constructor(
    readonly where: string,
    readonly path: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(`${where}: ${path}: found ${found}, expected ${expected}`);
    this.name = 'GoPackageError';
  }
}
