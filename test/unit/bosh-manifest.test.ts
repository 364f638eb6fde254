import { load } from 'js-yaml';
import type { BoshManifest } from '../../constructs/bosh/manifest';
import { renderManifest, validateManifest } from '../../constructs/bosh/manifest';
import { absoluteVariable, variableName, variableRefs } from '../../constructs/bosh/variables';
import { assertNoSecrets } from '../../constructs/bosh/secrets';

const manifest = (over: Partial<BoshManifest> = {}): BoshManifest => ({
  name: 'd',
  releases: [{ name: 'r', version: '1.0' }],
  stemcells: [{ alias: 's', os: 'debian', version: '0.1.0' }],
  update: { canaries: 1, max_in_flight: 1, canary_watch_time: '1000-2000', update_watch_time: '1000-2000' },
  instance_groups: [
    { name: 'g', azs: ['z1'], instances: 2, vm_type: 'v', stemcell: 's', networks: [{ name: 'n', static_ips: ['10.0.0.1', '10.0.0.2'] }], jobs: [{ name: 'j', release: 'r', properties: { z: 1, a: '((pw))' } }] },
  ],
  ...over,
});

describe('BOSH manifest model', () => {
  it('renders the conventional section order, name-first items, sorted properties, byte-stable', () => {
    const text = renderManifest(manifest({ variables: [{ name: 'pw', type: 'password' }] }));
    expect(text.split('\n').filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.split(':')[0])).toEqual(['name', 'releases', 'stemcells', 'update', 'instance_groups', 'variables']);
    expect(text).toMatch(/- name: j\n\s+properties:\n\s+a: \(\(pw\)\)\n\s+z: 1\n\s+release: r/);
    expect(text).toContain("version: '1.0'"); // a string, not the float 1
    expect(renderManifest(manifest({ variables: [{ name: 'pw', type: 'password' }] }))).toBe(text);
    expect(load(text)).toMatchObject({ name: 'd', instance_groups: [{ name: 'g', instances: 2 }] });
  });

  it('finds the mistakes bosh deploy would find late', () => {
    const bad = manifest({
      releases: [{ name: 'r', version: '1' }, { name: 'r', version: '2' }],
      instance_groups: [
        { name: 'g', azs: [], instances: 3, vm_type: 'v', stemcell: 'nope', networks: [{ name: 'n', static_ips: ['10.0.0.1'] }], jobs: [{ name: 'j', release: 'other' }, { name: 'j', release: 'r' }] },
      ],
    });
    const problems = validateManifest(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'release r declared twice',
        'instance group g: stemcell alias nope is not declared',
        'instance group g: no azs',
        'instance group g: network n has 1 static IPs for 3 instances',
        'instance group g: job j listed twice',
        'instance group g: job j uses release other, which the manifest does not declare',
      ]),
    );
    expect(() => renderManifest(bad)).toThrow(/inconsistent/);
    expect(validateManifest(manifest())).toEqual([]);
  });
});

describe('variables', () => {
  it('collects ((references)) by name, without fields, including absolute names', () => {
    expect(variableRefs({ a: '((x.certificate))', b: ['pre ((/dir/cf/y.ca)) post', '((z))'], c: { '((k))': 1 } })).toEqual(['/dir/cf/y', 'k', 'x', 'z']);
    expect(variableName('/d/dep/name.with.private_key')).toBe('/d/dep/name');
    expect(absoluteVariable('dir', 'cf', 'diego_bbs_client')).toBe('/dir/cf/diego_bbs_client');
  });

  it('refuses PEM blocks and the environment credentials in rendered text', () => {
    expect(() => assertNoSecrets('key: |\n  -----BEGIN RSA PRIVATE KEY-----\n', 'm')).toThrow(/PEM/);
    expect(() => assertNoSecrets('x: hunter2-very-secret', 'm', { BOSH_CLIENT_SECRET: 'hunter2-very-secret' })).toThrow(/BOSH_CLIENT_SECRET/);
    expect(() => assertNoSecrets('x: ((secret))', 'm', { BOSH_CLIENT_SECRET: 'hunter2-very-secret' })).not.toThrow();
  });
});
