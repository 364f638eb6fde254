import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { synthLab } from '../../stacks/synth';
import { bosh } from '../support/bosh-cli';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';

type Obj = Record<string, unknown>;
const CF = join(UPSTREAM_FIXTURES, 'cf-deployment-v44.8.0', 'cf-deployment.yml');

/**
 * The embedded default lab pins cf-deployment v44.8.0, the release that deploys diego 2.105.0 (the tree
 * the Diego variants are built from): its control-plane ops-files must apply to that manifest as is.
 */
describe('default lab control-plane ops-files over cf-deployment v44.8.0 (bosh interpolate)', () => {
  const out = mkdtempSync(join(tmpdir(), 'se-default-lab-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: out, upstreamDir: relative(PROJECT_ROOT, UPSTREAM_FIXTURES) });
  const opsDir = join(res.stackDir, 'artifacts', 'bosh', 'control-plane', 'ops');
  const ops = readdirSync(opsDir).sort().map((f) => join(opsDir, f));
  const r = bosh(['interpolate', CF, ...ops.flatMap((f) => ['-o', f])]);
  const doc = (r.status === 0 ? load(r.stdout) : {}) as Obj;

  it('applies every ops-file cleanly', () => {
    expect(ops.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('swaps cf-deployment\'s diego 2.105.0 for the control-plane variant built from the same version', () => {
    const releases = doc.releases as Array<{ name: string; version: string }>;
    expect(releases.find((x) => x.name === 'diego')).toBeUndefined();
    const cp = releases.find((x) => x.name === 'diego-pi-lab-cp');
    expect(cp?.version).toMatch(/^2\.105\.0\+arm\.[0-9a-f]{12}$/);
  });

  it('hands out the ARM bundle the control-plane file server serves, for the lab stack', () => {
    const groups = doc.instance_groups as Array<{ name: string; jobs: Array<{ name: string; properties?: Obj }> }>;
    const ccng = groups.find((g) => g.name === 'api')!.jobs.find((j) => j.name === 'cloud_controller_ng')!;
    const bundles = ((ccng.properties!.cc as Obj).diego as Obj).lifecycle_bundles as Record<string, string>;
    expect(bundles['buildpack/rpifs']).toBe('buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz');
  });
});
