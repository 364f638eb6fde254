import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { dump, load } from 'js-yaml';
import { applyOps } from '../../constructs/bosh/go-patch';
import { renderOpsFile } from '../../constructs/bosh/ops-file';
import { installBuildpackOps } from '../../constructs/cf/install-buildpacks';
import { CF_DEPLOYMENT_PROFILES } from '../../constructs/cf/profiles';
import { synthLab } from '../../stacks/synth';
import { bosh } from '../support/bosh-cli';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';

type Obj = Record<string, unknown>;
type Group = { name: string; jobs: Array<{ name: string; release: string; properties?: Obj }> };
const cfDeployment = (tag: string) => join(UPSTREAM_FIXTURES, `cf-deployment-${tag}`, 'cf-deployment.yml');
const PACKAGE = 'binary-buildpack-rpifs';

/** The variables `bosh interpolate --var-errs` says are missing (the secrets CredHub generates for cf-deployment). */
function missingVariables(args: string[]): string[] {
  const r = bosh(['interpolate', ...args, '--var-errs']);
  return [...(r.stdout + r.stderr).matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]).sort();
}

function installs(doc: Obj): Array<{ name: string; package: string }> {
  const api = (doc.instance_groups as Group[]).find((g) => g.name === 'api')!;
  const ccng = api.jobs.find((j) => j.name === 'cloud_controller_ng')!;
  return (ccng.properties!.cc as Obj).install_buildpacks as Array<{ name: string; package: string }>;
}

/** What the issue asks of the interpolated control plane, checked on one cf-deployment. */
function expectInstalled(doc: Obj, version: string | RegExp): void {
  const list = installs(doc);
  const ours = list.findIndex((b) => b.package === PACKAGE);
  const upstream = list.findIndex((b) => b.name === 'binary_buildpack' && b.package === 'binary-buildpack-cflinuxfs4');
  expect(upstream).toBeGreaterThanOrEqual(0);
  expect(list[ours]).toEqual({ name: 'binary_buildpack', package: PACKAGE });
  expect(ours).toBeGreaterThan(upstream);
  expect(list.filter((b) => b.package === PACKAGE)).toHaveLength(1);
  const api = (doc.instance_groups as Group[]).find((g) => g.name === 'api')!;
  expect(api.jobs.filter((j) => j.name === PACKAGE)).toEqual([{ name: PACKAGE, release: PACKAGE }]);
  const others = (doc.instance_groups as Group[]).filter((g) => g.name !== 'api' && g.jobs.some((j) => j.name === PACKAGE));
  expect(others).toEqual([]);
  const release = (doc.releases as Obj[]).find((r) => r.name === PACKAGE)!;
  expect(Object.keys(release).sort()).toEqual(['name', 'version']);
  expect(release.version).toMatch(version);
}

describe('Cloud Controller installs the ARM binary buildpack: the ops-files over real cf-deployments (bosh interpolate)', () => {
  const work = mkdtempSync(join(tmpdir(), 'se-install-bp-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe('the default lab (cf-deployment v44.8.0), every generated ops-file', () => {
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(work, 'out'), upstreamDir: relative(PROJECT_ROOT, UPSTREAM_FIXTURES) });
    const opsDir = join(res.stackDir, 'artifacts', 'bosh', 'control-plane', 'ops');
    const ops = readdirSync(opsDir).sort().map((f) => join(opsDir, f));
    const base = cfDeployment('v44.8.0');
    const r = bosh(['interpolate', base, ...ops.flatMap((f) => ['-o', f])]);

    it('applies cleanly and includes 50-install-arm-buildpacks.yml', () => {
      expect(ops.map((f) => f.split('/').pop())).toContain('50-install-arm-buildpacks.yml');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('adds the release (no url), its job on api and the install_buildpacks entry after binary_buildpack', () => {
      expectInstalled(load(r.stdout) as Obj, /^1\.1\.27\+arm\.[0-9a-f]{12}$/);
    });

    it('applied twice, changes nothing (the ? form)', () => {
      const bp = ops.find((f) => f.endsWith('50-install-arm-buildpacks.yml'))!;
      const twice = bosh(['interpolate', base, ...ops.flatMap((f) => ['-o', f]), '-o', bp]);
      expect(twice.status).toBe(0);
      expect(twice.stdout).toBe(r.stdout);
    });

    it('asks for no variable beyond the secrets cf-deployment itself leaves to CredHub (--var-errs)', () => {
      const before = missingVariables([base]);
      expect(before.length).toBeGreaterThan(50);
      expect(missingVariables([base, ...ops.flatMap((f) => ['-o', f])])).toEqual(before);
    });
  });

  describe('cf-deployment v58.0.0 (profile-generated ops, as a v58 lab gets them)', () => {
    const file = join(work, '50-install-arm-buildpacks.yml');
    const ops = installBuildpackOps(CF_DEPLOYMENT_PROFILES['v58.0.0'], [{ stack: 'rpifs', name: PACKAGE, version: '1.1.27+arm.0123456789ab' }]);
    writeFileSync(file, renderOpsFile(ops));
    const base = cfDeployment('v58.0.0');
    const r = bosh(['interpolate', base, '-o', file]);

    it('applies cleanly and installs the buildpack after upstream binary_buildpack', () => {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expectInstalled(load(r.stdout) as Obj, '1.1.27+arm.0123456789ab');
    });

    it('applied twice, changes nothing', () => {
      expect(bosh(['interpolate', base, '-o', file, '-o', file]).stdout).toBe(r.stdout);
    });

    it("agrees with the synth's in-memory go-patch", () => {
      const ours = applyOps(load(readFileSync(base, 'utf8')), ops, '50-install-arm-buildpacks.yml');
      expect(load(r.stdout)).toEqual(load(dump(ours)));
    });

    it('asks for no new variable (--var-errs)', () => {
      expect(missingVariables([base, '-o', file])).toEqual(missingVariables([base]));
    });
  });
});
