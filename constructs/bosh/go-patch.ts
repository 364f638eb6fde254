import { InputError } from '../../lab/errors';
import type { GoPatchOp, PathToken } from './ops-file';
import { parsePath } from './ops-file';

/**
 * Applies go-patch operations in memory, following the semantics of the go-patch library the bosh CLI
 * uses (checked against `bosh interpolate` in test/e2e). The synth needs this to see the control plane
 * exactly as the director will — for the consistency check, `npm run placement` and the interpolated
 * manifest — without shelling out to bosh. The input is not modified.
 */
export function applyOps(doc: unknown, ops: readonly GoPatchOp[], source = 'ops'): unknown {
  let out = structuredClone(doc);
  ops.forEach((op, i) => {
    try {
      out = op.type === 'replace' ? replace(out, parsePath(op.path), structuredClone(op.value)) : remove(out, parsePath(op.path));
    } catch (err) {
      // the reason keeps go-patch's own wording, so it reads like `bosh interpolate` on the same ops
      throw InputError.at({ file: source, path: `[${i}] (${op.type} ${op.path})`, found: `an operation that does not apply: ${(err as Error).message}`, expected: 'a path the document has, or one marked optional with ?', fix: 'regenerate the ops against this manifest, or mark the missing part optional' });
    }
  });
  return out;
}

/** Reads the value at a go-patch path (no `-`, no optional creation), like `bosh interpolate --path`. */
export function findPath(doc: unknown, path: string): unknown {
  const tokens = parsePath(path);
  if (tokens.length === 0) return doc;
  try {
    // `?` is ignored and only existing things are found; a negative index counts as not found.
    if (tokens.some((t) => t.kind === 'index' && t.index < 0)) throw new Error('negative index');
    const slot = locate(walk(doc, tokens, 'fail'));
    if (!slot.present) throw new Error('nothing there');
    return read(slot);
  } catch {
    throw InputError.at({ file: 'document', path, found: 'nothing at the path', expected: 'an existing value (bosh interpolate --path finds only what is there)' });
  }
}

function replace(doc: unknown, tokens: PathToken[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  write(locate(walk(doc, tokens, 'create')), value);
  return doc;
}

function remove(doc: unknown, tokens: PathToken[]): unknown {
  if (tokens.length === 0) throw new Error('cannot remove the document root');
  const target = walk(doc, tokens, 'skip');
  if (target === undefined) return doc;
  if (target.token.kind === 'append') throw new Error(`cannot remove '-' at path '${target.at}'`);
  const slot = locate(target);
  if (!slot.present) return doc;
  if (slot.kind === 'entry') delete slot.map[slot.key];
  else slot.list.splice(slot.index, 1);
  return doc;
}

type Obj = Record<string, unknown>;

/**
 * What to do with an absent optional container on the way: create it (replace), stop (remove: nothing
 * to remove), or treat `?` as absent so every token must exist (find).
 */
type OnAbsent = 'create' | 'skip' | 'fail';

/** A token and the container it is looked up in, with whether it is optional (sticky `?`) there. */
interface Target {
  readonly parent: unknown;
  readonly token: PathToken;
  readonly at: string;
  readonly optional: boolean;
}

/** Where a token points in its container; `present` is false for an absent optional key or item, and for `-`. */
type Slot =
  | { readonly kind: 'entry'; readonly map: Obj; readonly key: string; readonly present: boolean }
  | { readonly kind: 'item'; readonly list: unknown[]; readonly index: number; readonly present: boolean };

/**
 * Walks to the container of the last token. `create` and `fail` always get there (they create or throw);
 * `skip` returns undefined when an optional container on the way is absent.
 */
function walk(doc: unknown, tokens: readonly PathToken[], onAbsent: 'create' | 'fail'): Target;
function walk(doc: unknown, tokens: readonly PathToken[], onAbsent: OnAbsent): Target | undefined;
function walk(doc: unknown, tokens: readonly PathToken[], onAbsent: OnAbsent): Target | undefined {
  let parent = doc;
  let optional = false;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    const at = shown(tokens, i);
    optional = onAbsent !== 'fail' && sticky(optional, token);
    const slot = locate({ parent, token, at, optional });
    if (slot.present) parent = read(slot);
    else if (onAbsent === 'create') parent = create(slot, token, tokens[i + 1], at);
    else return undefined;
  }
  const last = tokens.length - 1;
  return { parent, token: tokens[last], at: shown(tokens, last), optional: onAbsent !== 'fail' && sticky(optional, tokens[last]) };
}

/** go-patch's `?` is sticky: once a token is optional, every token after it is too. */
function sticky(optional: boolean, t: PathToken): boolean {
  return optional || ((t.kind === 'key' || t.kind === 'match') && t.optional);
}

/** Finds a token in its container, with go-patch's errors for wrong types, missing keys/items and bounds. */
function locate({ parent, token: t, at, optional }: Target): Slot {
  if (t.kind === 'key') {
    if (!isMap(parent)) throw new Error(`Expected to find a map at path '${at}' but found '${describe(parent)}'`);
    const present = t.key in parent;
    if (!present && !optional) throw new Error(`Expected to find a map key '${t.key}' for path '${at}' (found map keys: ${keys(parent)})`);
    return { kind: 'entry', map: parent, key: t.key, present };
  }
  if (!Array.isArray(parent)) throw new Error(`Expected to find an array at path '${at}' but found '${describe(parent)}'`);
  const afterLast = { kind: 'item', list: parent, index: parent.length, present: false } as const;
  if (t.kind === 'append') return afterLast;
  if (t.kind === 'match') {
    const idx = matches(parent, t.key, t.value);
    if (idx.length === 0 && optional) return afterLast;
    if (idx.length !== 1) throw new Error(`Expected to find exactly one matching array item for path '${at}' but found ${idx.length}`);
    return { kind: 'item', list: parent, index: idx[0], present: true };
  }
  const n = t.index < 0 ? parent.length + t.index : t.index;
  if (n < 0 || n >= parent.length) throw new Error(`Expected to find array index '${t.index}' but found array of length '${parent.length}' for path '${at}'`);
  return { kind: 'item', list: parent, index: n, present: true };
}

function read(slot: Slot): unknown {
  return slot.kind === 'entry' ? slot.map[slot.key] : slot.list[slot.index];
}

/** Sets the slot's value; an absent item slot sits after the last item, so this appends. */
function write(slot: Slot, value: unknown): void {
  if (slot.kind === 'entry') slot.map[slot.key] = value;
  else slot.list[slot.index] = value;
}

/** Fills an absent optional container on the way: an item carrying the selector, or what the next token needs. */
function create(slot: Slot, token: PathToken, next: PathToken, at: string): unknown {
  const child = token.kind === 'match' ? { [token.key]: token.value } : containerFor(next, at);
  write(slot, child);
  return child;
}

/** What go-patch creates for a missing optional container: a list before `-`/`k=v`, a map before a key. */
function containerFor(next: PathToken, path: string): unknown {
  if (next.kind === 'append' || next.kind === 'match') return [];
  if (next.kind === 'key') return {};
  throw new Error(`cannot create a container for an index token at ${path}`);
}

function isMap(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function matches(arr: unknown[], key: string, value: string): number[] {
  const idx: number[] = [];
  arr.forEach((item, i) => {
    if (isMap(item) && item[key] === value) idx.push(i);
  });
  return idx;
}

function shown(tokens: readonly PathToken[], upto: number): string {
  return (
    '/' +
    tokens
      .slice(0, upto + 1)
      .map((t) => (t.kind === 'key' ? t.key : t.kind === 'match' ? `${t.key}=${t.value}` : t.kind === 'index' ? String(t.index) : '-'))
      .join('/')
  );
}

function keys(o: Obj): string {
  return Object.keys(o)
    .sort()
    .map((k) => `'${k}'`)
    .join(', ');
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}
