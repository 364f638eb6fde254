import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { BUILDPACK_LIFECYCLE_MODULE, FidelityGate } from '../../constructs/golang';
import { CELL_PATCHES, cellPatchText } from '../../constructs/diego';
import type { PlanStep } from '../../constructs/plan';
import { toolRoot } from '../../constructs/plan/step-arguments';
import { LabError } from '../../lab/errors';
import type { Arch } from '../../lab/model';
import type { LabContext } from '../context';
import type { DiegoPart } from './diego';
import { diegoSourcePin, upstreamDirOf } from './diego-source';
import { DIEGO_SSH_MODULE, HEALTHCHECK_MODULE, type LifecyclePart } from './lifecycle';

/** Source modules of the cell Diego variant's jobs (rep, route_emitter), cross-compiled for the cell arch. */
export const CELL_JOB_MODULES = ['code.cloudfoundry.org/rep', 'code.cloudfoundry.org/route-emitter'] as const;

/** The checked-in expectations of the diego-release gate (docs/fidelity.md): part of this checkout, like the step scripts, not of a lab's project. */
export const DIEGO_EXPECTATIONS = 'stacks/fidelity/diego-release.yml';

/**
 * Per cell arch: the fidelity gate of diego-release (lab-fidelity-diego-<arch>-test). Its trigger follows
 * the same source pin as the lifecycle cross-compiles and the cell variant (their steps feed it), so an
 * unchanged tree runs nothing; the receipt comes after it, and every upload after the receipt.
 */
export function addFidelityGates(ctx: LabContext, lifecycle: ReadonlyMap<Arch, LifecyclePart>, diego: DiegoPart): ReadonlyMap<Arch, PlanStep> {
  const root = new Construct(ctx.scope, 'Fidelity');
  let text: string;
  try {
    text = readFileSync(join(toolRoot(), DIEGO_EXPECTATIONS), 'utf8');
  } catch {
    throw new LabError(DIEGO_EXPECTATIONS, '(file)', 'missing', 'the fidelity expectations of diego-release', undefined, `restore ${DIEGO_EXPECTATIONS} from git`);
  }
  const gates = new Map<Arch, PlanStep>();
  for (const [arch, cell] of [...diego.cellByArch].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const part = lifecycle.get(arch);
    const after = [...(part ? [...part.packageSteps.values()] : []), ...(cell.step ? [cell.step] : [])];
    const gate = new FidelityGate(root, `diego-${arch}`, {
      release: 'diego-release',
      arch,
      ...(cell.target.goarm !== undefined ? { goarm: cell.target.goarm } : {}),
      upstream: diegoSourcePin(ctx),
      upstreamDir: upstreamDirOf(ctx),
      roots: [BUILDPACK_LIFECYCLE_MODULE, HEALTHCHECK_MODULE, DIEGO_SSH_MODULE, ...CELL_JOB_MODULES].map((m) => m.replace(/^code\.cloudfoundry\.org\//, '')),
      expectations: { path: DIEGO_EXPECTATIONS, text },
      patches: CELL_PATCHES.flatMap((p) => [p.file, ...(p.testFile ? [p.testFile] : [])]).map((file) => ({ file, text: cellPatchText(file) })),
      after,
    });
    gates.set(arch, gate.step);
  }
  return gates;
}
