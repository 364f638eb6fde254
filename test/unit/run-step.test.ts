import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unfinishedRunsFile } from '../../contracts/unfinished-runs.cjs';
import { PROJECT_ROOT } from '../support/lab-files';
import { run } from '../support/run';

const runStep = (args: string[], env: NodeJS.ProcessEnv, root = PROJECT_ROOT) =>
  run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'run-step.mjs'), ...args, `--root=${root}`, '--out=/nonexistent/never'], { env: { STACK_ELEVATOR_STEP: 'test-step', ...env } });

/**
 * A root with no .tools and a PATH holding only the given tools (each a script that would fail loudly if
 * run), so which tools exist is this test's choice, not the machine's.
 */
function preparedMachine(tools: string[]): { root: string; PATH: string } {
  const root = mkdtempSync(join(tmpdir(), 'se-run-step-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const t of tools) {
    writeFileSync(join(bin, t), '#!/bin/sh\necho "the runner must not run $0" >&2\nexit 99\n');
    chmodSync(join(bin, t), 0o755);
  }
  return { root, PATH: bin };
}

describe('the plan-step runner', () => {
  it('stops a step whose tool is missing, naming the tool and the fix, before running anything', () => {
    const { root, PATH } = preparedMachine(['bosh']);
    const res = runStep(['write-receipt', '--needs=bosh,go'], { PATH }, root);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('[test-step] needs go, which is not installed (fix: npm run setup)\n');
  });

  it('stops a director step without BOSH_* in the environment, naming every missing variable', () => {
    const { root, PATH } = preparedMachine(['bosh']);
    const res = runStep(['bosh-deploy', '--needs=bosh,director'], { PATH, BOSH_ENVIRONMENT: '', BOSH_CLIENT: '', BOSH_CLIENT_SECRET: '', BOSH_CA_CERT: '' }, root);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^\[test-step\] no director configured: set BOSH_ENVIRONMENT, BOSH_CLIENT, BOSH_CLIENT_SECRET, BOSH_CA_CERT in the environment/);
    // a partly configured director is named by what is still missing
    const partly = runStep(['bosh-deploy', '--needs=bosh,director'], { PATH, BOSH_ENVIRONMENT: '10.0.0.6', BOSH_CLIENT: 'admin', BOSH_CLIENT_SECRET: '', BOSH_CA_CERT: '' }, root);
    expect(partly.status).toBe(1);
    expect(partly.stderr).toMatch(/^\[test-step\] no director configured: set BOSH_CLIENT_SECRET, BOSH_CA_CERT in the environment/);
  });

  it('logs every run with its exit code', () => {
    const trigger = `t-${process.pid}-${Date.now()}`;
    const res = runStep(['write-receipt'], { STACK_ELEVATOR_TRIGGER: trigger });
    expect(res.status).not.toBe(0); // no plan.json beside --artifacts: the receipt step itself fails
    const line = readFileSync(join(PROJECT_ROOT, 'build', 'steps.log'), 'utf8').split('\n').find((l) => l.includes(trigger));
    expect(line).toMatch(new RegExp(`^test-step ${trigger} exit=1 \\d+\\.\\ds$`));
  });
});

describe('the plan-step runner on a published output', () => {
  /** A root whose step output (relative to the working directory, as the plan passes it) is a published link. */
  function published(): { root: string; out: string } {
    const root = mkdtempSync(join(tmpdir(), 'se-run-step-out-'));
    mkdirSync(join(root, 'build', 'step-x', '.abc.v-1-deadbeef'), { recursive: true });
    writeFileSync(join(root, 'build', 'step-x', '.abc.v-1-deadbeef', 'result.txt'), 'done\n');
    symlinkSync('.abc.v-1-deadbeef', join(root, 'build', 'step-x', 'abc'));
    return { root, out: 'build/step-x/abc' };
  }
  const stepsLogOf = (root: string) => (existsSync(join(root, 'build', 'steps.log')) ? readFileSync(join(root, 'build', 'steps.log'), 'utf8') : '');
  const runIn = (root: string, out: string, env: NodeJS.ProcessEnv) =>
    run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'run-step.mjs'), 'write-receipt', `--root=${root}`, `--out=${out}`], { cwd: root, env: { STACK_ELEVATOR_STEP: 'step-x', STACK_ELEVATOR_FORCE: '', ...env } });

  it('reuses it when the plan runs the step (a trigger is set): nothing runs, exit 0, logged as reused', () => {
    const { root, out } = published();
    const res = runIn(root, out, { STACK_ELEVATOR_TRIGGER: 'trig-1' });
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
    expect(res.stdout).toContain("[step-x] build/step-x/abc already holds this step's output (same trigger): reused");
    expect(stepsLogOf(root)).toBe('step-x trig-1 exit=0 0.0s reused\n');
  });

  it('runs the step when forced, when run by hand (no trigger), and when the output is a plain folder or a dangling link', () => {
    const { root, out } = published();
    // the receipt step fails here (no plan.json): proof that it ran
    expect(runIn(root, out, { STACK_ELEVATOR_TRIGGER: 'trig-2', STACK_ELEVATOR_FORCE: '1' }).status).not.toBe(0);
    expect(runIn(root, out, { STACK_ELEVATOR_TRIGGER: '' }).status).not.toBe(0);
    const plain = join(root, 'build', 'step-y', 'abc');
    mkdirSync(plain, { recursive: true });
    expect(runIn(root, 'build/step-y/abc', { STACK_ELEVATOR_TRIGGER: 'trig-3' }).status).not.toBe(0);
    symlinkSync('.gone.v-1-00000000', join(root, 'build', 'step-y', 'dangling'));
    expect(runIn(root, 'build/step-y/dangling', { STACK_ELEVATOR_TRIGGER: 'trig-4' }).status).not.toBe(0);
    expect(stepsLogOf(root)).not.toMatch(/reused/);
  });

  it('counts the runs that started and did not finish where the plan reads them: a failed run adds one, a finished run leaves the count the plan read', () => {
    const root = mkdtempSync(join(tmpdir(), 'se-run-step-count-'));
    symlinkSync(join(PROJECT_ROOT, 'pipelines'), join(root, 'pipelines')); // run-step runs <root>/pipelines/<script>.mjs
    const trigger = 'f'.repeat(64);
    const count = join(root, unfinishedRunsFile('step-z', trigger));
    expect(count).toBe(join(root, 'build', 'step-z', `.unfinished-${'f'.repeat(16)}`));
    const go = (out: string, t = trigger) => runIn(root, out, { STACK_ELEVATOR_STEP: 'step-z', STACK_ELEVATOR_TRIGGER: t });
    expect(go('build/step-z/a').status).not.toBe(0); // no plan.json: the receipt step fails
    expect(readFileSync(count, 'utf8')).toBe('1\n');
    writeFileSync(join(root, 'plan.json'), JSON.stringify({ lab: 'lab.yaml', steps: [] }));
    expect(go('build/step-z/a').status).toBe(0);
    expect(readFileSync(count, 'utf8')).toBe('1\n'); // what the plan read before this run: no change to replace on
    expect(go('build/step-z/a').status).toBe(0); // reused: the count is not touched
    expect(readFileSync(count, 'utf8')).toBe('1\n');
    // a step that only ever finished leaves no count at all
    expect(go('build/step-z/b', 'e'.repeat(64)).status).toBe(0);
    expect(existsSync(join(root, unfinishedRunsFile('step-z', 'e'.repeat(64))))).toBe(false);
  });
});
