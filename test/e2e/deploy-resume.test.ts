import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cleanupCrossCompile, Synthesized } from '../support/cross-compile';
import { unfinishedRunsFile } from '../../contracts/unfinished-runs.cjs';
import { greetingReleasePlan } from '../support/greeting-release';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';
import { processesIn } from '../support/processes';

/**
 * A deploy killed (SIGKILL to its whole process group) in the middle of a step resumes: the next apply
 * re-runs the killed step, does not redo the finished one even when Terraform's state lost it (run-step
 * finds its published output), leaves no process of the killed run, and ends with the bytes of a deploy
 * that was never killed. The plan: a one-package release and its compile for the Pi stemcell, whose
 * packaging script sleeps, so the kill lands inside the compile step.
 */
const STEPS_LOG = join(PROJECT_ROOT, 'build', 'steps.log');
const logLines = () => (existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8').split('\n').filter(Boolean) : []);
const ENV = { CHECKPOINT_DISABLE: '1', PATH: [join(PROJECT_ROOT, '.tools', 'bin'), process.env.PATH].join(delimiter) };

/** The release's packaging sleeps, so that a kill lands inside the compile step. */
const plan = (): Synthesized => greetingReleasePlan('slow', `resumed after a kill (${process.pid})`, 'sleep 8\ncp greeting.txt "$BOSH_INSTALL_TARGET/"');

const terraform = (s: Synthesized, ...args: string[]) => run('terraform', [...args, '-input=false', '-no-color'], { cwd: s.stackDir, env: ENV, timeoutMs: 300_000 });

const waitFor = async (what: string, ok: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** sha256 of every file of a step's output, by name, but those its `.volatile` lists (timings), which are named only. */
const hashes = (dir: string) => {
  const volatile = existsSync(join(dir, '.volatile')) ? readFileSync(join(dir, '.volatile'), 'utf8').split('\n').filter(Boolean) : [];
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, volatile.includes(f) ? 'volatile' : createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
};

/** Processes of the step whose output is `outDir` (relative to the project): naming it or working in it. */
const processesOf = (outDir: string) => processesIn([outDir, join(PROJECT_ROOT, outDir)]);

describe('a deploy killed in the middle of a step', () => {
  let p: Synthesized;
  beforeAll(() => {
    p = plan();
    for (const s of [p.steps.source, p.steps.compile]) rmSync(join(PROJECT_ROOT, s.outDir), { recursive: true, force: true });
  });
  afterAll(() => {
    for (const s of [p.steps.source, p.steps.compile]) rmSync(join(PROJECT_ROOT, s.outDir, '..'), { recursive: true, force: true });
    cleanupCrossCompile();
  });

  it('resumes: the killed step re-runs, the finished one does not, nothing of the killed run is left, and the bytes equal an unkilled deploy', async () => {
    const { source, compile } = p.steps;
    expect(outcome(terraform(p, 'init'))).toEqual({ status: 0, tail: '' });
    const before = logLines().length;
    const apply = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: p.stackDir, env: { ...process.env, ...ENV }, detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => apply.on('exit', r));
    // the source release is done and the compile step is inside its packaging script's sleep
    await waitFor('the source step to finish', () => logLines().slice(before).some((l) => l.startsWith(`${source.stepId} ${source.trigger} exit=0`)), 180_000);
    await waitFor('the compile step to start', () => processesOf(compile.outDir).length > 0, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    process.kill(-(apply.pid ?? 0), 'SIGKILL');
    await exited;

    const afterKill = logLines().slice(before);
    expect(afterKill.filter((l) => l.startsWith(compile.stepId))).toEqual([]); // the kill landed inside the compile step
    expect(existsSync(join(PROJECT_ROOT, compile.outDir))).toBe(false); // and left no output at its path
    await waitFor('the killed run to leave no process', () => processesOf(compile.outDir).length === 0, 15_000);

    // Terraform records each finished resource in its state as it goes, but a kill can beat that write:
    // the resume must not depend on it. Drop the state, so the finished source step is planned again.
    rmSync(join(p.stackDir, 'terraform.tfstate'), { force: true });
    const resumed = terraform(p, 'apply', '-auto-approve');
    expect(outcome(resumed)).toEqual({ status: 0, tail: '' });
    const resumeRuns = logLines().slice(before + afterKill.length);
    // the compile step ran for real; the source step found its published output and did not run again
    expect(resumeRuns.filter((l) => l.startsWith(compile.stepId)).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([`${compile.stepId} ${compile.trigger} exit=0`]);
    expect(resumeRuns.filter((l) => l.startsWith(source.stepId))).toEqual([`${source.stepId} ${source.trigger} exit=0 0.0s reused`]);
    const afterResume = hashes(join(PROJECT_ROOT, compile.outDir));
    expect(Object.keys(afterResume)).toEqual(['.volatile', 'compiled.json', 'slow-1.0.0-debian-bookworm-armhf-0.1.0.tgz']);
    expect(afterResume['compiled.json']).toMatch(/^[0-9a-f]{64}$/); // the tarball is volatile (bosh stamps job archive times): compiled.json is the record

    // an unkilled deploy from scratch: fresh state, no outputs
    for (const s of [source, compile]) rmSync(join(PROJECT_ROOT, s.outDir), { recursive: true, force: true });
    rmSync(join(p.stackDir, 'terraform.tfstate'), { force: true });
    expect(outcome(terraform(p, 'apply', '-auto-approve'))).toEqual({ status: 0, tail: '' });
    expect(hashes(join(PROJECT_ROOT, compile.outDir))).toEqual(afterResume);
  }, 600_000);

  it('runs again a step that Terraform recorded as created but whose run did not finish (a kill after a state write)', () => {
    const { compile } = p.steps;
    expect(outcome(terraform(p, 'init'))).toEqual({ status: 0, tail: '' });
    expect(outcome(terraform(p, 'apply', '-auto-approve'))).toEqual({ status: 0, tail: '' });
    expect(existsSync(join(PROJECT_ROOT, compile.outDir))).toBe(true);
    // What a kill leaves when Terraform persisted its state while the compile step ran: the state says the
    // step was created; run-step had counted the run as started; nothing was published.
    rmSync(join(PROJECT_ROOT, compile.outDir), { recursive: true, force: true });
    const count = join(PROJECT_ROOT, unfinishedRunsFile(compile.stepId, compile.trigger));
    const counted = `${(existsSync(count) ? Number(readFileSync(count, 'utf8')) : 0) + 1}\n`;
    mkdirSync(join(count, '..'), { recursive: true });
    writeFileSync(count, counted);
    const before = logLines().length;
    const resumed = terraform(p, 'apply', '-auto-approve');
    expect(outcome(resumed)).toEqual({ status: 0, tail: '' });
    const runs = logLines().slice(before).map((l) => l.split(' ').slice(0, 3).join(' '));
    expect(runs).toEqual([`${compile.stepId} ${compile.trigger} exit=0`]); // the compile step ran for real, the source step not at all
    expect(existsSync(join(PROJECT_ROOT, compile.outDir, 'compiled.json'))).toBe(true);
    // the count stays what this plan read, so the deploy after it changes nothing
    expect(readFileSync(count, 'utf8')).toBe(counted);
    const again = terraform(p, 'apply', '-auto-approve');
    expect(outcome(again)).toEqual({ status: 0, tail: '' });
    expect(again.stdout).toMatch(/No changes/);
    expect(logLines().length).toBe(before + 1);
  }, 300_000);
});
