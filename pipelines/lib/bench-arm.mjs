// The ARM packages part of `npm run bench`: synthesizes the lab, then runs its cross-compile steps in
// plan order three ways, as a deploy would run them (the plan's own commands):
//   cold  a fresh Go build cache (GOCACHE in a temp dir), every step forced to rebuild
//   warm  the same steps again with the now-warm Go build cache, still forced
//   noop  the unchanged steps re-run without force: each finds its out dir and does nothing
// child_process needed: a timed command starts directly, with no second shell in between to add to its time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

function run(cmd, cwd, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', cmd], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd}\nfailed:\n${r.stderr || r.stdout}`);
  return { s, stdout: r.stdout };
}

export function benchArmPackages(root) {
  const fixtures = join(root, '..', 'shared', 'fixtures', 'upstream');
  const upstream = process.env.STACK_ELEVATOR_UPSTREAM ?? (existsSync(fixtures) ? relative(root, fixtures) : undefined);
  const work = mkdtempSync(join(tmpdir(), 'se-bench-arm-'));
  try {
    const outdir = join(work, 'cdktf.out');
    const env = { ...process.env, CDKTF_OUTDIR: outdir, STACK_ELEVATOR_SCOPE: 'artifacts', ...(upstream ? { STACK_ELEVATOR_UPSTREAM: upstream } : {}) };
    run(`node dist/stacks/main.js`, root, env);
    const stackDir = join(outdir, 'stacks', 'lab');
    /** @type {import('../../constructs/plan/plan-graph.ts').PlanDocument} */
    const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8'));
    const steps = plan.steps.filter((s) => s.script === 'cross-compile');
    const gocache = join(work, 'gocache');
    const pass = (label, extra) => {
      const times = steps.map((s) => ({ id: s.id, ...run(s.command, stackDir, { ...env, GOCACHE: gocache, ...extra }) }));
      const total = times.reduce((a, t) => a + t.s, 0);
      process.stdout.write(`ARM packages ${label.padEnd(5)} ${total.toFixed(1).padStart(7)} s  (${times.map((t) => `${t.id.replace(/^lab-lifecycle-/, '')} ${t.s.toFixed(1)}`).join(', ')})\n`);
      return times;
    };
    process.stdout.write(`cross-compile steps of lab.yaml (${steps.length}), upstream ${upstream ?? '(git clone)'}\n`);
    pass('cold', { STACK_ELEVATOR_FORCE: '1' });
    pass('warm', { STACK_ELEVATOR_FORCE: '1' });
    const noop = pass('noop', { STACK_ELEVATOR_FORCE: '0' });
    const busy = noop.filter((t) => !t.stdout.includes('nothing to do'));
    if (busy.length > 0) throw new Error(`an unchanged step rebuilt on re-run: ${busy.map((t) => t.id).join(', ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
