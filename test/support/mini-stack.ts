import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import { PlanStep } from '../../constructs/plan/plan-step';
import { writeStackFiles } from '../../stacks/synth';
import { PROJECT_ROOT } from './lab-files';

/**
 * A two-step plan (receipt after receipt) synthesized into a directory inside the project, so its
 * commands reach pipelines/ by a relative path exactly as the lab stack's do. With `independent`, a third
 * step that consumes only its own input, so a test can see it left alone when the note changes.
 */
export function synthMiniPlan(
  note: string,
  outdir = freshDir(),
  opts: { independent?: boolean } = {},
): { outdir: string; stackDir: string; first: PlanStep; second: PlanStep; independent?: PlanStep } {
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'mini');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const store = new ArtifactStore(stack);
  const stackDir = join(outdir, 'stacks', 'mini');
  new PlanGraph(stack, relative(stackDir, PROJECT_ROOT));
  store.add('notes/input.txt', note);
  const first = new PlanStep(stack, 'First', { script: 'write-receipt', description: 'first receipt', inputs: ['notes'] });
  const second = new PlanStep(stack, 'Second', { script: 'write-receipt', description: 'second receipt', args: { after: first.stepId }, dependsOn: [first] });
  let independent: PlanStep | undefined;
  if (opts.independent) {
    store.add('other/input.txt', 'unchanged');
    independent = new PlanStep(stack, 'Independent', { script: 'write-receipt', description: 'independent receipt', inputs: ['other'] });
  }
  app.synth();
  writeStackFiles(stackDir, store, PlanGraph.of(first), 'mini');
  return { outdir, stackDir, first, second, independent };
}

function freshDir(): string {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
  return mkdtempSync(join(PROJECT_ROOT, 'build', 'test-mini-'));
}
