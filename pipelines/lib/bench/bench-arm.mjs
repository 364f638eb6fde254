// The ARM packages part of `npm run bench`: synthesizes the lab, then runs its cross-compile steps in
// plan order three ways, as a deploy would run them (the plan's own commands):
//   cold  a fresh Go build cache (GOCACHE in a temp dir), every step forced to rebuild
//   warm  the same steps again with the now-warm Go build cache, still forced
//   noop  the unchanged steps re-run without force: each finds its out dir and does nothing
import { rmSync } from 'node:fs';
import { synthArtifactsPlan, timedRun } from './bench-plan.mjs';

/** @param {string} root */
export function benchArmPackages(root) {
  const { work, env, stackDir, plan, upstream, gocache } = synthArtifactsPlan(root, 'arm');
  try {
    const steps = plan.steps.filter((s) => s.script === 'cross-compile');
    /** @param {string} label @param {NodeJS.ProcessEnv} extra */
    const pass = (label, extra) => {
      const times = steps.map((s) => ({ id: s.id, ...timedRun(s.command, stackDir, { ...env, GOCACHE: gocache, ...extra }) }));
      const total = times.reduce((a, t) => a + t.s, 0);
      process.stdout.write(`ARM packages ${label.padEnd(5)} ${total.toFixed(1).padStart(7)} s  (${times.map((t) => `${t.id.replace(/^lab-lifecycle-/, '')} ${t.s.toFixed(1)}`).join(', ')})\n`);
      return times;
    };
    process.stdout.write(`cross-compile steps of lab.yaml (${steps.length}), upstream ${upstream}\n`);
    pass('cold', { STACK_ELEVATOR_FORCE: '1' });
    pass('warm', { STACK_ELEVATOR_FORCE: '1' });
    const noop = pass('noop', { STACK_ELEVATOR_FORCE: '0' });
    const busy = noop.filter((t) => !t.stdout.includes('nothing to do'));
    if (busy.length > 0) throw new Error(`an unchanged step rebuilt on re-run: ${busy.map((t) => t.id).join(', ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
