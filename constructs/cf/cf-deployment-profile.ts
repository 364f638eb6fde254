import { InputError } from '../../lab/errors';
import { describeValue } from '../../lab/schema-wording';

/**
 * The part of a cf-deployment manifest the stack wiring reads: names, releases, stemcells, where each
 * instance group runs (azs, networks, stemcell), every job with its release, and of the job properties only cc.stacks, cc.install_buildpacks (their order is install order), cc.diego.lifecycle_bundles,
 * cc.diego.droplet_destinations, diego.rep.preloaded_rootfses/placement_tags and bosh-dns `aliases`.
 * Ops generated against the profile apply to the full manifest unchanged (every path is name-selected),
 * and the scans in manifest-scan.ts read the same values from either. A profile of each supported
 * version is checked in (profiles/), so a lab synthesizes offline, before its step clones upstream.
 */
type Obj = Record<string, unknown>;

const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const KEPT_PROPERTIES: ReadonlyArray<readonly string[]> = [
  ['cc', 'stacks'],
  ['cc', 'install_buildpacks'],
  ['cc', 'diego', 'lifecycle_bundles'],
  ['cc', 'diego', 'droplet_destinations'],
  ['diego', 'rep', 'preloaded_rootfses'],
  ['diego', 'rep', 'placement_tags'],
  ['aliases'],
];

export function profileOf(doc: unknown): Obj {
  if (!isMap(doc)) throw InputError.at({ file: 'cf-deployment manifest', path: '', found: describeValue(doc), expected: 'a mapping (the cf-deployment.yml document)', fix: 'profile the cf-deployment.yml of a cf-deployment checkout' });
  const out: Obj = { name: doc.name };
  if (Array.isArray(doc.releases)) out.releases = structuredClone(doc.releases);
  if (Array.isArray(doc.stemcells)) out.stemcells = structuredClone(doc.stemcells);
  for (const scope of ['addons', 'instance_groups'] as const) {
    const groups = doc[scope];
    if (!Array.isArray(groups)) continue;
    out[scope] = groups.filter(isMap).map((g) => {
      const pg: Obj = { name: g.name };
      for (const k of ['azs', 'instances', 'networks', 'stemcell']) if (g[k] !== undefined) pg[k] = structuredClone(g[k]);
      pg.jobs = (Array.isArray(g.jobs) ? g.jobs : []).filter(isMap).map((j) => {
        const pj: Obj = { name: j.name, release: j.release };
        const props = prune(j.properties);
        if (props !== undefined) pj.properties = props;
        return pj;
      });
      return pg;
    });
  }
  return out;
}

function prune(properties: unknown): Obj | undefined {
  if (!isMap(properties)) return undefined;
  let out: Obj | undefined;
  for (const path of KEPT_PROPERTIES) {
    let v: unknown = properties;
    for (const k of path) v = isMap(v) ? v[k] : undefined;
    if (v === undefined) continue;
    out = out ?? {};
    let into = out;
    for (const k of path.slice(0, -1)) into = (into[k] = isMap(into[k]) ? into[k] : {}) as Obj;
    into[path[path.length - 1]] = structuredClone(v);
  }
  return out;
}
