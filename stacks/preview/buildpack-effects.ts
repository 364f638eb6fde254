import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { PROVIDES } from '../../contracts/provides.cjs';
import { BINARY_BUILDPACK_NAME } from '../../constructs/cf/install-buildpacks';

/** plan.json `provides` key of a buildpack release step (contracts/provides.cjs), the stack captured. */
const PROVIDES_RELEASE = new RegExp(`^${PROVIDES.buildpackRelease('(.+)')}$`);

/**
 * What a re-run buildpack release means on the foundation: for each deploy step downstream of it by
 * trigger edges (its upload, then its deploy), the line a reviewer must read there: Cloud Controller
 * re-installs the stack's binary_buildpack from the new package at that deploy. Keyed by deploy step id.
 */
export function buildpackReinstalls(steps: readonly PlannedStep[], rerun: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const downstream = (id: string): PlannedStep[] => {
    const seen = new Set<string>([id]);
    const found: PlannedStep[] = [];
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of steps) {
        if (seen.has(s.id) || !s.after.some((a) => seen.has(a))) continue;
        seen.add(s.id);
        found.push(s);
        grew = true;
      }
    }
    return found;
  };
  for (const s of steps) {
    if (!rerun.has(s.id)) continue;
    for (const key of Object.keys(s.provides ?? {})) {
      const stack = PROVIDES_RELEASE.exec(key)?.[1];
      if (!stack) continue;
      for (const d of downstream(s.id).filter((x) => x.args.action === 'deploy' && rerun.has(x.id))) {
        const line = `Cloud Controller re-installs ${BINARY_BUILDPACK_NAME} for stack ${stack} (package ${s.args.name} ${s.args.version}) at this deploy`;
        out.set(d.id, [...(out.get(d.id) ?? []), line]);
      }
    }
  }
  return out;
}
