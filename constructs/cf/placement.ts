import type { DeploymentDoc } from './consistency';
import { ccPlaces, repPlaces } from './manifest-scan';

export interface PlacementGroup {
  readonly deployment: string;
  readonly instanceGroup: string;
  readonly job: string;
  readonly cells: number;
  readonly placementTags: readonly string[];
}

export interface StackPlacement {
  readonly stack: string;
  /** Listed in the Cloud Controller's cc.stacks. */
  readonly known: boolean;
  /** `buildpack/<stack>` bundle paths the Cloud Controller's jobs point at (normally one). */
  readonly bundles: readonly string[];
  readonly groups: readonly PlacementGroup[];
  readonly cells: number;
}

/** Per stack (known to the Cloud Controller or advertised by some cell): who can run its apps. */
export function computePlacement(controlPlane: DeploymentDoc, cells: readonly DeploymentDoc[]): StackPlacement[] {
  const cc = ccPlaces(controlPlane.doc);
  const known = new Set(cc.flatMap((p) => (p.stacks ?? []).map((s) => s.name)));
  const groups = new Map<string, PlacementGroup[]>();
  for (const d of [controlPlane, ...cells]) {
    for (const rep of repPlaces(d.doc)) {
      for (const { stack } of rep.rootfses) {
        const g = { deployment: d.deployment, instanceGroup: rep.group, job: rep.job, cells: rep.instances, placementTags: rep.placementTags };
        groups.set(stack, [...(groups.get(stack) ?? []), g]);
      }
    }
  }
  const stacks = [...new Set([...known, ...groups.keys()])].sort();
  return stacks.map((stack) => {
    const gs = groups.get(stack) ?? [];
    const bundles = [...new Set(cc.map((p) => p.lifecycleBundles?.[`buildpack/${stack}`]).filter((b): b is string => b !== undefined))].sort();
    return { stack, known: known.has(stack), bundles, groups: gs, cells: gs.reduce((n, g) => n + g.cells, 0) };
  });
}

/** The table `npm run placement` prints. */
export function formatPlacement(rows: readonly StackPlacement[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    const cc = r.known ? 'in cc.stacks' : 'NOT in cc.stacks';
    const bundle = r.bundles.length > 0 ? `bundle ${r.bundles.join(', ')}` : 'no buildpack bundle';
    lines.push(`${r.stack}: ${r.cells} cell${r.cells === 1 ? '' : 's'} (${cc}; ${bundle})`);
    if (r.groups.length === 0) lines.push('  (no instance group advertises it)');
    for (const g of r.groups) {
      const tags = g.placementTags.length > 0 ? `  placement_tags: ${g.placementTags.join(', ')}` : '';
      lines.push(`  ${g.deployment}/${g.instanceGroup} (${g.job}): ${g.cells} cell${g.cells === 1 ? '' : 's'}${tags}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
