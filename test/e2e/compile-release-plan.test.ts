import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanStep } from '../../constructs/plan/plan-step';
import { cleanupCrossCompile, Synthesized } from '../support/cross-compile';
import { greetingReleasePlan } from '../support/greeting-release';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

const stepsLog = join(PROJECT_ROOT, 'build', 'steps.log');
const logLines = (): string[] => (existsSync(stepsLog) ? readFileSync(stepsLog, 'utf8').split('\n') : []);
const baseline = logLines().length;
const runsOf = (trigger: string): number => logLines().slice(Math.max(baseline - 1, 0)).filter((l) => l.includes(trigger)).length;

/** A one-package release dir as artifacts, its create-release step and the compile step for the Pi stemcell. */
const plan = (greeting: string): Synthesized => greetingReleasePlan('tiny', greeting);

const terraform = (s: Synthesized, ...args: string[]) => run('terraform', [...args, '-input=false', '-no-color'], { cwd: s.stackDir, env: { CHECKPOINT_DISABLE: '1' } });

describe('the compile step in a real terraform plan', () => {
  const ran: PlanStep[] = [];
  afterAll(() => {
    cleanupCrossCompile();
    for (const s of ran) {
      rmSync(join(PROJECT_ROOT, s.outDir), { recursive: true, force: true });
      const parent = join(PROJECT_ROOT, s.outDir, '..');
      if (existsSync(parent) && readdirSync(parent).length === 0) rmSync(parent, { recursive: true });
    }
  });

  it('compiles after create-release, then an unchanged input re-runs nothing, and a changed source re-runs it', () => {
    const p = plan('hello');
    ran.push(p.steps.source, p.steps.compile);
    expect(terraform(p, 'init').status).toBe(0);
    const apply1 = terraform(p, 'apply', '-auto-approve');
    expect(apply1.stdout + apply1.stderr).toMatch(/Apply complete! Resources: 2 added/);
    expect(runsOf(p.steps.source.trigger)).toBe(1);
    expect(runsOf(p.steps.compile.trigger)).toBe(1);
    const out = join(PROJECT_ROOT, p.steps.compile.outDir);
    expect(readdirSync(out).filter((f) => f.endsWith('.tgz'))).toEqual(['tiny-1.0.0-debian-bookworm-armhf-0.1.0.tgz']);
    expect(JSON.parse(readFileSync(join(out, 'compiled.json'), 'utf8')).compiledPackages.map((c: { name: string }) => c.name)).toEqual(['greeting']);

    const apply2 = terraform(p, 'apply', '-auto-approve');
    expect(outcome(apply2)).toEqual({ status: 0, tail: '' });
    expect(apply2.stdout).toMatch(/No changes\./);
    expect(runsOf(p.steps.compile.trigger)).toBe(1);

    const state = readFileSync(join(p.stackDir, 'terraform.tfstate'));
    const changed = plan('hello, changed');
    ran.push(changed.steps.source, changed.steps.compile);
    expect(changed.steps.compile.trigger).not.toBe(p.steps.compile.trigger);
    writeFileSync(join(changed.stackDir, 'terraform.tfstate'), state);
    expect(terraform(changed, 'init').status).toBe(0);
    const apply3 = terraform(changed, 'apply', '-auto-approve');
    expect(outcome(apply3)).toEqual({ status: 0, tail: '' });
    expect(runsOf(changed.steps.compile.trigger)).toBe(1);
  }, 300_000);
});
