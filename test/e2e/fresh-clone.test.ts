import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { load } from 'js-yaml';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { freshCheckout } from '../support/fresh-checkout';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { outcome, run, type RunResult } from '../support/run';

// A fresh clone: a git repository of this checkout's tracked files as they are (no build/, no dist/, no
// cdktf.out/), beside a `shared` link so that ../shared/fixtures resolves as it does in CI, with this
// checkout's node_modules linked in. It lies elsewhere than this checkout, so a plan that depended on
// where the checkout sits would differ from this checkout's.
const parent = mkdtempSync(join(tmpdir(), 'se-fresh-clone-'));
const clone = join(parent, 'repo');

beforeAll(() => {
  freshCheckout(PROJECT_ROOT, clone);
  symlinkSync(resolve(PROJECT_ROOT, '..', 'shared'), join(parent, 'shared'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(clone, 'node_modules'));
}, 120_000);

afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The commands run as the test setup runs them: STACK_ELEVATOR_UPSTREAM names the pinned fixtures. */
function inClone(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  return run(cmd, args, { cwd: clone, env: { STACK_ELEVATOR_UPSTREAM: UPSTREAM_FIXTURES, ...env }, timeoutMs: 15 * 60_000 });
}

/** The plan of the default lab synthesized from this checkout, in this process. */
function checkoutPlan(): PlannedStep[] {
  const out = mkdtempSync(join(tmpdir(), 'se-fresh-clone-here-'));
  try {
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(out, 'cdktf.out'), upstreamDir: UPSTREAM_FIXTURES, artifactsOnly: false });
    return (JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')) as { steps: PlannedStep[] }).steps;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A clean exit, nothing on stderr that looks like a stack trace. */
function expectClean(res: RunResult): void {
  expect(res.stderr).not.toMatch(/^\s+at .+[:(]/m);
  expect({ status: res.status, stderr: res.stderr.trim().split('\n').length > 1 ? res.stderr : 'one line or less' }).toEqual({ status: 0, stderr: 'one line or less' });
}

/** The folders beside cdktf.out that a synth stages into, but the one the cdktf.out link points at. */
const stagingDirs = (): string[] => {
  const link = join(clone, 'cdktf.out');
  const current = existsSync(link) ? basename(readlinkSync(link)) : undefined;
  return readdirSync(clone).filter((n) => n.startsWith('.cdktf.out.') && n !== current);
};

describe('README commands on a fresh clone, before any synth or deploy', () => {
  it('npm run placement', () => {
    const res = inClone('npm', ['run', '-s', 'placement']);
    expectClean(res);
    // each stack of the clone's lab with as many cells as the lab gives it
    const lab = load(readFileSync(join(clone, 'lab.yaml'), 'utf8')) as { cells: Array<{ stack: string }>; stacks: Array<{ name: string }> };
    for (const { name } of lab.stacks) expect(res.stdout).toMatch(new RegExp(`^${name}: ${lab.cells.filter((c) => c.stack === name).length} cells \\(`, 'm'));
  }, 15 * 60_000);

  it('npm run preview', () => {
    const res = inClone('npm', ['run', '-s', 'preview']);
    expectClean(res);
    expect(res.stdout.split('\n')[0]).toBe('<!-- stack-elevator preview: lab.yaml -->');
    // the clone's lab against the clone's own HEAD, synthesized in another directory: nothing would run
    expect(res.stdout).toMatch(/: 0 artifact step\(s\) and 0 director step\(s\) would run\b/);
    expect(res.stdout).toContain('No step would run: `cdktf deploy` of this change is a no-op.');
  }, 15 * 60_000);

  it('npm run bench with one run', () => {
    // every section but the garden VM's, whose cold armhf compile and VM boot would double this test's
    // time; test/e2e/garden-vm.test.ts boots the same VM harness
    const res = inClone('npm', ['run', '-s', 'bench'], { BENCH_RUNS: '1', BENCH_SECTIONS: 'synth,preview,arm,runtime-releases,try-app' });
    expectClean(res);
    expect(res.stdout).toMatch(/ratio stock\/compiled: \d/);
  }, 15 * 60_000);

  it('npm run rebuild -- --help and npx cdktf deploy --help', () => {
    const rebuild = inClone('npm', ['run', '-s', 'rebuild', '--', '--help']);
    expectClean(rebuild);
    expect(rebuild.stdout).toMatch(/^usage: npm run rebuild/);
    const deploy = inClone('npx', ['cdktf', 'deploy', '--help']);
    expect(outcome(deploy)).toEqual({ status: 0, tail: '' });
    expect(deploy.stdout + deploy.stderr).toContain('Deploy the given stacks');
  }, 15 * 60_000);

  it('npm run synth', () => {
    const res = inClone('npm', ['run', '-s', 'synth']);
    expectClean(res);
    expect(existsSync(join(clone, 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'))).toBe(true);
    expect(stagingDirs()).toEqual([]);
    // the same steps with the same triggers as this checkout's: nothing in the plan depends on where the
    // checkout sits or on what it has built (a deploy from the clone would be a no-op after one from here)
    const cloned = (JSON.parse(readFileSync(join(clone, 'cdktf.out', 'stacks', 'lab', 'plan.json'), 'utf8')) as { steps: PlannedStep[] }).steps;
    expect(cloned.map((s) => [s.id, s.trigger])).toEqual(checkoutPlan().map((s) => [s.id, s.trigger]));
  }, 15 * 60_000);
});

describe('a synth killed mid-way', () => {
  it('leaves a staging folder that the next synth removes', async () => {
    expectClean(inClone('npm', ['run', '-s', 'build']));
    // Start the compiled app and kill it as soon as it stages.
    const child = spawn(process.execPath, ['dist/stacks/main.js'], { cwd: clone, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    for (let i = 0; i < 600 && stagingDirs().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    expect(stagingDirs()).toHaveLength(1);

    const res = inClone('npm', ['run', '-s', 'synth']);
    expectClean(res);
    expect(stagingDirs()).toEqual([]);
  }, 15 * 60_000);
});
