// plan.json, the plan the synth writes (stacks/synth.ts) and the steps, preview, rebuild and receipt read:
// types only, shared by both sides so that no step imports a construct file. docs/contracts.md.

/** What a step needs on the machine that runs it; `director` steps stop cleanly when BOSH_* is unset. */
export type StepNeed = 'docker' | 'qemu' | 'mmdebstrap' | 'go' | 'bosh' | 'director';

/** One row of plan.json: what `npm run preview` and `rebuild` read instead of parsing Terraform JSON. */
export interface PlannedStep {
  readonly id: string;
  readonly script: string;
  readonly description: string;
  readonly args: Record<string, string>;
  readonly inputs: string[];
  readonly needs: StepNeed[];
  /** Trigger edges: the steps whose triggers are part of this step's trigger. */
  readonly after: string[];
  /** Order-only edges: steps this one runs after, whose re-run does not make this one run. */
  readonly orderAfter: string[];
  readonly trigger: string;
  readonly out: string;
  /**
   * Stable key -> path relative to `out` of what the step makes for other tools (see PlanStepProps.provides).
   * @default undefined (left out of plan.json: the step names no outputs)
   */
  readonly provides?: Record<string, string>;
  readonly command: string;
}

/** plan.json: written by the synth (stacks/synth.ts), read by previews, rebuilds and the receipt step. */
export interface PlanDocument {
  /** The lab's plan name. */
  readonly lab: string;
  /** In PlanGraph.ordered() order: dependencies first. */
  readonly steps: readonly PlannedStep[];
  readonly deployments: readonly DeploymentSummary[];
}

/**
 * What a reviewer must not miss about a BOSH deployment, read from its manifest: instance groups and
 * their sizes, stemcells, releases, the stacks its reps advertise and the stacks its Cloud Controller
 * lists. plan.json carries one per deployment so a preview can warn about risky changes between two plans.
 */
export interface DeploymentSummary {
  readonly deployment: string;
  /** `alias=os/version`, sorted. */
  readonly stemcells: readonly string[];
  /** Release names, sorted. */
  readonly releases: readonly string[];
  readonly instanceGroups: readonly InstanceGroupSummary[];
  /** Stack names in any cloud_controller_ng job's cc.stacks, sorted. */
  readonly ccStacks: readonly string[];
  /**
   * Releases this deployment runs at another version than the control plane, with the lab's reason.
   * @default undefined (none)
   */
  readonly versionOverrides?: ReadonlyArray<{ readonly release: string; readonly version: string; readonly paired: string; readonly reason: string }>;
}

export interface InstanceGroupSummary {
  readonly name: string;
  readonly instances: number;
  readonly stemcell: string;
  /** Stack names of the rep's diego.rep.preloaded_rootfses (`name:path`), sorted. */
  readonly stacks: readonly string[];
}
