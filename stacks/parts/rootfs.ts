import type { PlanStep } from '../../constructs/plan/plan-step';
import type { LabContext } from '../context';

/** Per lab stack: the rootfs BOSH release the cells deploy. (Owned by the rootfs work, issue 3.) */
export interface RootfsPart {
  readonly stack: string;
  readonly releaseName: string;
  /** Step that leaves `<out>/<release>.tgz` (bosh create-release --tarball). */
  readonly releaseStep: PlanStep;
  /** Job name of the rootfs-setup job, e.g. rpifs-rootfs-setup. */
  readonly setupJob: string;
}

export function addRootfs(_ctx: LabContext): ReadonlyMap<string, RootfsPart> {
  return new Map();
}
