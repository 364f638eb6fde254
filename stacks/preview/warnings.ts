import type { DeploymentSummary } from '../../constructs/bosh/deployment-summary';

export type WarningKind = 'fewer-instances' | 'deployment-removed' | 'instance-group-removed' | 'release-removed' | 'stack-removed' | 'stack-no-longer-advertised' | 'stemcell-changed' | 'version-override';

export interface RiskWarning {
  readonly kind: WarningKind;
  readonly deployment: string;
  readonly message: string;
}

/**
 * Destructive or risky differences between the deployments of two plans: what a reviewer must see at
 * the top of a preview rather than find inside a diff.
 */
export function riskWarnings(base: readonly DeploymentSummary[], head: readonly DeploymentSummary[]): RiskWarning[] {
  const out: RiskWarning[] = [];
  const heads = new Map(head.map((d) => [d.deployment, d]));
  const headCcStacks = new Set(head.flatMap((d) => d.ccStacks));
  const headAdvertised = new Set(head.flatMap((d) => d.instanceGroups.flatMap((g) => g.stacks)));
  for (const b of base) {
    const h = heads.get(b.deployment);
    const warn = (kind: WarningKind, message: string): void => void out.push({ kind, deployment: b.deployment, message });
    if (!h) {
      warn('deployment-removed', `deployment ${b.deployment} is no longer in the plan (its VMs stay until \`bosh delete-deployment\`)`);
      continue;
    }
    const groups = new Map(h.instanceGroups.map((g) => [g.name, g]));
    const before = b.instanceGroups.reduce((n, g) => n + g.instances, 0);
    const after = h.instanceGroups.reduce((n, g) => n + g.instances, 0);
    if (after < before) warn('fewer-instances', `${b.deployment}: ${before} -> ${after} instances (${before - after} VM(s) deleted on deploy)`);
    for (const g of b.instanceGroups) {
      const hg = groups.get(g.name);
      if (!hg) warn('instance-group-removed', `${b.deployment}: instance group ${g.name} (${g.instances} instance(s)) removed`);
      else if (hg.instances < g.instances && after >= before) warn('fewer-instances', `${b.deployment}/${g.name}: ${g.instances} -> ${hg.instances} instances`);
      for (const s of g.stacks) {
        if (hg?.stacks.includes(s)) continue;
        const stillListed = headCcStacks.has(s);
        const nobody = !headAdvertised.has(s);
        if (stillListed) warn('stack-no-longer-advertised', `${b.deployment}/${g.name} no longer advertises stack ${s}, which Cloud Controller still lists${nobody ? ': no cell has it, so apps on it cannot be placed' : ''}`);
      }
    }
    for (const r of b.releases) if (!h.releases.includes(r)) warn('release-removed', `${b.deployment}: release ${r} removed`);
    for (const s of b.ccStacks) if (!h.ccStacks.includes(s)) warn('stack-removed', `${b.deployment}: stack ${s} removed from Cloud Controller (apps on it must be restaged onto another stack first)`);
    const stemcell = (xs: readonly string[]) => new Map(xs.map((x) => x.split('=') as [string, string]));
    const bs = stemcell(b.stemcells);
    const hs = stemcell(h.stemcells);
    for (const [alias, was] of bs) {
      const now = hs.get(alias);
      if (now !== was) warn('stemcell-changed', `${b.deployment}: stemcell ${alias} ${was} -> ${now ?? 'removed'} (every VM using it is recreated)`);
    }
  }
  // Standing choices of the head plan, shown on every preview: not a change, a disagreement to keep in view.
  for (const h of head) {
    for (const o of h.versionOverrides ?? []) {
      out.push({ kind: 'version-override', deployment: h.deployment, message: `${h.deployment}: ${o.release} ${o.version} instead of ${o.paired}: ${o.reason}` });
    }
  }
  return out;
}
