import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph, PlannedStep } from '../../constructs/plan/plan-graph';
import { PlanStep } from '../../constructs/plan/plan-step';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import type { Arch, Lab } from '../../lab/model';
import type { LabLock } from '../../lab/lock';
import type { LabContext } from '../../stacks/context';
import { addDiegoVariants, DiegoOptions, DiegoPart } from '../../stacks/parts/diego';
import { addLifecycle, type LifecyclePart } from '../../stacks/parts/lifecycle';
import { writeStackFiles } from '../../stacks/synth';
import { armPackageFiles, FIXTURES_UPSTREAM } from './diego-fixture';
import { PROJECT_ROOT, writeLab } from './lab-files';

export interface DiegoSynthOptions {
  /** Lab file (default: the embedded lab.yaml). */
  readonly labFile?: string;
  /** Give the part stand-in ARM packages for these arches (default: every cell arch of the lab). */
  readonly armArches?: readonly Arch[];
  /** Extra bytes appended to one ARM package's packaging, to see what a change moves. */
  readonly tweakArmPackaging?: string;
  readonly upstreamDir?: string;
  readonly options?: DiegoOptions;
  readonly editLock?: (lock: LabLock) => LabLock;
  /** The lab's real lifecycle part (cross-compile steps from the pinned tree) instead of stand-ins. */
  readonly realLifecycle?: boolean;
  /** cdktf outdir to write the stack to (stacks/lab/{cdk.tf.json,artifacts,plan.json}); nothing is written without it. */
  readonly outdir?: string;
}

export interface DiegoSynth {
  readonly lab: Lab;
  readonly part: DiegoPart;
  readonly store: ArtifactStore;
  readonly steps: PlannedStep[];
  readonly stackDir: string;
  readonly tf: Record<string, unknown>;
}

/**
 * The Diego part on its own in a `lab` stack: the real lab model and lock, stand-in lifecycle parts
 * (the issue-4 package dirs' shape) and the shared fixtures as upstream dir.
 */
export function synthDiego(o: DiegoSynthOptions = {}): DiegoSynth {
  const labFile = o.labFile ?? writeLab();
  const lab = loadLab(labFile, PROJECT_ROOT);
  const baseLock = loadLock(labFile.replace(/\.ya?ml$/, '.lock.json'), PROJECT_ROOT);
  const lock = o.editLock ? o.editLock(baseLock) : baseLock;
  const outdir = o.outdir ?? join(PROJECT_ROOT, 'build', 'test-diego-unwritten');
  const stackDir = join(outdir, 'stacks', 'lab');
  try {
    mkdirSync(dirname(outdir), { recursive: true }); // cdktf's App makes its outdir, but not the parents
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'lab');
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    const store = new ArtifactStore(stack);
    const graph = new PlanGraph(stack, relative(stackDir, PROJECT_ROOT).split('\\').join('/'));

    const upstreamDir = o.upstreamDir ?? FIXTURES_UPSTREAM;
    const ctx: LabContext = { scope: stack, lab, lock, artifacts: store, graph, projectRoot: PROJECT_ROOT, upstreamDir, directorSteps: false };
    const lifecycle = o.realLifecycle ? new Map(addLifecycle(ctx)) : new Map<Arch, LifecyclePart>();
    const arches = o.realLifecycle ? [] : (o.armArches ?? [...new Set(lab.cells.map((c) => c.arch))]);
    for (const arch of arches) {
      const files = armPackageFiles(arch);
      for (const [path, content] of Object.entries(files)) {
        store.add(path, o.tweakArmPackaging && path.endsWith(`healthcheck_${arch}/packaging`) ? content + o.tweakArmPackaging : content);
      }
      const compileStep = new PlanStep(stack, `CrossCompile-${arch}`, { script: 'write-receipt', description: `stand-in compile ${arch}`, inputs: [`bosh-packages/${arch}`] });
      const names = [`buildpack_app_lifecycle_${arch}`, `diego-sshd_${arch}`, `healthcheck_${arch}`];
      lifecycle.set(arch, {
        arch,
        packages: names,
        bundlePackage: `buildpack_app_lifecycle_${arch}`,
        packagesArtifactDir: `bosh-packages/${arch}`,
        compileStep,
        packageSteps: new Map(names.map((n) => [n, compileStep])),
        builtFiles: new Map([
          [`buildpack_app_lifecycle_${arch}`, [`packages/buildpack_app_lifecycle_${arch}/buildpack_app_lifecycle.tgz`]],
          [`diego-sshd_${arch}`, [`packages/diego-sshd_${arch}/diego-sshd`]],
          [`healthcheck_${arch}`, [`packages/healthcheck_${arch}/healthcheck`]],
        ]),
      });
    }
    const part = addDiegoVariants(ctx, lifecycle, o.options);
    if (o.outdir) {
      mkdirSync(stackDir, { recursive: true });
      app.synth();
      writeStackFiles(stackDir, store, graph, lab.name);
    }
    return { lab, part, store, steps: graph.ordered(), stackDir, tf: o.outdir ? JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) : {} };
  } finally {
    // cdktf's App creates its outdir eagerly; an in-memory synth (even a failing one) leaves nothing behind.
    if (!o.outdir) rmSync(outdir, { recursive: true, force: true });
  }
}

/** An artifact's text, from the in-memory store. */
export function artifactText(store: ArtifactStore, path: string): string {
  const hit = store.all().find(([p]) => p === path);
  if (!hit) throw new Error(`no artifact ${path}`);
  return hit[1].content.toString('utf8');
}
