import type { GoPatchOp } from '../bosh/ops-file';
import { OpsPath, removeOp, replaceOp } from '../bosh/ops-file';
import { InputError } from '../../lab/errors';
import { BASE_MANIFEST_FIX, jobsOf, jobPath } from './manifest-scan';

export interface ReleaseRef {
  readonly name: string;
  readonly version: string;
}

/**
 * Ops that replace one release by a variant of it with another name (the control-plane Diego variant
 * for upstream `diego`): drop the upstream entry, declare the variant, and point every job that used
 * the upstream release at the variant. The variant is built by the plan and uploaded, so it carries no
 * url/sha1. Jobs are found by scanning the base manifest.
 */
export function releaseSwapOps(base: unknown, from: string, to: ReleaseRef): GoPatchOp[] {
  const users = jobsOf(base).filter(({ place }) => place.release === from);
  if (users.length === 0) throw InputError.inManifest('base manifest', 'instance_groups[].jobs[].release', `no job using release ${from}`, `the jobs of ${from} that cf-deployment deploys`, BASE_MANIFEST_FIX);
  return [
    removeOp(OpsPath.root().key('releases').named(from, true)),
    replaceOp(OpsPath.root().key('releases').named(to.name, true), { name: to.name, version: to.version }),
    ...users.map(({ place }) => replaceOp(jobPath(place).key('release'), to.name)),
  ];
}
