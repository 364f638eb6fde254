import type { GoPatchOp } from '../bosh/ops-file';
import { OpsPath, replaceOp } from '../bosh/ops-file';
import { InputError } from '../../lab/errors';
import { BASE_MANIFEST_FIX, jobPath, jobsOf } from './manifest-scan';

/** A stack's buildpack release: name = package = job (binary-buildpack-<stack>), built and uploaded by the plan. */
export interface CcBuildpack {
  readonly stack: string;
  /** Release, package and job name. */
  readonly name: string;
  /** Dev release version the plan creates. */
  readonly version: string;
  /**
   * The buildpack name Cloud Controller records (per stack: the same name on another stack is another buildpack).
   * @default binary_buildpack
   */
  readonly buildpack?: string;
}

/** The buildpack name upstream's binary-buildpack entry gives, which the ARM stack's entry shares. */
export const BINARY_BUILDPACK_NAME = 'binary_buildpack';

/**
 * Ops that make Cloud Controller install each ARM stack's buildpack itself at every deploy, as
 * cf-deployment's windows2019-cell.yml does for binary-buildpack-windows: the release (name and version,
 * no url: the plan uploads it), its job on the instance group that runs cloud_controller_ng (so the
 * package is on that VM), and a `cc.install_buildpacks` entry naming the package. Every path selects by
 * name with `?`: applying the ops twice changes nothing, and a missing entry is appended, so it comes
 * after upstream's own binary_buildpack entry. The stack comes from the zip's manifest.
 */
export function installBuildpackOps(base: unknown, buildpacks: readonly CcBuildpack[]): GoPatchOp[] {
  const ccng = jobsOf(base).filter(({ place }) => place.scope === 'instance_groups' && place.job === 'cloud_controller_ng');
  if (ccng.length === 0) throw InputError.inManifest('base manifest', 'instance_groups[].jobs[name=cloud_controller_ng]', 'no instance group running cloud_controller_ng', 'the api instance group of a cf-deployment manifest', BASE_MANIFEST_FIX);
  const ops: GoPatchOp[] = [];
  for (const b of [...buildpacks].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    ops.push(replaceOp(OpsPath.root().key('releases').named(b.name, true), { name: b.name, version: b.version }));
    for (const { place } of ccng) {
      const group = OpsPath.root().key('instance_groups').named(place.group);
      ops.push(replaceOp(group.key('jobs').named(b.name, true), { name: b.name, release: b.name }));
      const install = jobPath(place).key('properties').key('cc').key('install_buildpacks').match('package', b.name, true);
      ops.push(replaceOp(install, { name: b.buildpack ?? BINARY_BUILDPACK_NAME, package: b.name }));
    }
  }
  return ops;
}
