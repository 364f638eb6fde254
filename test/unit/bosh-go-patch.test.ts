import { applyOps, findPath } from '../../constructs/bosh/go-patch';
import type { GoPatchOp } from '../../constructs/bosh/ops-file';

const base = () => ({ a: { b: 1, l: [{ name: 'x', v: 1 }] } });
const r = (path: string, value: unknown): GoPatchOp => ({ type: 'replace', path, value });
const rm = (path: string): GoPatchOp => ({ type: 'remove', path });

describe('applyOps (go-patch semantics, as bosh interpolate has them)', () => {
  it('does not modify its input', () => {
    const doc = base();
    applyOps(doc, [r('/a/b', 2)]);
    expect(doc).toEqual(base());
  });

  it('requires existing keys and items unless marked optional', () => {
    expect(() => applyOps(base(), [r('/a/c', 2)])).toThrow(/Expected to find a map key 'c'/);
    expect(() => applyOps(base(), [r('/a/l/name=q/v', 2)])).toThrow(/exactly one matching array item.*found 0/);
    expect(applyOps(base(), [r('/a/c?', 2)])).toEqual({ a: { b: 1, c: 2, l: [{ name: 'x', v: 1 }] } });
  });

  it('makes everything after a "?" optional (sticky), creating maps and lists as the next token needs', () => {
    expect(findPath(applyOps(base(), [r('/a/c?/d/e', 2)]), '/a/c/d/e')).toBe(2);
    expect(findPath(applyOps(base(), [r('/a/l/name=y?/v/w', 2)]), '/a/l/name=y')).toEqual({ name: 'y', v: { w: 2 } });
    expect(findPath(applyOps(base(), [r('/a/n?/-', 5)]), '/a/n')).toEqual([5]);
    expect(findPath(applyOps(base(), [r('/a/n?/name=k/v', 5)]), '/a/n')).toEqual([{ name: 'k', v: 5 }]);
  });

  it('replaces a matched item, appends with "-", and is idempotent for optional selectors', () => {
    const once = applyOps(base(), [r('/a/l/name=z?', { name: 'z' })]);
    expect(applyOps(once, [r('/a/l/name=z?', { name: 'z' })])).toEqual(once);
    expect(findPath(applyOps(base(), [r('/a/l/-', { name: 'q' })]), '/a/l/1')).toEqual({ name: 'q' });
    expect(findPath(applyOps(base(), [r('/a/l/name=x', { name: 'x', v: 9 })]), '/a/l/name=x/v')).toBe(9);
  });

  it('removes present things and tolerates absent optional ones', () => {
    expect(applyOps(base(), [rm('/a/l/name=x')])).toEqual({ a: { b: 1, l: [] } });
    expect(applyOps(base(), [rm('/a/zz?'), rm('/a/l/name=q?'), rm('/a/q?/r')])).toEqual(base());
    expect(() => applyOps(base(), [rm('/a/zz')])).toThrow(/map key 'zz'/);
  });

  it('matches selector values as strings only, and checks index bounds', () => {
    expect(() => applyOps(base(), [r('/a/l/v=1/name', 'q')])).toThrow(/found 0/);
    expect(() => applyOps(base(), [r('/a/l/3/v', 1)])).toThrow(/array index '3'/);
  });

  it('names the failing operation and file', () => {
    expect(() => applyOps(base(), [r('/a/b', 1), r('/nope', 1)], 'x.yml')).toThrow(
      "x.yml: [1] (replace /nope): found an operation that does not apply: Expected to find a map key 'nope' for path '/nope' (found map keys: 'a'), expected a path the document has, or one marked optional with ? (fix: regenerate the ops against this manifest, or mark the missing part optional)",
    );
  });
});
