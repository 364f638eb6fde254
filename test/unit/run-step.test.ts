import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
