import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ArtifactStore } from '../constructs/plan/artifacts';
import { PlanGraph } from '../constructs/plan/plan-graph';
import type { Lab } from '../lab/model';
import type { LabLock } from '../lab/lock';
import type { LabContext } from './context';
import { addDiegoVariants } from './parts/diego';
import { addLifecycle } from './parts/lifecycle';
import { addManifests } from './parts/manifests';
import { addRootfs } from './parts/rootfs';

export interface LabStackProps {
  readonly lab: Lab;
  readonly lock: LabLock;
  readonly projectRoot: string;
  readonly upstreamDir: string;
  /** The project root as seen from cdktf.out/stacks/<stack>; plan commands are spelled relative to it. */
  readonly rootFromStackDir: string;
}

/** The whole lab as one Terraform stack: artifact steps, then director steps, in one ordered plan. */
export class LabStack extends TerraformStack {
  readonly artifacts: ArtifactStore;
  readonly graph: PlanGraph;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id);
    // cdktf's default local backend writes an absolute state path; keep state beside cdk.tf.json instead.
    new LocalBackend(this, { path: 'terraform.tfstate' });
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
    };
    const rootfs = addRootfs(ctx);
    const lifecycle = addLifecycle(ctx);
    const diego = addDiegoVariants(ctx, lifecycle);
    addManifests(ctx, rootfs, diego);
  }
}
