import { load } from 'js-yaml';
import { OpsPath, parsePath, removeOp, renderOpsFile, replaceOp, type GoPatchOp } from '../../constructs/bosh/ops-file';

describe('go-patch paths', () => {
  it('spells selectors, optional markers, append and escapes like go-patch', () => {
    const p = OpsPath.root().key('instance_groups').named('api').key('jobs').named('cloud_controller_ng').key('properties').key('cc').key('diego').key('lifecycle_bundles').key('buildpack/rpifs', true);
    expect(p.toString()).toBe('/instance_groups/name=api/jobs/name=cloud_controller_ng/properties/cc/diego/lifecycle_bundles/buildpack~1rpifs?');
    expect(OpsPath.root().key('stemcells').append().toString()).toBe('/stemcells/-');
    expect(OpsPath.root().key('a~b').match('domain', '_.cell.service.cf.internal', true).toString()).toBe('/a~0b/domain=_.cell.service.cf.internal?');
  });

  it('round-trips through the parser', () => {
    const p = OpsPath.root().key('x').named('a/b', true).key('y~z').index(2);
    expect(parsePath(p.toString())).toEqual(p.tokens);
    expect(parsePath('/releases/-')).toEqual([{ kind: 'key', key: 'releases', optional: false }, { kind: 'append' }]);
  });

  it('refuses "-" anywhere but last, and removing it', () => {
    expect(() => OpsPath.root().append().key('x')).toThrow("go-patch path: /-: found a token after -, expected '-' as the last token only (fix: build the path with OpsPath (see go-patch path syntax: /key, /name=value, /0, /- last))");
    expect(() => parsePath('/a/-/b')).toThrow("go-patch path: /a/-/b: found a token after -, expected '-' as the last token only (fix: build the path with OpsPath (see go-patch path syntax: /key, /name=value, /0, /- last))");
    expect(() => removeOp(OpsPath.root().key('a').append())).toThrow('go-patch path: /a/-: found a remove of -, which names no element, expected a path to an existing element (fix: build the path with OpsPath (see go-patch path syntax: /key, /name=value, /0, /- last))');
  });
});

describe('ops-file rendering', () => {
  it('writes type, path, value in that order, deterministically', () => {
    const ops = [replaceOp(OpsPath.root().key('b', true), { z: 1, name: 'nn', a: 2 }), removeOp(OpsPath.root().key('c'))];
    const text = renderOpsFile(ops);
    // deterministic: the same ops built with their keys (and their values' keys) in another order render the same bytes
    const reordered: GoPatchOp[] = [{ value: { a: 2, z: 1, name: 'nn' }, path: '/b?', type: 'replace' }, { path: '/c', type: 'remove' }];
    expect(renderOpsFile(reordered)).toBe(text);
    expect(text.split('\n')[0]).toBe('- type: replace');
    expect(text.split('\n')[1]).toBe('  path: /b?');
    expect(text).toMatch(/value:\n\s+name: nn\n\s+a: 2\n\s+z: 1/);
    expect(load(text)).toEqual([
      { type: 'replace', path: '/b?', value: { name: 'nn', a: 2, z: 1 } },
      { type: 'remove', path: '/c' },
    ]);
  });
});
