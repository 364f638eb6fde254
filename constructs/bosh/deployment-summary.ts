/**
 * What a reviewer must not miss about a BOSH deployment, read from its manifest: instance groups and
 * their sizes, stemcells, releases, the stacks its reps advertise and the stacks its Cloud Controller
 * lists. plan.json carries one per deployment so a preview can warn about risky changes between two plans.
 */
export interface DeploymentSummary {
  readonly deployment: string;
  /** `alias=os/version`, sorted. */
  readonly stemcells: readonly string[];
  /** Release names, sorted. */
  readonly releases: readonly string[];
  readonly instanceGroups: readonly InstanceGroupSummary[];
  /** Stack names in any cloud_controller_ng job's cc.stacks, sorted. */
  readonly ccStacks: readonly string[];
  /**
   * Releases this deployment runs at another version than the control plane, with the lab's reason.
   * @default undefined (none)
   */
  readonly versionOverrides?: ReadonlyArray<{ readonly release: string; readonly version: string; readonly paired: string; readonly reason: string }>;
}

export interface InstanceGroupSummary {
  readonly name: string;
  readonly instances: number;
  readonly stemcell: string;
  /** Stack names of the rep's diego.rep.preloaded_rootfses (`name:path`), sorted. */
  readonly stacks: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

export function summarizeDeployment(deployment: string, doc: unknown): DeploymentSummary {
  const stemcells = list(at(doc, 'stemcells')).map((s) => `${String(s.alias)}=${String(s.os)}/${String(s.version)}`);
  const releases = list(at(doc, 'releases')).map((r) => String(r.name));
  const ccStacks: string[] = [];
  const instanceGroups = list(at(doc, 'instance_groups')).map((g) => {
    const stacks: string[] = [];
    for (const j of list(g.jobs)) {
      const rootfses = at(j, 'properties', 'diego', 'rep', 'preloaded_rootfses');
      if (Array.isArray(rootfses)) stacks.push(...rootfses.map((r) => String(r).split(':')[0]));
      const cc = at(j, 'properties', 'cc', 'stacks');
      if (j.name === 'cloud_controller_ng' && Array.isArray(cc)) ccStacks.push(...list(cc).map((s) => String(s.name)));
    }
    return { name: String(g.name), instances: typeof g.instances === 'number' ? g.instances : 0, stemcell: String(g.stemcell ?? ''), stacks: sorted(stacks) };
  });
  return { deployment, stemcells: sorted(stemcells), releases: sorted(releases), instanceGroups: instanceGroups.sort((a, b) => (a.name < b.name ? -1 : 1)), ccStacks: sorted(ccStacks) };
}
