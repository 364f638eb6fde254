import { upstreamDirOf } from '../contracts/upstream-dir.cjs';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { App } from 'cdktf';
import type { ArtifactStore } from '../constructs/plan/artifacts';
import type { PlanDocument, PlanGraph } from '../constructs/plan/plan-graph';
import { loadLab } from '../lab/load';
import { loadLock, lockFileFor } from '../lab/load-lock';
import { LabStack } from './lab-stack';
import { dropTerraformVersionChecks } from './terraform-version-checks';
import { removeStaleStagingDirs } from './staging';
import { commitDir, prepareDir } from '../contracts/atomic-dir.cjs';
import { checkStepArguments } from '../constructs/plan';

export interface SynthOptions {
  /** Project root (where pipelines/ lives). */
  readonly projectRoot: string;
  /** Lab file, relative to the project root or absolute. */
  readonly labFile: string;
  /** Output directory, relative to the project root or absolute (default cdktf.out). */
  readonly outdir: string;
  readonly upstreamDir?: string;
  /** Synthesize only the artifact steps (no director steps): rebuilds and CI deploys. */
  readonly artifactsOnly?: boolean;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stackName: string;
  readonly stackDir: string;
}

/** Name of the lab's Terraform stack (one per lab). */
export const LAB_STACK_ID = 'lab';

/**
 * Validates the lab, synthesizes into a fresh folder beside the target, and only then swaps it into
 * place with one rename of a link (contracts/atomic-dir.cjs): bad input, a failing construct or a kill at
 * any moment leaves the previous output (or none) untouched; leftovers of a killed synth go on the next.
 */
export function synthLab(opts: SynthOptions): SynthResult {
  const projectRoot = resolve(opts.projectRoot);
  const outdir = resolve(projectRoot, opts.outdir);
  const lab = loadLab(resolve(projectRoot, opts.labFile), projectRoot);
  const lock = loadLock(lockFileFor(resolve(projectRoot, opts.labFile)), projectRoot);

  mkdirSync(dirname(outdir), { recursive: true });
  removeStaleStagingDirs(dirname(outdir));
  const staging = prepareDir(outdir);
  try {
    const stackDirFinal = join(outdir, 'stacks', LAB_STACK_ID);
    const app = new App({ outdir: staging, skipValidation: false });
    const stack = new LabStack(app, LAB_STACK_ID, {
      lab,
      lock,
      projectRoot,
      upstreamDir: opts.upstreamDir !== undefined ? resolve(projectRoot, opts.upstreamDir) : upstreamDirOf(projectRoot, {}),
      rootFromStackDir: relative(stackDirFinal, projectRoot).split('\\').join('/') || '.',
      directorSteps: !opts.artifactsOnly,
    });
    dropTerraformVersionChecks(app);
    app.synth();
    checkStepArguments(stack.graph.ordered());
    writeStackFiles(join(staging, 'stacks', LAB_STACK_ID), stack.artifacts, stack.graph, lab.name);
    normalizeManifest(staging);
    commitDir(outdir, staging);
    return { outdir, stackName: LAB_STACK_ID, stackDir: stackDirFinal };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Writes a stack's artifacts and plan.json next to its cdk.tf.json. */
export function writeStackFiles(stackDir: string, artifacts: ArtifactStore, graph: PlanGraph, planName: string): void {
  for (const [rel, artifact] of artifacts.all()) {
    const file = join(stackDir, 'artifacts', rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, artifact.content);
    chmodSync(file, artifact.mode);
  }
  const plan: PlanDocument = { lab: planName, steps: graph.ordered(), deployments: graph.deployments() };
  writeFileSync(join(stackDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
}

/** cdktf's manifest.json is already relative; this guards the rule that no absolute path leaks out. */
function normalizeManifest(staging: string): void {
  const manifest = join(staging, 'manifest.json');
  if (!existsSync(manifest)) return;
  const text = readFileSync(manifest, 'utf8');
  if (text.includes(staging)) throw new Error(`cdktf manifest contains the absolute synth path ${staging}`);
}
