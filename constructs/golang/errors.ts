import { InputError } from '../../lab/errors';

/**
 * A Go package that cannot be built as declared: the project's one error shape, with the construct path as
 * `where` and the prop path (e.g. `target.goarch`, `binaries[1].importPath`) as `path`.
 */
export class GoPackageError extends InputError {
  constructor(where: string, path: string, found: string, expected: string, fix?: string) {
    super(where, path, found, expected, undefined, fix);
    this.name = 'GoPackageError';
  }
}
