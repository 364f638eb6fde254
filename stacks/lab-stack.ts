import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ArtifactStore } from '../constructs/plan/artifacts';
import { PlanGraph } from '../constructs/plan/plan-graph';
import { PlanStep } from '../constructs/plan/plan-step';
import type { Lab } from '../lab/model';
import type { LabLock } from '../lab/lock';
import type { LabContext } from './context';
import { addCellRuntime } from './parts/cell-runtime';
import { addCompiledReleases } from './parts/compiled';
import { addBuildpacks } from './parts/buildpack';
import { addDiegoVariants } from './parts/diego';
import { addFidelityGates } from './parts/fidelity';
import { addLifecycle } from './parts/lifecycle';
import { addManifests } from './parts/manifests';
import { addRootfs } from './parts/rootfs';
import { addTryApp } from './parts/try-app';

export interface LabStackProps {
  readonly lab: Lab;
  readonly lock: LabLock;
  readonly projectRoot: string;
  readonly upstreamDir: string;
  /** The project root as seen from cdktf.out/stacks/<stack>; plan commands are spelled relative to it. */
  readonly rootFromStackDir: string;
  readonly directorSteps: boolean;
}

/** The whole lab as one Terraform stack: artifact steps, then director steps, in one ordered plan. */
export class LabStack extends TerraformStack {
  readonly artifacts: ArtifactStore;
  readonly graph: PlanGraph;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id);
    // cdktf's default local backend writes an absolute state path. Keep cdktf's place for it (beside the
    // output directory, which every synth replaces) but spell it relative to the stack directory.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    this.artifacts = new ArtifactStore(this);
    this.graph = new PlanGraph(this, props.rootFromStackDir);
    const ctx: LabContext = {
      scope: this,
      lab: props.lab,
      lock: props.lock,
      artifacts: this.artifacts,
      graph: this.graph,
      projectRoot: props.projectRoot,
      upstreamDir: props.upstreamDir,
      directorSteps: props.directorSteps,
    };
    const rootfs = addRootfs(ctx);
    const lifecycle = addLifecycle(ctx);
    const diego = addDiegoVariants(ctx, lifecycle);
    // The fidelity gate: the ARM binaries' upstream unit tests pass under qemu as on amd64 (docs/fidelity.md).
    const fidelity = [...addFidelityGates(ctx, lifecycle, diego).values()];
    const runtime = addCellRuntime(ctx);
    const compiled = addCompiledReleases(ctx, rootfs, diego, runtime);
    // try-app is the gate: no director step starts before the lab's own bits ran an app.
    const buildpacks = addBuildpacks(ctx);
    const gates = [...addTryApp(ctx).values(), ...fidelity];
    // The receipt of the whole artifact half (what `npm run rebuild` compares); each deployment is gated
    // on a receipt of its own artifacts instead (constructs/bosh/director-steps.ts).
    addReceipt(this.graph);
    addManifests(ctx, rootfs, diego, compiled, runtime, gates, buildpacks);
  }
}

/**
 * The last artifact step: records every artifact step's trigger and output identity (the rules
 * `npm run rebuild` compares by, pipelines/lib/step/receipt.mjs).
 */
function addReceipt(graph: PlanGraph): PlanStep | undefined {
  const artifactSteps = graph.all().filter((s) => !(s.props.needs ?? []).includes('director'));
  if (artifactSteps.length === 0) return undefined;
  return new PlanStep(graph.node.scope as Construct, 'Receipt-Record', {
    script: 'write-receipt',
    description: 'record the triggers and output checksums of every artifact step',
    args: { after: artifactSteps.map((s) => s.stepId).sort().join(',') },
    dependsOn: artifactSteps,
  });
}
