/**
 * The one error shape users see for bad input, from a lab file, an upstream file or a construct's props:
 * `<where>[:<line>]: <path>: found <found>, expected <expected> (fix: <fix>)`. `where` is the file (or,
 * for a construct, its construct path), `path` the place inside it (e.g. `cells[2].arch`). A value that
 * may be a credential never goes into `found`: say what it is instead ("a literal value (not shown)").
 * runCli prints it as one line, exit 2. A bug in the wiring (a part asking for what another part did
 * not make) stays a plain Error: its stack trace is what the developer needs.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly found: string,
    readonly expected: string,
    readonly line?: number,
    readonly fix?: string,
  ) {
    super(formatInputError(file, path, found, expected, line, fix));
    this.name = 'InputError';
  }

  // One factory per situation, so a throw site reads as what went wrong and never mixes up the four
  // strings by position. Code outside this file builds InputErrors only through these.

  /** A value at a place in a file (or a command line, or a construct's input) that is not what it must be. */
  static at(p: InputProblem): InputError {
    return new InputError(p.file, p.path, p.found, p.expected, p.line, p.fix);
  }

  /** A cf-deployment manifest (the base, or the control plane made from it) lacks what the plan builds on. */
  static inManifest(manifest: 'base manifest' | 'control-plane manifest', path: string, found: string, expected: string, fix: string): InputError {
    return new InputError(manifest, path, found, expected, undefined, fix);
  }

  /** A go-patch path that cannot address anything. */
  static goPatchPath(path: string, found: string, expected: string, fix: string): InputError {
    return new InputError('go-patch path', path, found, expected, undefined, fix);
  }

  /** A construct given props or a place in the tree it cannot work with; `where` is its construct path. */
  static ofConstruct(where: string, prop: string, found: string, expected: string, fix?: string): InputError {
    return new InputError(where, prop, found, expected, undefined, fix);
  }

  /** An entry of lab.lock.json with the wrong shape. */
  static inLock(path: string, found: string, expected: string, fix: string): InputError {
    return new InputError('lab.lock.json', path, found, expected, undefined, fix);
  }

  /** A file or directory of the checkout itself is not where it must be: run from somewhere else. */
  static outsideCheckout(where: string, path: string, found: string, expected: string, fix: string): InputError {
    return new InputError(where, path, found, expected, undefined, fix);
  }
}

/** The facts of one input problem, by name. */
export interface InputProblem {
  readonly file: string;
  readonly path: string;
  readonly found: string;
  readonly expected: string;
  readonly line?: number;
  readonly fix?: string;
}

/** Bad input in a lab file (lab.yaml, lab.lock.json, a package list) or in the lab's environment. */
export class LabError extends InputError {
  constructor(file: string, path: string, found: string, expected: string, line?: number, fix?: string) {
    super(file, path, found, expected, line, fix);
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

function formatInputError(file: string, path: string, found: string, expected: string, line?: number, fix?: string): string {
  const where = line === undefined ? file : `${file}:${line}`;
  const at = path === '' ? '(document)' : path;
  return `${where}: ${at}: found ${found}, expected ${expected}${fix ? ` (fix: ${fix})` : ''}`;
}
