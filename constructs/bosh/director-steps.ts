import { Construct } from 'constructs';
import { PlanStep } from '../plan/plan-step';

export interface UploadRelease {
  /** A build step's output directory (relative to the project root): every *.tgz in it is uploaded. */
  readonly dir: string;
  /**
   * The build step that makes the release: its trigger is part of the upload's, and it goes into the receipt.
   * @default undefined (a release made outside the plan: nothing triggers its upload)
   */
  readonly step?: PlanStep;
}

/** The manifest a deploy starts from: one of the artifacts, or an upstream manifest fetched at step time. */
export type DeployManifest = { readonly artifact: string } | { readonly upstream: string };

export interface DeploySpec {
  /** Step-id suffix, e.g. control-plane: its steps are receipt-<name>, upload-<name>, deploy-<name>. */
  readonly name: string;
  readonly description: string;
  readonly deployment: string;
  readonly manifest: DeployManifest;
  /** Ops-files, relative to artifacts/, in -o order. */
  readonly ops: readonly string[];
  /** Non-secret `name=value` vars (-v). Credentials come from CredHub or the environment, never from here. */
  readonly vars: readonly string[];
  /** Artifact paths whose bytes decide whether the deploy runs again. */
  readonly inputs: readonly string[];
  /** The releases this deployment's manifest names that a build step makes: only these trigger its upload. */
  readonly releases: readonly UploadRelease[];
  /** `os/version` of every stemcell this deployment uses (checked on the director, not uploaded). */
  readonly stemcells: readonly string[];
  /**
   * Releases the lab supplies, `<name>/<version>@<os>/<version>`: the deploy stops first when the director lacks any.
   * @default [] (no `--requires`)
   */
  readonly requires?: readonly string[];
  /**
   * Releases the director's default runtime config must name, `<name>/<version>` (bosh-dns): the deploy
   * stops first when `bosh runtime-config` names another version or none.
   * @default [] (no `--runtime-config`)
   */
  readonly runtimeConfig?: readonly string[];
}

export interface DirectorStepsProps {
  /** Deployed in this order: each deploy comes after the previous one by an order-only edge. */
  readonly deployments: readonly DeploySpec[];
  /**
   * Steps every upload comes after (order only): the try-app gate, so no director step runs before an app ran.
   * @default [] (no gate)
   */
  readonly gates?: readonly PlanStep[];
}

export interface DeploymentSteps {
  /**
   * Records the build steps behind this deployment's releases; nothing of it touches the director before.
   * @default undefined (none of the deployment's releases is built by the plan)
   */
  readonly receipt?: PlanStep;
  readonly upload: PlanStep;
  readonly deploy: PlanStep;
}

/**
 * The director half of the plan, per deployment: a receipt of the build steps its releases come from,
 * the upload of exactly those releases, then the deploy. A deploy's trigger holds what it consumes (its
 * manifest inputs and its own upload), so a rootfs change re-deploys the cells and not the control plane.
 * The deployments' order (control plane before cells) is kept as an order-only edge: depends_on without
 * the earlier deploy's trigger. Every director step runs pipelines/bosh-deploy.mjs and needs a director,
 * so without BOSH_* in the environment the plan still synthesizes and previews and a deploy stops there.
 */
export class DirectorSteps extends Construct {
  readonly byDeployment: ReadonlyMap<string, DeploymentSteps>;

  constructor(scope: Construct, id: string, props: DirectorStepsProps) {
    super(scope, id);
    const steps = new Map<string, DeploymentSteps>();
    let previous: PlanStep | undefined;
    for (const d of props.deployments) {
      const releaseSteps = unique(d.releases.flatMap((r) => (r.step ? [r.step] : [])));
      const built = buildClosure(releaseSteps);
      const receipt =
        built.length === 0
          ? undefined
          : new PlanStep(this, `${d.name}-record`, {
              script: 'write-receipt',
              description: `record the triggers and output checksums of the ${built.length} build step(s) behind ${d.deployment}`,
              args: { after: built.map((s) => s.stepId).sort().join(',') },
              dependsOn: built,
            });
      const upload = new PlanStep(this, `${d.name}-upload`, {
        script: 'bosh-deploy',
        description: `upload ${d.releases.length} release(s) of ${d.deployment}, check ${unique(d.stemcells).length} stemcell(s) on the director`,
        args: {
          action: 'upload',
          releases: unique(d.releases.map((r) => r.dir)).sort().join(','),
          stemcells: unique(d.stemcells).sort().join(','),
        },
        dependsOn: releaseSteps,
        orderAfter: [...(receipt ? [receipt] : []), ...(props.gates ?? [])],
        needs: ['bosh', 'director'],
      });
      const deploy = new PlanStep(this, `${d.name}-deploy`, {
        script: 'bosh-deploy',
        description: d.description,
        args: {
          action: 'deploy',
          deployment: d.deployment,
          ...('artifact' in d.manifest ? { manifest: d.manifest.artifact } : { base: d.manifest.upstream }),
          ...(d.ops.length > 0 ? { ops: d.ops.join(',') } : {}),
          ...(d.vars.length > 0 ? { vars: d.vars.join(',') } : {}),
          ...(d.requires && d.requires.length > 0 ? { requires: d.requires.join(',') } : {}),
          ...(d.runtimeConfig && d.runtimeConfig.length > 0 ? { 'runtime-config': d.runtimeConfig.join(',') } : {}),
        },
        inputs: d.inputs,
        dependsOn: [upload],
        orderAfter: previous ? [previous] : [],
        needs: ['bosh', 'director'],
      });
      steps.set(d.name, { receipt, upload, deploy });
      previous = deploy;
    }
    this.byDeployment = steps;
  }
}

/** The given steps and every step they consume, transitively (trigger edges only). */
function buildClosure(steps: readonly PlanStep[]): PlanStep[] {
  const seen = new Map<string, PlanStep>();
  const visit = (s: PlanStep): void => {
    if (seen.has(s.stepId)) return;
    seen.set(s.stepId, s);
    (s.props.dependsOn ?? []).forEach(visit);
  };
  steps.forEach(visit);
  return [...seen.values()];
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
