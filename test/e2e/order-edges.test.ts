import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import { PlanStep } from '../../constructs/plan/plan-step';
import { writeStackFiles } from '../../stacks/synth';
import { dropTerraformVersionChecks } from '../../stacks/terraform-version-checks';
import { PROJECT_ROOT } from '../support/lab-files';
import { run } from '../support/run';

const stepsLog = join(PROJECT_ROOT, 'build', 'steps.log');
const logLines = (): string[] => (existsSync(stepsLog) ? readFileSync(stepsLog, 'utf8').split('\n') : []);

/** first <- consumer (trigger edge), first <- follower (order-only edge), synthesized into `outdir`. */
function synthOrderPlan(input: string, outdir: string) {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'order');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const store = new ArtifactStore(stack);
  const stackDir = join(outdir, 'stacks', 'order');
  new PlanGraph(stack, relative(stackDir, PROJECT_ROOT));
  store.add('notes/input.txt', input);
  const first = new PlanStep(stack, 'First', { script: 'write-receipt', description: 'first', inputs: ['notes'] });
  const consumer = new PlanStep(stack, 'Consumer', { script: 'write-receipt', description: 'reads first', args: { after: first.stepId }, dependsOn: [first] });
  const follower = new PlanStep(stack, 'Follower', { script: 'write-receipt', description: 'only after first', orderAfter: [first] });
  dropTerraformVersionChecks(app);
  app.synth();
  writeStackFiles(stackDir, store, PlanGraph.of(first), 'order');
  return { stackDir, first, consumer, follower };
}

/** What the director half relies on, under a real terraform: an order-only edge sequences but never re-runs. */
describe('order-only edges under a real terraform', () => {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
  const outdir = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-order-edges-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('runs the follower after the step it follows, and not again when that step re-runs', () => {
    const v1 = synthOrderPlan('v1', outdir);
    expect(run('terraform', ['init', '-input=false', '-no-color'], { cwd: v1.stackDir }).status).toBe(0);
    const before = logLines().length;
    const apply1 = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=1'], { cwd: v1.stackDir });
    expect(apply1.stdout + apply1.stderr).toMatch(/Apply complete! Resources: 3 added, 0 changed, 0 destroyed/);
    const ran1 = logLines().slice(before - 1).filter((l) => l.trim() !== '').map((l) => l.split(' ')[1]);
    expect(ran1.indexOf(v1.first.trigger)).toBeGreaterThanOrEqual(0);
    expect(ran1.indexOf(v1.first.trigger)).toBeLessThan(ran1.indexOf(v1.follower.trigger));

    const state = readFileSync(join(v1.stackDir, 'terraform.tfstate'));
    const v2 = synthOrderPlan('v2', outdir);
    writeFileSync(join(v2.stackDir, 'terraform.tfstate'), state);
    expect(v2.follower.trigger).toBe(v1.follower.trigger);
    const mark = logLines().length;
    const apply2 = run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: v2.stackDir });
    expect(apply2.stdout + apply2.stderr).toMatch(/Resources: 2 added, 0 changed, 2 destroyed/);
    const ran2 = logLines().slice(mark - 1).filter((l) => l.trim() !== '').map((l) => l.split(' ')[1]);
    expect(ran2).toEqual(expect.arrayContaining([v2.first.trigger, v2.consumer.trigger]));
    expect(ran2).not.toContain(v2.follower.trigger);
  }, 180_000);
});
