import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { RunResult, outcome, run } from '../support/run';

/**
 * `npm run preview` as a pull request runs it: on a clone of this repository whose working tree holds
 * the PR's edit, compared against the clone's HEAD. Each case edits the clone, previews, and restores it.
 * One base cache serves every case, so HEAD's synth (with HEAD's own code) is paid once.
 */
describe('PR plan preview on a clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-preview-e2e-'));
  const repo = join(dir, 'repo');
  const cache = join(dir, 'cache');
  const lab = join(repo, 'lab.yaml');
  const packages = join(repo, 'packages', 'rpifs-ci.txt');
  let labText = '';

  beforeAll(() => {
    expect(run('git', ['clone', '-q', PROJECT_ROOT, repo]).status).toBe(0);
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(repo, 'node_modules'));
    expect(run(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: repo }).status).toBe(0);
    labText = readFileSync(lab, 'utf8');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => void run('git', ['checkout', '-q', '--', '.'], { cwd: repo }));

  const preview = (extra: string[] = [], env: NodeJS.ProcessEnv = {}): RunResult & { md: string } => {
    const out = join(dir, 'comment.md');
    rmSync(out, { force: true });
    const res = run(process.execPath, ['dist/stacks/preview/main.js', '--base=HEAD', `--out=${out}`, `--cache=${cache}`, ...extra], { cwd: repo, env });
    return { ...res, md: readFileSync(out, 'utf8') };
  };
  const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('| `lab-'));
  const stepIds = (md: string) => rows(md).map((l) => l.split('`')[1]);
  const cell3 = () => labText.split('\n').find((l) => l.includes('name: rpi-cell-3'))!;

  it('says a no-op under the marker when nothing changed', () => {
    const same = preview();
    expect(outcome(same)).toEqual({ status: 0, tail: '' });
    expect(same.stderr).toBe('');
    // The one warning is a standing choice of the default lab, shown on every preview: garden-runc's override.
    expect(same.md.split('\n').slice(0, 2)).toEqual(['<!-- stack-elevator preview: lab.yaml -->', '**stack-elevator preview of `lab.yaml`** against `HEAD`: 0 artifact step(s) and 0 director step(s) would run, 1 warning(s).']);
    expect(same.md).toMatch(/rpi-cells: garden-runc 1\.58\.0 instead of 1\.60\.0 \(cf-deployment v44\.8\.0 .*\): 1\.60\.0.s source is not available here/);
    expect(same.md).toContain('No step would run: `cdktf deploy` of this change is a no-op.');
    expect(same.stdout).toBe(same.md);
  }, 300_000);

  it('lists only the cells deploy for a new cell, with the manifest diff and the same facts in --json', () => {
    writeFileSync(lab, `${labText.trimEnd()}\n${cell3().replace('rpi-cell-3', 'rpi-cell-4').replace('192.168.50.23', '192.168.50.24')}\n`);
    const json = join(dir, 'preview.json');
    const res = preview([`--json=${json}`]);
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    expect(rows(res.md)).toEqual(['| `lab-bosh-cells-deploy` | director | reruns | inputs changed: bosh/cells/manifest.yml |']);
    expect(res.md).toMatch(/^\+ +- 192\.168\.50\.24$/m);
    // The plan graph: collapsed, the one running step filled, the cells deploy ordered after the control plane's.
    expect(res.md).toContain('<details><summary>Plan graph</summary>');
    expect(res.md).toContain('  class s_lab_bosh_cells_deploy runs\n');
    expect(res.md).toContain('  s_lab_bosh_control_plane_deploy -.-> s_lab_bosh_cells_deploy\n');
    expect(res.md).toContain('  s_lab_bosh_cells_upload --> s_lab_bosh_cells_deploy\n');
    const facts = JSON.parse(readFileSync(json, 'utf8'));
    expect(facts).toMatchObject({ marker: '<!-- stack-elevator preview: lab.yaml -->', lab: 'lab.yaml', status: 'ok', base: { ref: 'HEAD', status: 'ok' }, summary: { artifactSteps: 0, directorSteps: 1, warnings: 1 }, warnings: [{ kind: 'version-override' }], cut: [] });
    expect(facts.steps.filter((s: { change: string }) => s.change !== 'unchanged').map((s: { id: string }) => s.id)).toEqual(['lab-bosh-cells-deploy']);
    expect(facts.files).toEqual([{ path: 'bosh/cells/manifest.yml', change: 'changed' }]);
  }, 300_000);

  it('warns when a cell is dropped', () => {
    writeFileSync(lab, labText.replace(`${cell3()}\n`, ''));
    const res = preview();
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    // the dropped cell's warning, beside the lab's standing version-override one
    expect(res.md).toContain('#### ⚠️ 2 warning(s)');
    expect(res.md).toContain('| `rpi-cells` | rpi-cells: 3 -> 2 instances (1 VM(s) deleted on deploy) |');
    expect(res.md.split('\n')[1]).toMatch(/, 2 warning\(s\)\.$/);
  }, 300_000);

  it('re-deploys the cells and not the control plane for a rootfs-only change', () => {
    writeFileSync(packages, `${readFileSync(packages, 'utf8').trimEnd()}\nstrace\n`);
    const ids = stepIds(preview().md);
    expect(ids).toEqual(expect.arrayContaining(['lab-rootfs-rpifs-check', 'lab-rootfs-rpifs-export', 'lab-bosh-cells-upload', 'lab-bosh-cells-deploy']));
    expect(ids).not.toContain('lab-bosh-control-plane-deploy');
    expect(ids).not.toContain('lab-bosh-control-plane-upload');
  }, 300_000);

  it('re-deploys the control plane and not the cells for a cf-deployment ops change', () => {
    writeFileSync(lab, labText.replace('\n  az: z1\n', '\n  az: z2\n'));
    const res = preview();
    expect(rows(res.md)).toEqual(['| `lab-bosh-control-plane-deploy` | director | reruns | inputs changed: bosh/control-plane/ops/10-use-lab-placement.yml |']);
  }, 300_000);

  it('keeps a huge package-list change under the budget and says what it cut', () => {
    const huge = Array.from({ length: 4000 }, (_, i) => `libexample-huge-list-${i}`).join('\n');
    writeFileSync(packages, `${readFileSync(packages, 'utf8').trimEnd()}\n${huge}\n`);
    const res = preview();
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    expect(res.md.length).toBeLessThanOrEqual(60_000);
    expect(res.md).toContain('Cut to stay under 60000 characters: the diffs of `rootfs/rpifs/image/packages.txt`');
    expect(res.md).toContain('npm run preview -- --base=HEAD --budget=0');
    const full = preview(['--budget=0']);
    expect(full.md.length).toBeGreaterThan(60_000);
    expect(full.md).toContain('+libexample-huge-list-3999');
  }, 300_000);

  it('never shows a secret that reaches an artifact through the lab', () => {
    const secret = 'preview-e2e-s3cret-Value';
    writeFileSync(lab, labText.replace(/(\n {4}description: [^\n]*)/, `$1 ${secret}`));
    const res = preview([], { CF_ADMIN_PASSWORD: secret });
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    // The value did reach the stacks ops-file diff, and came out redacted.
    expect(res.md).toMatch(/^\+ .*description: .*\(\(redacted\)\)/m);
    expect(res.md + res.stdout + res.stderr).not.toContain(secret);
  }, 300_000);

  it('turns a lab error into a failure comment and a non-zero exit', () => {
    writeFileSync(lab, labText.replace('arch: armhf, goarm: 7, stack: rpifs, network: rpi, ip: 192.168.50.21', 'arch: sparc, goarm: 7, stack: rpifs, network: rpi, ip: 192.168.50.21'));
    const json = join(dir, 'failed.json');
    const res = preview([`--json=${json}`]);
    expect(res.status).toBe(2);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ status: 'failed', failure: 'lab-invalid', errors: [expect.stringMatching(/^lab\.yaml:\d+: cells\[0\]\.arch: found/)], steps: [] });
    expect(res.md.split('\n')[0]).toBe('<!-- stack-elevator preview: lab.yaml -->');
    expect(res.md).toContain('#### ❌ The lab does not validate');
    const line = labText.split('\n').findIndex((l) => l.includes('rpi-cell-1')) + 1;
    expect(res.md).toMatch(new RegExp(`^lab\\.yaml:${line}: cells\\[0\\]\\.arch: found .*sparc`, 'm'));
    expect(res.md).not.toContain(dir);
  }, 300_000);

  it('shows a banner, and no step as new, when the base does not synthesize', () => {
    const broken = labText.replace('name: pi-lab', 'name: [not, a, name]');
    writeFileSync(lab, broken);
    const c = (args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: repo });
    expect(c(['commit', '-qam', 'break the lab']).status).toBe(0);
    try {
      writeFileSync(lab, labText);
      const json = join(dir, 'banner.json');
      const res = preview([`--json=${json}`]);
      expect(outcome(res)).toEqual({ status: 0, tail: '' });
      const facts = JSON.parse(readFileSync(json, 'utf8'));
      expect(facts.base).toMatchObject({ ref: 'HEAD', status: 'failed', error: expect.stringMatching(/^lab\.yaml:\d+: name: found/) });
      expect(facts.summary).toEqual({ artifactSteps: 0, directorSteps: 0, warnings: 0 });
      expect(new Set(facts.steps.map((s: { change: string }) => s.change))).toEqual(new Set(['unknown']));
      expect(res.md).toContain('> The base `HEAD` could not be synthesized');
      expect(res.md).toMatch(/^> `lab\.yaml:\d+: name: found/m);
      expect(res.md).not.toMatch(/new step|\| added \|/);
      expect(rows(res.md)).toEqual([]);
    } finally {
      expect(c(['reset', '-q', '--hard', 'HEAD~1']).status).toBe(0);
    }
  }, 300_000);
});
