import { Construct } from 'constructs';
import { PlanStep } from '../../constructs/plan';
import type { LabContext } from '../context';

/**
 * Per isolation segment of the lab, a step after the control-plane deploy (order only: it reads nothing
 * the deploy makes) that makes the segment exist through the CF API v3 with the operator's `cf` session
 * (pipelines/cf-isolation-segment.mjs): the segment, its org entitlements, its space assignments. It
 * reads before it writes, so a second run changes nothing; its trigger is the segment's definition.
 */
export function addSegmentSteps(ctx: LabContext, controlPlaneDeploy: PlanStep): PlanStep[] {
  const segments = ctx.lab.isolationSegments ?? [];
  if (segments.length === 0) return [];
  const root = new Construct(ctx.scope, 'Cf');
  return segments.map(
    (g) =>
      new PlanStep(root, `segment-${g.name.toLowerCase().replace(/[^a-z0-9]/g, '')}-create`, {
        script: 'cf-isolation-segment',
        description: `cf curl /v3: isolation segment ${g.name} exists, entitled to ${g.orgs.join(', ')}${g.spaces.length > 0 ? `, assigned to ${g.spaces.map((s) => `${s.org}/${s.space}`).join(', ')}` : ''} (the cells tagged ${g.name} take only those spaces' apps)`,
        args: {
          segment: g.name,
          orgs: [...g.orgs].sort().join(','),
          ...(g.spaces.length > 0 ? { spaces: g.spaces.map((s) => `${s.org}/${s.space}`).sort().join(',') } : {}),
        },
        orderAfter: [controlPlaneDeploy],
      }),
  );
}
