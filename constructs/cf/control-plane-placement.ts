import type { GoPatchOp } from '../bosh/ops-file';
import { OpsPath, replaceOp } from '../bosh/ops-file';
import { InputError } from '../../lab/errors';
import { describeValue } from '../../lab/schema-wording';
import { BASE_MANIFEST_FIX, jobsOf, jobPath } from './manifest-scan';

export interface ControlPlanePlacement {
  readonly network: string;
  readonly azs: readonly string[];
  readonly stemcell: { readonly os: string; readonly version: string };
}

type Obj = Record<string, unknown>;
const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Ops that put cf-deployment on the lab's vSphere network, AZs and stemcell. cf-deployment assumes a
 * network named `default` in two AZs and an ubuntu stemcell under alias `default`; the lab names its
 * own. Its BOSH DNS alias targets name the network too, and must move with it or every
 * *.service.cf.internal name resolves to nothing.
 */
export function controlPlanePlacementOps(base: unknown, p: ControlPlanePlacement): GoPatchOp[] {
  if (!isMap(base)) throw InputError.inManifest('base manifest', '', describeValue(base), 'a mapping (a cf-deployment manifest)', BASE_MANIFEST_FIX);
  const ops: GoPatchOp[] = [];
  const stemcells = Array.isArray(base.stemcells) ? base.stemcells.filter(isMap) : [];
  for (const s of stemcells) {
    ops.push(replaceOp(OpsPath.root().key('stemcells').match('alias', String(s.alias)), { alias: s.alias, os: p.stemcell.os, version: p.stemcell.version }));
  }
  const groups = Array.isArray(base.instance_groups) ? base.instance_groups.filter(isMap) : [];
  for (const g of groups) {
    const ig = OpsPath.root().key('instance_groups').named(String(g.name));
    ops.push(replaceOp(ig.key('azs'), [...p.azs]));
    ops.push(replaceOp(ig.key('networks'), [{ name: p.network }]));
  }
  for (const { place, job } of jobsOf(base)) {
    const aliases = isMap(job.properties) && Array.isArray(job.properties.aliases) ? job.properties.aliases.filter(isMap) : [];
    for (const alias of aliases) {
      const targets = Array.isArray(alias.targets) ? alias.targets.filter(isMap) : [];
      for (const t of targets) {
        if (t.deployment !== base.name || t.network === p.network) continue;
        const path = jobPath(place).key('properties').key('aliases').match('domain', String(alias.domain)).key('targets').match('instance_group', String(t.instance_group)).key('network');
        ops.push(replaceOp(path, p.network));
      }
    }
  }
  return ops;
}
