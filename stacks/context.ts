import type { Construct } from 'constructs';
import type { ArtifactStore } from '../constructs/plan/artifacts';
import type { PlanGraph } from '../constructs/plan/plan-graph';
import type { Lab } from '../lab/model';
import type { LabLock } from '../lab/lock';

/** What every part of the lab stack receives: the validated Lab, its lock, and the stack's shared stores. */
export interface LabContext {
  readonly scope: Construct;
  readonly lab: Lab;
  readonly lock: LabLock;
  readonly artifacts: ArtifactStore;
  readonly graph: PlanGraph;
  /** Absolute path of the project root at synth time: read inputs from it, never write it into output. */
  readonly projectRoot: string;
  /** Directory of upstream trees (fixtures in tests, git checkouts in a real lab), absolute, read-only. */
  readonly upstreamDir: string;
  /** False when only artifact steps are wanted (STACK_ELEVATOR_SCOPE=artifacts: rebuilds, CI). */
  readonly directorSteps: boolean;
}
