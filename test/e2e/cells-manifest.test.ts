import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { loadLab } from '../../lab/load';
import { synthLab } from '../../stacks/synth';
import { bosh } from '../support/bosh-cli';
import { PROJECT_ROOT } from '../support/lab-files';

/** The default lab's Pi cells manifest, as `npm run synth` writes it, against the real bosh CLI. */
describe('the default lab cells manifest (real bosh CLI)', () => {
  const out = mkdtempSync(join(tmpdir(), 'se-cells-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(out, 'cdktf.out'), artifactsOnly: false });
  const manifest = join(res.stackDir, 'artifacts', 'bosh', 'cells', 'manifest.yml');
  const steps = JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps as PlannedStep[];
  const lab = loadLab(join(PROJECT_ROOT, 'lab.yaml'), PROJECT_ROOT);

  it('interpolates with --var-errs given the variables the lab declares (and fails without them)', () => {
    const vars: Record<string, unknown> = {};
    for (const name of lab.director.variables) {
      vars[name === 'system_domain' ? name : `/${lab.director.name}/${lab.controlPlane.deployment}/${name}`] =
        name === 'system_domain' ? 'sys.example.test' : { ca: `${name}-ca`, certificate: `${name}-cert`, private_key: `${name}-key` };
    }
    const varsFile = join(out, 'vars.yml');
    writeFileSync(varsFile, dump(vars));
    const ok = bosh(['interpolate', manifest, '--var-errs', '-l', varsFile]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(bosh(['interpolate', manifest, '--var-errs']).status).not.toBe(0);
  });

  it('names only releases the plan compiles for the cells or the lab supplies, never latest', () => {
    const r = bosh(['interpolate', manifest, '--path', '/releases']);
    expect(r.status).toBe(0);
    const releases = (load(r.stdout) as Array<{ name: string; version: string }>).map((x) => `${x.name}/${x.version}`).sort();
    const compiled = steps.filter((s) => s.script === 'compile-release').map((s) => s.args.release);
    const deploy = steps.find((s) => s.id === 'lab-bosh-cells-deploy');
    const listed = (arg: string | undefined): string[] => (arg ?? '').split(',').filter(Boolean);
    // What the lab supplies is what the deploy step requires; bosh-dns is compiled here but reaches the
    // cells through the director's runtime config, not their manifest.
    const supplied = [...new Set(listed(deploy?.args.requires).map((r) => r.split('@')[0]))];
    const fromRuntimeConfig = listed(deploy?.args['runtime-config']);
    expect(fromRuntimeConfig).toEqual([expect.stringMatching(/^bosh-dns\/1\.39\.0$/)]);
    // bosh-dns-aliases is templates only (no package, nothing to compile), at cf-deployment's pinned version.
    expect(releases).toEqual([...new Set([...compiled.filter((c) => !fromRuntimeConfig.includes(c)), ...supplied, 'bosh-dns-aliases/0.0.4'])].sort());
    expect(readFileSync(manifest, 'utf8')).not.toMatch(/latest/);
  });
});
