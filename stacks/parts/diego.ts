import type { PlanStep } from '../../constructs/plan/plan-step';
import type { Arch } from '../../lab/model';
import type { LabContext } from '../context';
import type { LifecyclePart } from './lifecycle';

/** The two generated Diego releases. (Owned by the Diego variants work, issue 5.) */
export interface DiegoPart {
  readonly controlPlane: { readonly releaseName: string; readonly version: string; readonly step?: PlanStep; readonly servedBundles: readonly string[] };
  readonly cell: { readonly releaseName: string; readonly version: string; readonly step?: PlanStep };
}

export function addDiegoVariants(_ctx: LabContext, _lifecycle: ReadonlyMap<Arch, LifecyclePart>): DiegoPart {
  return {
    controlPlane: { releaseName: 'diego-arm-control-plane', version: '0', servedBundles: [] },
    cell: { releaseName: 'diego-arm-cell', version: '0' },
  };
}
