import { OpsPath } from '../bosh/ops-file';

/**
 * Reads the Cloud Controller and rep wiring out of a rendered manifest (upstream cf-deployment, our
 * cells manifest, or either after ops). Everything that decides "where does cf-deployment configure X"
 * goes through here, so a new cf-deployment version that adds a place is picked up, not missed.
 */

/** Where a job sits: an instance group, or an addon (which lands on many instance groups). */
export interface JobPlace {
  readonly scope: 'instance_groups' | 'addons';
  readonly group: string;
  readonly job: string;
  readonly release: string;
}

export interface CcPlace extends JobPlace {
  /** `cc.stacks` of the job. @default undefined (the job does not set it) */
  readonly stacks?: ReadonlyArray<{ readonly name: string; readonly description?: string }>;
  /** `cc.diego.lifecycle_bundles` of the job. @default undefined (the job does not set it) */
  readonly lifecycleBundles?: Readonly<Record<string, string>>;
  /** `cc.diego.droplet_destinations` of the job. @default undefined (the job does not set it) */
  readonly dropletDestinations?: Readonly<Record<string, string>>;
}

export interface RepPlace extends JobPlace {
  readonly instances: number;
  /** `name:path` entries of diego.rep.preloaded_rootfses, split. */
  readonly rootfses: ReadonlyArray<{ readonly stack: string; readonly path: string }>;
  readonly placementTags: readonly string[];
}

type Obj = Record<string, unknown>;

/** The fix for a base manifest the wiring cannot read: it is not the cf-deployment it claims to be. */
export const BASE_MANIFEST_FIX = 'use the cf-deployment.yml of a supported cf-deployment tag (or its checked-in profile), unmodified';

const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isMap(o) ? o[k] : undefined), v);

/** Every job of a manifest with its place, instance groups first, each in document order. */
export function jobsOf(doc: unknown): Array<{ place: JobPlace; job: Obj; group: Obj }> {
  const out: Array<{ place: JobPlace; job: Obj; group: Obj }> = [];
  for (const scope of ['instance_groups', 'addons'] as const) {
    for (const group of list(at(doc, scope))) {
      if (!isMap(group)) continue;
      for (const job of list(group.jobs)) {
        if (!isMap(job)) continue;
        out.push({ place: { scope, group: String(group.name), job: String(job.name), release: String(job.release) }, job, group });
      }
    }
  }
  return out;
}

/** Jobs whose properties set any of cc.stacks, cc.diego.lifecycle_bundles, cc.diego.droplet_destinations. */
export function ccPlaces(doc: unknown): CcPlace[] {
  const out: CcPlace[] = [];
  for (const { place, job } of jobsOf(doc)) {
    const cc = at(job, 'properties', 'cc');
    const stacks = at(cc, 'stacks');
    const bundles = at(cc, 'diego', 'lifecycle_bundles');
    const dests = at(cc, 'diego', 'droplet_destinations');
    if (stacks === undefined && bundles === undefined && dests === undefined) continue;
    out.push({
      ...place,
      stacks: Array.isArray(stacks) ? stacks.filter(isMap).map((s) => ({ name: String(s.name), description: s.description === undefined ? undefined : String(s.description) })) : undefined,
      lifecycleBundles: isMap(bundles) ? stringMap(bundles) : undefined,
      dropletDestinations: isMap(dests) ? stringMap(dests) : undefined,
    });
  }
  return out;
}

/** Jobs that advertise preloaded root filesystems (rep, rep_windows, or a variant's rep). */
export function repPlaces(doc: unknown): RepPlace[] {
  const out: RepPlace[] = [];
  for (const { place, job, group } of jobsOf(doc)) {
    const rootfses = at(job, 'properties', 'diego', 'rep', 'preloaded_rootfses');
    if (!Array.isArray(rootfses)) continue;
    out.push({
      ...place,
      instances: typeof group.instances === 'number' ? group.instances : 0,
      rootfses: rootfses.map((r) => splitRootfs(String(r))),
      placementTags: list(at(job, 'properties', 'diego', 'rep', 'placement_tags')).map(String),
    });
  }
  return out;
}

/** `rpifs:/var/vcap/packages/rpifs/rootfs.tar` -> {rpifs, /var/...}; windows' `oci:///C:/...` keeps its colons. */
export function splitRootfs(entry: string): { stack: string; path: string } {
  const i = entry.indexOf(':');
  return i < 0 ? { stack: entry, path: '' } : { stack: entry.slice(0, i), path: entry.slice(i + 1) };
}

function stringMap(o: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
}

export function describePlace(p: JobPlace, deployment: string): string {
  return `${deployment}: ${p.scope === 'addons' ? 'addon ' : ''}${p.group}/${p.job}`;
}

/** go-patch path of a job found by the scan: `/instance_groups/name=api/jobs/name=cloud_controller_ng`. */
export function jobPath(p: JobPlace): OpsPath {
  return OpsPath.root().key(p.scope).named(p.group).key('jobs').named(p.job);
}
