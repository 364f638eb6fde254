import { Construct } from 'constructs';
import { PlanStep } from '../plan/plan-step';

export interface UploadRelease {
  /** A build step's output directory (relative to the project root): every *.tgz in it is uploaded. */
  readonly dir: string;
  readonly step?: PlanStep;
}

/** The manifest a deploy starts from: one of the artifacts, or an upstream manifest fetched at step time. */
export type DeployManifest = { readonly artifact: string } | { readonly upstream: string };

export interface DeploySpec {
  /** Construct id and step-id suffix, e.g. deploy-control-plane. */
  readonly id: string;
  readonly description: string;
  readonly deployment: string;
  readonly manifest: DeployManifest;
  /** Ops-files, relative to artifacts/, in -o order. */
  readonly ops: readonly string[];
  /** Non-secret `name=value` vars (-v). Credentials come from CredHub or the environment, never from here. */
  readonly vars: readonly string[];
  /** Artifact paths whose bytes decide whether the deploy runs again. */
  readonly inputs: readonly string[];
  /** Releases the lab supplies, `<name>/<version>@<os>/<version>`: the deploy stops first when the director lacks any. */
  readonly requires?: readonly string[];
}

export interface DirectorStepsProps {
  readonly releases: readonly UploadRelease[];
  /** `os/version` of every stemcell the deployments use (checked on the director, not uploaded). */
  readonly stemcells: readonly string[];
  /** Deployed in this order, each after the previous. */
  readonly deployments: readonly DeploySpec[];
  /** Steps that must finish before anything touches the director (e.g. the receipt of every artifact step). */
  readonly after?: readonly PlanStep[];
}

/**
 * The director half of the plan: upload what the build steps made, then deploy in order. Every step
 * runs pipelines/bosh-deploy.mjs and needs a director, so without BOSH_* in the environment the plan
 * still synthesizes and previews and a deploy stops at the first of these.
 */
export class DirectorSteps extends Construct {
  readonly upload: PlanStep;
  readonly deploys: readonly PlanStep[];

  constructor(scope: Construct, id: string, props: DirectorStepsProps) {
    super(scope, id);
    const releaseSteps = props.releases.flatMap((r) => (r.step ? [r.step] : []));
    this.upload = new PlanStep(this, 'upload', {
      script: 'bosh-deploy',
      description: `upload ${props.releases.length} release(s), check ${props.stemcells.length} stemcell(s) on the director`,
      args: {
        action: 'upload',
        releases: [...new Set(props.releases.map((r) => r.dir))].sort().join(','),
        stemcells: [...new Set(props.stemcells)].sort().join(','),
      },
      dependsOn: [...new Set([...releaseSteps, ...(props.after ?? [])])],
      needs: ['bosh', 'director'],
    });
    const deploys: PlanStep[] = [];
    let previous = this.upload;
    for (const d of props.deployments) {
      const step = new PlanStep(this, d.id, {
        script: 'bosh-deploy',
        description: d.description,
        args: {
          action: 'deploy',
          deployment: d.deployment,
          ...('artifact' in d.manifest ? { manifest: d.manifest.artifact } : { base: d.manifest.upstream }),
          ...(d.ops.length > 0 ? { ops: d.ops.join(',') } : {}),
          ...(d.vars.length > 0 ? { vars: d.vars.join(',') } : {}),
          ...(d.requires && d.requires.length > 0 ? { requires: d.requires.join(',') } : {}),
        },
        inputs: d.inputs,
        dependsOn: [previous],
        needs: ['bosh', 'director'],
      });
      deploys.push(step);
      previous = step;
    }
    this.deploys = deploys;
  }
}
