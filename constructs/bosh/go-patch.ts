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
      throw new Error(`operation [${i}] in ${source} failed: ${(err as Error).message}`);
    }
  });
  return out;
}

type Obj = Record<string, unknown>;

function isMap(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
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

function matches(arr: unknown[], key: string, value: string): number[] {
  const idx: number[] = [];
  arr.forEach((item, i) => {
    if (isMap(item) && item[key] === value) idx.push(i);
  });
  return idx;
}

/** What go-patch creates for a missing optional container: a list before `-`/`k=v`, a map before a key. */
function containerFor(next: PathToken, path: string): unknown {
  if (next.kind === 'append' || next.kind === 'match') return [];
  if (next.kind === 'key') return {};
  throw new Error(`cannot create a container for an index token at ${path}`);
}

function replace(doc: unknown, tokens: PathToken[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  let obj: unknown = doc;
  let optional = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const last = i === tokens.length - 1;
    const at = shown(tokens, i);
    if (t.kind !== 'index' && t.kind !== 'append') optional = optional || t.optional;
    switch (t.kind) {
      case 'key': {
        if (!isMap(obj)) throw new Error(`Expected to find a map at path '${at}' but found '${describe(obj)}'`);
        if (!(t.key in obj) && !optional) throw new Error(`Expected to find a map key '${t.key}' for path '${at}' (found map keys: ${keys(obj)})`);
        if (last) {
          obj[t.key] = value;
          return doc;
        }
        if (!(t.key in obj)) obj[t.key] = containerFor(tokens[i + 1], at);
        obj = obj[t.key];
        break;
      }
      case 'match': {
        if (!Array.isArray(obj)) throw new Error(`Expected to find an array at path '${at}' but found '${describe(obj)}'`);
        const idx = matches(obj, t.key, t.value);
        if (idx.length === 0 && optional) {
          const item = last ? value : { [t.key]: t.value };
          obj.push(item);
          if (last) return doc;
          obj = item;
          break;
        }
        if (idx.length !== 1) throw new Error(`Expected to find exactly one matching array item for path '${at}' but found ${idx.length}`);
        if (last) {
          obj[idx[0]] = value;
          return doc;
        }
        obj = obj[idx[0]];
        break;
      }
      case 'index': {
        if (!Array.isArray(obj)) throw new Error(`Expected to find an array at path '${at}' but found '${describe(obj)}'`);
        const n = t.index < 0 ? obj.length + t.index : t.index;
        if (n < 0 || n >= obj.length) throw new Error(`Expected to find array index '${t.index}' but found array of length '${obj.length}' for path '${at}'`);
        if (last) {
          obj[n] = value;
          return doc;
        }
        obj = obj[n];
        break;
      }
      case 'append': {
        if (!Array.isArray(obj)) throw new Error(`Expected to find an array at path '${at}' but found '${describe(obj)}'`);
        obj.push(value);
        return doc;
      }
    }
  }
  return doc;
}

function remove(doc: unknown, tokens: PathToken[]): unknown {
  if (tokens.length === 0) throw new Error('cannot remove the document root');
  let obj: unknown = doc;
  let optional = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const last = i === tokens.length - 1;
    const at = shown(tokens, i);
    if (t.kind === 'key' || t.kind === 'match') optional = optional || t.optional;
    switch (t.kind) {
      case 'key': {
        if (!isMap(obj)) throw new Error(`Expected to find a map at path '${at}' but found '${describe(obj)}'`);
        if (!(t.key in obj)) {
          if (optional) return doc;
          throw new Error(`Expected to find a map key '${t.key}' for path '${at}' (found map keys: ${keys(obj)})`);
        }
        if (last) {
          delete obj[t.key];
          return doc;
        }
        obj = obj[t.key];
        break;
      }
      case 'match': {
        if (!Array.isArray(obj)) throw new Error(`Expected to find an array at path '${at}' but found '${describe(obj)}'`);
        const idx = matches(obj, t.key, t.value);
        if (idx.length === 0 && optional) return doc;
        if (idx.length !== 1) throw new Error(`Expected to find exactly one matching array item for path '${at}' but found ${idx.length}`);
        if (last) {
          obj.splice(idx[0], 1);
          return doc;
        }
        obj = obj[idx[0]];
        break;
      }
      case 'index': {
        if (!Array.isArray(obj)) throw new Error(`Expected to find an array at path '${at}' but found '${describe(obj)}'`);
        const n = t.index < 0 ? obj.length + t.index : t.index;
        if (n < 0 || n >= obj.length) throw new Error(`Expected to find array index '${t.index}' but found array of length '${obj.length}' for path '${at}'`);
        if (last) {
          obj.splice(n, 1);
          return doc;
        }
        obj = obj[n];
        break;
      }
      case 'append':
        throw new Error(`cannot remove '-' at path '${at}'`);
    }
  }
  return doc;
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

/** Reads the value at a go-patch path (no `-`, no optional creation), like `bosh interpolate --path`. */
export function findPath(doc: unknown, path: string): unknown {
  let obj: unknown = doc;
  for (const t of parsePath(path)) {
    if (t.kind === 'key' && isMap(obj) && t.key in obj) obj = obj[t.key];
    else if (t.kind === 'match' && Array.isArray(obj) && matches(obj, t.key, t.value).length === 1) obj = obj[matches(obj, t.key, t.value)[0]];
    else if (t.kind === 'index' && Array.isArray(obj) && t.index >= 0 && t.index < obj.length) obj = obj[t.index];
    else throw new Error(`path ${path} not found`);
  }
  return obj;
}
