// The runtime-releases part of `npm run bench`: synthesizes the lab, then runs the create and compile
// steps of the cell runtime releases (bpm, loggregator-agent, bosh-dns) in plan order, through the
// plan's own commands, twice:
//   cold  a fresh Go build cache (GOCACHE in a temp dir)
//   warm  the same steps again with the now-warm Go build cache
// (An unchanged deploy runs none of these steps: their Terraform triggers decide that, not the scripts.)
// Their outputs land in the steps' own content-addressed build/ dirs, as a deploy's would.
// child_process needed: a timed command starts directly, with no second shell in between to add to its time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const RELEASES = ['bpm', 'loggregator-agent', 'bosh-dns'];

function run(cmd, cwd, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', cmd], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd}\nfailed:\n${(r.stderr || r.stdout).split('\n').slice(-20).join('\n')}`);
  return s;
}

export function benchRuntimeReleases(root) {
  const fixtures = join(root, '..', 'shared', 'fixtures', 'upstream');
  const upstream = process.env.STACK_ELEVATOR_UPSTREAM ?? (existsSync(fixtures) ? relative(root, fixtures) : undefined);
  const work = mkdtempSync(join(tmpdir(), 'se-bench-runtime-'));
  try {
    const outdir = join(work, 'cdktf.out');
    const env = { ...process.env, CDKTF_OUTDIR: outdir, STACK_ELEVATOR_SCOPE: 'artifacts', ...(upstream ? { STACK_ELEVATOR_UPSTREAM: upstream } : {}) };
    run(`node dist/stacks/main.js`, root, env);
    const stackDir = join(outdir, 'stacks', 'lab');
    /** @type {import('../../constructs/plan/plan-graph.ts').PlanDocument} */
    const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8'));
    const ids = RELEASES.flatMap((r) => [`lab-runtime-${r}-armhf-create`, `lab-compiled-runtime-${r}-armhf-rpi-compile`]);
    const steps = ids.map((id) => {
      const s = plan.steps.find((x) => x.id === id);
      if (!s) throw new Error(`the lab's plan has no step ${id}`);
      return s;
    });
    const gocache = join(work, 'gocache');
    process.stdout.write(`runtime releases of lab.yaml (${RELEASES.join(', ')}): create + compile for the Pi stemcell, upstream ${upstream ?? '(git clone)'}\n`);
    for (const label of ['cold', 'warm']) {
      const secs = Object.fromEntries(steps.map((s) => [s.id, run(s.command, stackDir, { ...env, GOCACHE: gocache, STACK_ELEVATOR_STEP: s.id })]));
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
