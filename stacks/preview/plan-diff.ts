import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DeploymentSummary } from '../../constructs/bosh/deployment-summary';
import type { PlanDocument, PlannedStep } from '../../constructs/plan/plan-graph';
import { buildpackReinstalls } from './buildpack-effects';

/** `unknown`: the base plan could not be synthesized, so nothing is known about what changed. */
export type StepChange = 'added' | 'removed' | 'reruns' | 'unchanged' | 'unknown';

export interface StepDiff {
  readonly id: string;
  readonly change: StepChange;
  readonly description: string;
  /** A step that changes a director (upload, deploy) rather than files. */
  readonly director: boolean;
  /** Why a step re-runs: its changed input files, changed args, or the upstream steps that re-run. */
  readonly reasons: readonly string[];
}

export interface FileDiff {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
}

export interface PlanDiff {
  readonly steps: readonly StepDiff[];
  readonly files: readonly FileDiff[];
}

export interface SynthTree {
  readonly steps: readonly PlannedStep[];
  /** Deployment summaries; absent in plans written before they existed. */
  readonly deployments?: readonly DeploymentSummary[];
  /** artifact path -> sha256 */
  readonly files: ReadonlyMap<string, string>;
}

/** Reads a synthesized stack directory (plan.json + artifacts/) into what the diff compares. */
export function readSynth(stackDir: string): SynthTree {
  // A base plan may predate `deployments`.
  const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')) as Pick<PlanDocument, 'steps'> & Partial<Pick<PlanDocument, 'deployments'>>;
  const files = new Map<string, string>();
  const artifacts = join(stackDir, 'artifacts');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(artifacts, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  if (existsSync(artifacts)) walk(artifacts);
  // Plans from before order-only edges existed have no orderAfter.
  const steps = plan.steps.map((st) => ({ ...st, orderAfter: st.orderAfter ?? [] }));
  return { steps, deployments: plan.deployments, files };
}

const isDirector = (s: PlannedStep): boolean => s.needs.includes('director');

/** Without a base plan: every step of head, none of them claimed as new. */
export function withoutBase(head: SynthTree): PlanDiff {
  return { steps: head.steps.map((s) => ({ id: s.id, change: 'unknown', description: s.description, director: isDirector(s), reasons: [] })), files: [] };
}

/**
 * What deploying `head` over a deployed `base` would do: a step re-runs exactly when its trigger
 * changed, which is what Terraform's triggers_replace decides; the reasons are derived for humans.
 */
export function diffPlans(base: SynthTree, head: SynthTree): PlanDiff {
  const files: FileDiff[] = [];
  for (const [p, sha] of head.files) {
    const old = base.files.get(p);
    if (old === undefined) files.push({ path: p, change: 'added' });
    else if (old !== sha) files.push({ path: p, change: 'changed' });
  }
  for (const p of base.files.keys()) if (!head.files.has(p)) files.push({ path: p, change: 'removed' });
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const touched = new Set(files.map((f) => f.path));

  const baseSteps = new Map(base.steps.map((s) => [s.id, s]));
  const headIds = new Set(head.steps.map((s) => s.id));
  const rerun = new Set<string>();
  const steps: StepDiff[] = [];
  for (const s of head.steps) {
    const old = baseSteps.get(s.id);
    if (!old) {
      steps.push({ id: s.id, change: 'added', description: s.description, director: isDirector(s), reasons: ['new step'] });
      rerun.add(s.id);
      continue;
    }
    if (old.trigger === s.trigger) {
      steps.push({ id: s.id, change: 'unchanged', description: s.description, director: isDirector(s), reasons: [] });
      continue;
    }
    rerun.add(s.id);
    const reasons: string[] = [];
    const inputs = [...touched].filter((f) => s.inputs.some((i) => f === i || f.startsWith(`${i}/`)));
    if (inputs.length > 0) reasons.push(`inputs changed: ${inputs.join(', ')}`);
    const args = Object.keys({ ...old.args, ...s.args }).filter((k) => old.args[k] !== s.args[k]).sort();
    if (args.length > 0) reasons.push(`arguments changed: ${args.join(', ')}`);
    const ups = s.after.filter((u) => rerun.has(u));
    if (ups.length > 0) reasons.push(`after re-run of ${ups.join(', ')}`);
    if (reasons.length === 0) reasons.push('pinned parameters changed');
    steps.push({ id: s.id, change: 'reruns', description: s.description, director: isDirector(s), reasons });
  }
  for (const s of base.steps) if (!headIds.has(s.id)) steps.push({ id: s.id, change: 'removed', description: s.description, director: isDirector(s), reasons: [] });
  const reinstalls = buildpackReinstalls(head.steps, rerun);
  return { steps: steps.map((s) => (reinstalls.has(s.id) ? { ...s, reasons: [...s.reasons, ...reinstalls.get(s.id)!] } : s)), files };
}
