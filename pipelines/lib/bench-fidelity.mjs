// The fidelity gate part of `npm run bench` (BENCH_SECTIONS=fidelity): synthesizes the lab and runs each
// lab-fidelity-<release>-<arch>-test step through its plan command three ways:
//   cold    a fresh Go build cache (GOCACHE in a temp dir) and no result cache: every test binary built and run
//   forced  the step forced again: binaries rebuilt from the warm Go cache, results found by binary sha256
//   noop    unchanged and not forced: the step finds its report and runs nothing (0 steps run)
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

export function benchFidelity(root) {
  const fixtures = join(root, '..', 'shared', 'fixtures', 'upstream');
  const upstream = process.env.STACK_ELEVATOR_UPSTREAM ?? (existsSync(fixtures) ? relative(root, fixtures) : undefined);
  const work = mkdtempSync(join(tmpdir(), 'se-bench-fidelity-'));
  try {
    const env = { ...process.env, CDKTF_OUTDIR: join(work, 'cdktf.out'), STACK_ELEVATOR_SCOPE: 'artifacts', ...(upstream ? { STACK_ELEVATOR_UPSTREAM: upstream } : {}) };
    run('node dist/stacks/main.js', root, env);
    const stackDir = join(work, 'cdktf.out', 'stacks', 'lab');
    const steps = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')).steps.filter((s) => s.script === 'fidelity');
    const gocache = join(work, 'gocache');
    for (const s of steps) {
      const pass = (label, extra) => {
        const t = run(s.command, stackDir, { ...env, GOCACHE: gocache, STACK_ELEVATOR_STEP: s.id, ...extra });
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
