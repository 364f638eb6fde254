import type { GoPatchOp } from '../bosh/ops-file';
import { replaceOp } from '../bosh/ops-file';
import { InputError } from '../../lab/errors';
import { BASE_MANIFEST_FIX, ccPlaces, jobPath } from './manifest-scan';

export interface CcStack {
  readonly name: string;
  readonly description: string;
  /** URL path on the file server, e.g. buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz */
  readonly lifecycleBundle: string;
  /** Where the droplet is unpacked in the container: /home/vcap on every Linux stack. */
  readonly dropletDestination: string;
}

/** Home of the vcap user in cflinuxfs4-shaped rootfses (ours mirror it: useradd -m vcap). */
export const LINUX_DROPLET_DESTINATION = '/home/vcap';

/**
 * Ops that make the Cloud Controller know each stack, in every job where the base manifest configures
 * the property — cf-deployment v58 sets lifecycle_bundles and droplet_destinations in four jobs on
 * three instance groups, and a stack missing from one of them half-works (stages, then fails to run,
 * or runs and fails to restage). The places come from scanning the base manifest, not from a list.
 * Every path ends in `?`, so applying the ops twice, or to a manifest that already has the stack, is
 * harmless; windows2019-cell.yml is the precedent for the cc.stacks entry.
 */
export function stackWiringOps(base: unknown, stacks: readonly CcStack[]): GoPatchOp[] {
  const places = ccPlaces(base);
  if (places.length === 0) throw InputError.inManifest('base manifest', 'instance_groups[].jobs[].properties.cc', 'cc.stacks / cc.diego.lifecycle_bundles configured nowhere', 'the Cloud Controller jobs of a cf-deployment manifest', BASE_MANIFEST_FIX);
  const ops: GoPatchOp[] = [];
  for (const stack of [...stacks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const place of places) {
      const cc = jobPath(place).key('properties').key('cc');
      if (place.stacks) ops.push(replaceOp(cc.key('stacks').named(stack.name, true), { name: stack.name, description: stack.description }));
      if (place.lifecycleBundles) ops.push(replaceOp(cc.key('diego').key('lifecycle_bundles').key(`buildpack/${stack.name}`, true), stack.lifecycleBundle));
      if (place.dropletDestinations) ops.push(replaceOp(cc.key('diego').key('droplet_destinations').key(stack.name, true), stack.dropletDestination));
    }
  }
  return ops;
}
