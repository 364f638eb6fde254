import type { PlannedStep } from '../../constructs/plan/plan-graph';

/**
 * The plan as a Mermaid flowchart (GitHub renders it in comments): solid arrows are trigger edges (a
 * re-run upstream re-runs the step), dotted arrows order-only edges; the steps that would run are filled.
 */
export function planFlowchart(steps: readonly PlannedStep[], running: ReadonlySet<string>): string {
  const node = (id: string): string => `s_${id.replace(/[^A-Za-z0-9]/g, '_')}`;
  const label = (id: string): string => id.replace(/^lab-/, '').replace(/"/g, "'");
  const lines = ['flowchart LR'];
  for (const s of steps) lines.push(`  ${node(s.id)}["${label(s.id)}"]`);
  for (const s of steps) {
    for (const a of s.after) lines.push(`  ${node(a)} --> ${node(s.id)}`);
    for (const a of s.orderAfter ?? []) lines.push(`  ${node(a)} -.-> ${node(s.id)}`);
  }
  const run = steps.filter((s) => running.has(s.id)).map((s) => node(s.id));
  lines.push('  classDef runs fill:#ffd966,stroke:#b45f06,stroke-width:2px');
  if (run.length > 0) lines.push(`  class ${run.join(',')} runs`);
  return lines.join('\n');
}
