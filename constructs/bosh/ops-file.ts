import { InputError } from '../../lab/errors';
import { renderYaml } from './yaml';

/**
 * One token of a go-patch path. `optional` is the trailing `?`: in go-patch it is sticky, so every token
 * after an optional one is optional too (missing maps/array items are created on replace, and a remove
 * through a missing part is a no-op).
 */
export type PathToken =
  | { readonly kind: 'key'; readonly key: string; readonly optional: boolean }
  | { readonly kind: 'match'; readonly key: string; readonly value: string; readonly optional: boolean }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'append' };

export interface ReplaceOp {
  readonly type: 'replace';
  readonly path: string;
  readonly value: unknown;
}

export interface RemoveOp {
  readonly type: 'remove';
  readonly path: string;
}

export type GoPatchOp = ReplaceOp | RemoveOp;

/** Builds a path from tokens so escaping (`~0`, `~1`) and selector syntax live in one place. */
export class OpsPath {
  private constructor(readonly tokens: readonly PathToken[]) {}

  static root(): OpsPath {
    return new OpsPath([]);
  }

  /** `/key` or `/key?` */
  key(key: string, optional = false): OpsPath {
    return this.with({ kind: 'key', key, optional });
  }

  /** `/name=value` (or `/key=value?`): the one array item whose `key` equals `value`. */
  match(key: string, value: string, optional = false): OpsPath {
    return this.with({ kind: 'match', key, value, optional });
  }

  /** `/name=value` shorthand, the form cf-deployment's own ops-files use. */
  named(value: string, optional = false): OpsPath {
    return this.match('name', value, optional);
  }

  index(index: number): OpsPath {
    return this.with({ kind: 'index', index });
  }

  /** `/-`: after the last array item (replace only, last token only). */
  append(): OpsPath {
    return this.with({ kind: 'append' });
  }

  toString(): string {
    return this.tokens.map((t) => `/${formatToken(t)}`).join('') || '/';
  }

  private with(t: PathToken): OpsPath {
    if (this.tokens.some((x) => x.kind === 'append')) throw InputError.goPatchPath(this.toString(), 'a token after -', "'-' as the last token only", GO_PATCH_FIX);
    return new OpsPath([...this.tokens, t]);
  }
}

const GO_PATCH_FIX = 'build the path with OpsPath (see go-patch path syntax: /key, /name=value, /0, /- last)';

export function replaceOp(path: OpsPath, value: unknown): ReplaceOp {
  return { type: 'replace', path: path.toString(), value };
}

export function removeOp(path: OpsPath): RemoveOp {
  if (path.tokens.some((t) => t.kind === 'append')) throw InputError.goPatchPath(path.toString(), 'a remove of -, which names no element', 'a path to an existing element', GO_PATCH_FIX);
  return { type: 'remove', path: path.toString() };
}

/** An ops-file is a YAML list of operations, each rendered `type, path, value` like upstream's. */
export function renderOpsFile(ops: readonly GoPatchOp[]): string {
  return renderYaml(ops, ['type', 'path', 'value']);
}

function escape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function formatToken(t: PathToken): string {
  switch (t.kind) {
    case 'key':
      return `${escape(t.key)}${t.optional ? '?' : ''}`;
    case 'match':
      return `${escape(t.key)}=${escape(t.value)}${t.optional ? '?' : ''}`;
    case 'index':
      return String(t.index);
    case 'append':
      return '-';
  }
}

/**
 * Parses a go-patch path, with go-patch's rules: a bare integer is an index, `-` (last token only) is
 * after-last, `k=v` selects by value, anything else is a map key, `?` marks the token (and, in
 * application, everything after it) optional.
 */
export function parsePath(path: string): PathToken[] {
  if (path === '/' || path === '') return [];
  if (!path.startsWith('/')) throw InputError.goPatchPath(path, 'no leading /', 'a path starting with /', GO_PATCH_FIX);
  const raw = path.slice(1).split('/');
  return raw.map((tok, i): PathToken => {
    if (tok === '-') {
      if (i !== raw.length - 1) throw InputError.goPatchPath(path, 'a token after -', "'-' as the last token only", GO_PATCH_FIX);
      return { kind: 'append' };
    }
    if (/^-?\d+$/.test(tok)) return { kind: 'index', index: Number(tok) };
    const optional = tok.endsWith('?');
    const body = optional ? tok.slice(0, -1) : tok;
    const eq = body.indexOf('=');
    if (eq > 0) return { kind: 'match', key: unescape(body.slice(0, eq)), value: unescape(body.slice(eq + 1)), optional };
    return { kind: 'key', key: unescape(body), optional };
  });
}
