import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { run } from '../support/run';

const runStep = (args: string[], env: NodeJS.ProcessEnv) =>
  run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'run-step.mjs'), ...args, `--root=${PROJECT_ROOT}`, '--out=/nonexistent/never'], { env: { STACK_ELEVATOR_STEP: 'test-step', ...env } });

describe('the plan-step runner', () => {
  it('stops a step whose tool is missing, naming the tool and the fix, before running anything', () => {
    const res = runStep(['write-receipt', '--needs=go'], { PATH: '/nonexistent' });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('[test-step] needs go, which is not installed (fix: npm run setup)\n');
  });

  it('stops a director step without BOSH_* in the environment, naming every missing variable', () => {
    const res = runStep(['bosh-deploy', '--needs=bosh,director'], { BOSH_ENVIRONMENT: '', BOSH_CLIENT: '', BOSH_CLIENT_SECRET: '', BOSH_CA_CERT: '' });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^\[test-step\] no director configured: set BOSH_ENVIRONMENT, BOSH_CLIENT, BOSH_CLIENT_SECRET, BOSH_CA_CERT in the environment/);
  });

  it('logs every run with its exit code', () => {
    const trigger = `t-${process.pid}-${Date.now()}`;
    const res = runStep(['write-receipt'], { STACK_ELEVATOR_TRIGGER: trigger });
    expect(res.status).not.toBe(0); // no plan.json beside --artifacts: the receipt step itself fails
    const line = readFileSync(join(PROJECT_ROOT, 'build', 'steps.log'), 'utf8').split('\n').find((l) => l.includes(trigger));
    expect(line).toMatch(new RegExp(`^test-step ${trigger} exit=1 \\d+\\.\\ds$`));
  });
});
