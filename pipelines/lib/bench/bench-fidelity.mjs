// The fidelity gate part of `npm run bench` (BENCH_SECTIONS=fidelity): synthesizes the lab and runs each
// lab-fidelity-<release>-<arch>-test step through its plan command three ways:
//   cold    a fresh Go build cache (GOCACHE in a temp dir) and no result cache: every test binary built and run
//   forced  the step forced again: binaries rebuilt from the warm Go cache, results found by binary sha256
//   noop    unchanged and not forced: the step finds its report and runs nothing (0 steps run)
import { rmSync } from 'node:fs';
import { synthArtifactsPlan, timedRun } from './bench-plan.mjs';

/** @param {string} root */
export function benchFidelity(root) {
  const { work, env, stackDir, plan, gocache } = synthArtifactsPlan(root, 'fidelity');
  try {
    const steps = plan.steps.filter((s) => s.script === 'fidelity');
    for (const s of steps) {
      /** @param {string} label @param {NodeJS.ProcessEnv} extra */
      const pass = (label, extra) => {
        const t = timedRun(s.command, stackDir, { ...env, GOCACHE: gocache, STACK_ELEVATOR_STEP: s.id, ...extra });
        process.stdout.write(`fidelity ${s.id} ${label.padEnd(6)} ${t.s.toFixed(1).padStart(7)} s\n`);
        return t;
      };
      pass('cold', { STACK_ELEVATOR_FORCE: '1', STACK_ELEVATOR_NO_CACHE: '1' });
      pass('forced', { STACK_ELEVATOR_FORCE: '1' });
      const noop = pass('noop', { STACK_ELEVATOR_FORCE: '0' });
      if (!noop.stdout.includes('nothing to do')) throw new Error(`an unchanged fidelity gate ran again: ${s.id}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
