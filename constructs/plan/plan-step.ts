import { createHash } from 'node:crypto';
import { DataResource } from 'cdktf';
import { Construct } from 'constructs';
import { ArtifactStore } from './artifacts';
import { PlanGraph } from './plan-graph';
import type { StepNeed } from '../../contracts/plan-document';
import { unfinishedRunsExpression } from '../../contracts/unfinished-runs.cjs';
export type { StepNeed };

export interface PlanStepProps {
  /** Script under pipelines/, without extension: `pipelines/<script>.mjs`. */
  readonly script: string;
  /** One line for plan previews and progress output. */
  readonly description: string;
  /**
   * Command-line arguments, rendered as `--key=value` in key order. Never secrets.
   * @default {}
   */
  readonly args?: Readonly<Record<string, string>>;
  /**
   * Names of args that only say where to look for an input whose identity the trigger already pins (the
   * upstream directory: the tarball sha256 and tag commit are in the step's inputs). Left out of the
   * trigger, so a checkout or fixture directory that sits elsewhere re-runs nothing.
   * @default [] (every arg feeds the trigger)
   */
  readonly locationArgs?: readonly string[];
  /**
   * Artifact paths (files or directories, relative to artifacts/) the step reads; their bytes feed the trigger.
   * @default []
   */
  readonly inputs?: readonly string[];
  /**
   * Extra values that change what the step produces (pins, versions) and are not in an artifact.
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Trigger edges: steps whose output this step consumes; their triggers feed this step's trigger.
   * @default []
   */
  readonly dependsOn?: readonly PlanStep[];
  /**
   * Order-only edges: steps this one must come after without consuming their output (the cells deploy
   * after the control-plane deploy). Terraform's depends_on holds them; the trigger does not.
   * @default []
   */
  readonly orderAfter?: readonly PlanStep[];
  /**
   * What the step needs on the machine that runs it (checked by run-step before the script).
   * @default [] (no `--needs`)
   */
  readonly needs?: readonly StepNeed[];
  /**
   * What other tools may take from the step's out dir: a stable key (e.g. `lifecycle-bundle/armhf`) ->
   * a path relative to the out dir. Listed in plan.json; not part of the trigger (it follows from the inputs).
   * @default undefined (plan.json lists no `provides` for the step)
   */
  readonly provides?: Readonly<Record<string, string>>;
}

/**
 * One step of the deploy plan: a `terraform_data` whose `triggers_replace` is the sha256 of its inputs,
 * parameters and upstream triggers, with a `local-exec` of one pipelines/ script. Unchanged inputs mean
 * Terraform replaces nothing; a changed input replaces this step and everything downstream. A run of the
 * step that started and did not finish (killed, failed) replaces it too (contracts/unfinished-runs.cjs).
 */
export class PlanStep extends Construct {
  /** sha256 of everything this step consumes (hex). */
  readonly trigger: string;
  /** Content-addressed output directory, relative to the project root. */
  readonly outDir: string;
  readonly resource: DataResource;
  readonly props: PlanStepProps;

  constructor(scope: Construct, id: string, props: PlanStepProps) {
    super(scope, id);
    this.props = props;
    const store = ArtifactStore.of(this);
    const upstream = [...(props.dependsOn ?? [])];
    const hash = createHash('sha256');
    hash.update(`script=${props.script}\n`);
    const located = new Set(props.locationArgs ?? []);
    for (const [k, v] of sortedEntries(props.args ?? {})) if (!located.has(k)) hash.update(`arg ${k}=${v}\n`);
    for (const [k, v] of sortedEntries(props.parameters ?? {})) hash.update(`param ${k}=${v}\n`);
    if (props.inputs && props.inputs.length > 0) hash.update(`inputs=${store.digest(props.inputs)}\n`);
    for (const t of upstream.map((s) => `${s.stepId}=${s.trigger}`).sort()) hash.update(`after ${t}\n`);
    this.trigger = hash.digest('hex');
    this.outDir = `build/${this.stepId}/${this.trigger.slice(0, 16)}`;

    const graph = PlanGraph.of(this);
    this.resource = new DataResource(this, 'step', {
      // A run killed after Terraform recorded the step changes `unfinished`, so the next deploy runs it again.
      triggersReplace: { sha256: this.trigger, unfinished: unfinishedRunsExpression(graph.rootFromStackDir, this.stepId, this.trigger) },
      input: { script: props.script, out: this.outDir },
      dependsOn: [...upstream, ...(props.orderAfter ?? [])].map((s) => s.resource),
      provisioners: [
        {
          type: 'local-exec',
          command: graph.commandFor(this),
          environment: { STACK_ELEVATOR_STEP: this.stepId, STACK_ELEVATOR_TRIGGER: this.trigger },
        },
      ],
    });
    graph.register(this);
  }

  /** Stable, human-readable identifier (the construct path below the stack, dash-joined). */
  get stepId(): string {
    return this.node.scopes
      .slice(1)
      .map((s) => s.node.id)
      .filter((id) => id !== '')
      .join('-')
      .toLowerCase();
  }
}

export function sortedEntries<V>(o: Readonly<Record<string, V>>): Array<[string, V]> {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
