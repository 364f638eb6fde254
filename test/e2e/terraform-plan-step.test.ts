import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { synthMiniPlan } from '../support/mini-stack';
import { outcome, run } from '../support/run';

const stepsLog = join(PROJECT_ROOT, 'build', 'steps.log');
const logLines = (): string[] => (existsSync(stepsLog) ? readFileSync(stepsLog, 'utf8').split('\n') : []);
/** The log outlives test runs: count only the lines written since this file started. */
const baseline = logLines().length;
const runsOf = (trigger: string): number => logLines().slice(Math.max(baseline - 1, 0)).filter((l) => l.includes(trigger)).length;

describe('plan steps under a real terraform (offline, terraform_data only)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('runs each step once, then a second apply runs nothing, then a changed input re-runs exactly it and its dependents', () => {
    const plan = synthMiniPlan('v1', undefined, { independent: true });
    const independent = plan.independent!;
    dirs.push(plan.outdir);
    const init = run('terraform', ['init', '-input=false', '-no-color'], { cwd: plan.stackDir });
    expect(init.stdout).toMatch(/Terraform has been successfully initialized/);
    expect(outcome(init)).toEqual({ status: 0, tail: '' });

    const apply1 = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: plan.stackDir });
    expect(apply1.stdout + apply1.stderr).toMatch(/Apply complete! Resources: 3 added, 0 changed, 0 destroyed/);
    expect(outcome(apply1)).toEqual({ status: 0, tail: '' });
    expect(runsOf(plan.first.trigger)).toBe(1);
    expect(runsOf(plan.second.trigger)).toBe(1);
    expect(runsOf(independent.trigger)).toBe(1);
    const receipt = JSON.parse(readFileSync(join(PROJECT_ROOT, plan.second.outDir, 'receipt.json'), 'utf8'));
    expect(Object.keys(receipt.steps)).toEqual([plan.first.stepId]);

    const apply2 = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: plan.stackDir });
    expect(outcome(apply2)).toEqual({ status: 0, tail: '' });
    expect(apply2.stdout).toMatch(/No changes\./);
    expect(runsOf(plan.first.trigger)).toBe(1);
    expect(runsOf(plan.second.trigger)).toBe(1);
    expect(runsOf(independent.trigger)).toBe(1);

    // Re-synthesize into the same directory with a changed input: both steps get new triggers.
    const state = readFileSync(join(plan.stackDir, 'terraform.tfstate'));
    const changed = synthMiniPlan('v2', plan.outdir, { independent: true });
    writeFileSync(join(changed.stackDir, 'terraform.tfstate'), state);
    expect(changed.first.trigger).not.toBe(plan.first.trigger);
    expect(changed.second.trigger).not.toBe(plan.second.trigger);
    expect(changed.independent!.trigger).toBe(independent.trigger);
    const apply3 = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: changed.stackDir });
    expect(outcome(apply3)).toEqual({ status: 0, tail: '' });
    expect(apply3.stdout).toMatch(/Resources: 2 added, 0 changed, 2 destroyed/);
    // the changed step and its dependent ran once more, under their new triggers; the independent one did not
    expect(runsOf(changed.first.trigger)).toBe(1);
    expect(runsOf(changed.second.trigger)).toBe(1);
    expect(runsOf(plan.first.trigger)).toBe(1);
    expect(runsOf(independent.trigger)).toBe(1);
  }, 120_000);
});
