import { Construct, IConstruct } from 'constructs';
import { shellQuote } from '../../contracts/shell-quote.cjs';
import type { DeploymentSummary } from '../bosh/deployment-summary';
import { InputError } from '../../lab/errors';
import type { PlanStep } from './plan-step';
import { sortedEntries } from './plan-step';
import type { PlanDocument, PlannedStep } from '../../contracts/plan-document';
export type { PlanDocument, PlannedStep };

/**
 * The ordered step graph of a stack. It also owns how a step's command line is spelled: scripts and
 * outputs are addressed relative to the stack's synth directory, so the plan runs from any checkout.
 */
export class PlanGraph extends Construct {
  private readonly steps: PlanStep[] = [];
  private readonly summaries = new Map<string, DeploymentSummary>();

  static of(scope: IConstruct): PlanGraph {
    for (const s of scope.node.scopes) {
      const g = s.node.tryFindChild(PLAN_GRAPH_ID);
      if (g instanceof PlanGraph) return g;
    }
    throw InputError.ofConstruct(scope.node.path, 'scope', 'no PlanGraph above it', 'a construct inside a stack that has a PlanGraph', 'create one with new PlanGraph(stack, ...) first');
  }

  /** @param rootFromStackDir the project root as seen from cdktf.out/stacks/<stack>, e.g. ../../.. */
  constructor(scope: Construct, readonly rootFromStackDir: string) {
    super(scope, PLAN_GRAPH_ID);
  }

  register(step: PlanStep): void {
    if (this.steps.some((s) => s.stepId === step.stepId)) throw InputError.ofConstruct(step.node.path, 'stepId', `${step.stepId} again`, 'a step id no other step of the plan has', 'give the step construct another id');
    this.steps.push(step);
  }

  /** Records what a deployment of this plan looks like (plan.json `deployments`, read by previews). */
  describeDeployment(summary: DeploymentSummary): void {
    this.summaries.set(summary.deployment, summary);
  }

  deployments(): DeploymentSummary[] {
    return [...this.summaries.values()].sort((a, b) => (a.deployment < b.deployment ? -1 : 1));
  }

  /** The step that declares an output under `key` (its `provides`) and the output's path inside its out dir. */
  provider(key: string): { readonly step: PlanStep; readonly path: string } | undefined {
    const step = this.steps.find((s) => s.props.provides?.[key] !== undefined);
    return step ? { step, path: step.props.provides![key] } : undefined;
  }

  /** Steps registered so far, in registration order. */
  all(): readonly PlanStep[] {
    return [...this.steps];
  }

  commandFor(step: PlanStep): string {
    const root = this.rootFromStackDir;
    const args = sortedEntries(step.props.args ?? {}).map(([k, v]) => `--${k}=${shellQuote(v.split(ROOT_TOKEN).join(root))}`);
    const needs = [...(step.props.needs ?? [])].sort();
    return [
      'node',
      `${root}/pipelines/run-step.mjs`,
      step.props.script,
      ...(needs.length > 0 ? [`--needs=${needs.join(',')}`] : []),
      `--root=${root}`,
      `--artifacts=artifacts`,
      `--out=${root}/${step.outDir}`,
      ...args,
    ].join(' ');
  }

  /** Steps in a topological order that is stable: dependencies first, ties by id. */
  ordered(): PlannedStep[] {
    const byId = new Map(this.steps.map((s) => [s.stepId, s]));
    const done = new Set<string>();
    const out: PlannedStep[] = [];
    const visit = (s: PlanStep, trail: string[]): void => {
      if (done.has(s.stepId)) return;
      if (trail.includes(s.stepId)) throw InputError.ofConstruct(this.node.path, s.stepId, `a cycle ${[...trail, s.stepId].join(' -> ')}`, 'steps that depend on each other in one direction only', 'drop one of the dependsOn/orderAfter edges of the cycle');
      for (const d of [...(s.props.dependsOn ?? []), ...(s.props.orderAfter ?? [])].sort(byStepId)) visit(d, [...trail, s.stepId]);
      done.add(s.stepId);
      out.push({
        id: s.stepId,
        script: s.props.script,
        description: s.props.description,
        args: Object.fromEntries(sortedEntries(s.props.args ?? {})),
        inputs: [...(s.props.inputs ?? [])].sort(),
        needs: [...(s.props.needs ?? [])].sort(),
        after: (s.props.dependsOn ?? []).map((d) => d.stepId).sort(),
        orderAfter: (s.props.orderAfter ?? []).map((d) => d.stepId).sort(),
        trigger: s.trigger,
        out: s.outDir,
        ...(s.props.provides ? { provides: Object.fromEntries(sortedEntries(s.props.provides)) } : {}),
        command: this.commandFor(s),
      });
    };
    for (const s of [...byId.values()].sort(byStepId)) visit(s, []);
    return out;
  }
}

const PLAN_GRAPH_ID = 'PlanGraph';

/**
 * Stands for the project root inside a step argument (`{root}/build/...`). Triggers and plan.json keep
 * the token, so they do not depend on where the output directory sits; only the command resolves it.
 */
export const ROOT_TOKEN = '{root}';

function byStepId(a: PlanStep, b: PlanStep): number {
  return a.stepId < b.stepId ? -1 : a.stepId > b.stepId ? 1 : 0;
}

/** The quoting rule of step commands, shared with the steps' printed commands (contracts/shell-quote.cjs). */
export { shellQuote };
