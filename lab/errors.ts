/**
 * The one error type users see for bad input: it names the file, the line when known, the path inside
 * the document (e.g. `cells[2].arch`), what was found and what was expected, and how to fix it.
 */
export class LabError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly found: string,
    readonly expected: string,
    readonly line?: number,
    readonly fix?: string,
  ) {
    super(formatLabError(file, path, found, expected, line, fix));
    this.name = 'LabError';
  }
}

/** Several problems found in one pass: reported together so a user fixes them in one go. */
export class LabErrors extends LabError {
  constructor(readonly errors: readonly LabError[]) {
    super(errors[0].file, errors[0].path, errors[0].found, errors[0].expected, errors[0].line, errors[0].fix);
    this.message = errors.map((e) => e.message).join('\n');
    this.name = 'LabErrors';
  }
}

function formatLabError(file: string, path: string, found: string, expected: string, line?: number, fix?: string): string {
  const where = line === undefined ? file : `${file}:${line}`;
  const at = path === '' ? '(document)' : path;
  return `${where}: ${at}: found ${found}, expected ${expected}${fix ? ` (fix: ${fix})` : ''}`;
}
