import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { run, type RunResult } from '../support/run';

// A fresh clone of the committed HEAD (no build/, no dist/, no cdktf.out/), beside a `shared` link so
// that ../shared/fixtures resolves as it does in CI, with this checkout's node_modules linked in.
const parent = mkdtempSync(join(tmpdir(), 'se-fresh-clone-'));
const clone = join(parent, 'repo');

beforeAll(() => {
  const c = run('git', ['clone', '-q', PROJECT_ROOT, clone]);
  if (c.status !== 0) throw new Error(`git clone failed: ${c.stderr}`);
  symlinkSync(resolve(PROJECT_ROOT, '..', 'shared'), join(parent, 'shared'));
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(clone, 'node_modules'));
}, 120_000);

afterAll(() => rmSync(parent, { recursive: true, force: true }));

function inClone(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  return run(cmd, args, { cwd: clone, env, timeoutMs: 15 * 60_000 });
}

/** A clean exit, nothing on stderr that looks like a stack trace. */
function expectClean(res: RunResult): void {
  expect(res.stderr).not.toMatch(/^\s+at .+[:(]/m);
  expect({ status: res.status, stderr: res.stderr.trim().split('\n').length > 1 ? res.stderr : 'one line or less' }).toEqual({ status: 0, stderr: 'one line or less' });
}

const stagingDirs = (): string[] => readdirSync(clone).filter((n) => n.startsWith('.synth-'));

describe('README commands on a fresh clone, before any synth or deploy', () => {
  it('npm run placement', () => {
    const res = inClone('npm', ['run', '-s', 'placement']);
    expectClean(res);
    expect(res.stdout).toMatch(/^rpifs: \d+ cells/m);
  }, 15 * 60_000);

  it('npm run preview', () => {
    const res = inClone('npm', ['run', '-s', 'preview']);
    expectClean(res);
    expect(res.stdout.split('\n')[0]).toBe('<!-- stack-elevator preview: lab.yaml -->');
  }, 15 * 60_000);

  it('npm run bench with one run', () => {
    const res = inClone('npm', ['run', '-s', 'bench'], { BENCH_RUNS: '1' });
    expectClean(res);
    expect(res.stdout).toMatch(/ratio stock\/compiled: \d/);
  }, 15 * 60_000);

  it('npm run rebuild -- --help and npx cdktf deploy --help', () => {
    const rebuild = inClone('npm', ['run', '-s', 'rebuild', '--', '--help']);
    expectClean(rebuild);
    expect(rebuild.stdout).toMatch(/^usage: npm run rebuild/);
    const deploy = inClone('npx', ['cdktf', 'deploy', '--help']);
    expect(deploy.status).toBe(0);
    expect(deploy.stdout + deploy.stderr).toContain('Deploy the given stacks');
  }, 15 * 60_000);

  it('npm run synth', () => {
    const res = inClone('npm', ['run', '-s', 'synth']);
    expectClean(res);
    expect(existsSync(join(clone, 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'))).toBe(true);
    expect(stagingDirs()).toEqual([]);
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
