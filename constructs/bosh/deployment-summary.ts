
import type { DeploymentSummary, InstanceGroupSummary } from '../../contracts/plan-document';
export type { DeploymentSummary, InstanceGroupSummary };

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
