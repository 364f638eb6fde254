// The runtime-releases part of `npm run bench`: synthesizes the lab, then runs the create and compile
// steps of the cell runtime releases (bpm, loggregator-agent, bosh-dns) in plan order, through the
// plan's own commands, twice:
//   cold  a fresh Go build cache (GOCACHE in a temp dir)
//   warm  the same steps again with the now-warm Go build cache
// (An unchanged deploy runs none of these steps: their Terraform triggers decide that, not the scripts.)
// Their outputs land in the steps' own content-addressed build/ dirs, as a deploy's would.
import { rmSync } from 'node:fs';
import { synthArtifactsPlan, timedRun } from './bench-plan.mjs';

const RELEASES = ['bpm', 'loggregator-agent', 'bosh-dns'];

/** @param {string} root */
export function benchRuntimeReleases(root) {
  const { work, env, stackDir, plan, upstream, gocache } = synthArtifactsPlan(root, 'runtime');
  try {
    const ids = RELEASES.flatMap((r) => [`lab-runtime-${r}-armhf-create`, `lab-compiled-runtime-${r}-armhf-rpi-compile`]);
    const steps = ids.map((id) => {
      const s = plan.steps.find((x) => x.id === id);
      if (!s) throw new Error(`the lab's plan has no step ${id}`);
      return s;
    });
    process.stdout.write(`runtime releases of lab.yaml (${RELEASES.join(', ')}): create + compile for the Pi stemcell, upstream ${upstream}\n`);
    for (const label of ['cold', 'warm']) {
      const secs = Object.fromEntries(steps.map((s) => [s.id, timedRun(s.command, stackDir, { ...env, GOCACHE: gocache, STACK_ELEVATOR_STEP: s.id }).s]));
      const total = Object.values(secs).reduce((a, b) => a + b, 0);
      const per = RELEASES.map((r) => {
        const c = secs[`lab-runtime-${r}-armhf-create`];
        const k = secs[`lab-compiled-runtime-${r}-armhf-rpi-compile`];
        return `${r} ${c.toFixed(1)} + ${k.toFixed(1)}`;
      });
      process.stdout.write(`runtime releases ${label.padEnd(5)} ${total.toFixed(1).padStart(7)} s  (create + compile: ${per.join(', ')})\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
