// What the plan-step sections of `npm run bench` share: the lab's artifacts plan synthesized into a
// scratch folder, and a timed run of one planned command.
// child_process needed: a timed command starts directly, with no second shell in between to add to its time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { upstreamDirOf } from '../../../contracts/upstream-dir.cjs';

/**
 * Runs `cmd` in bash and times it; a failure throws with the last 20 lines of its output.
 * @param {string} cmd @param {string} cwd @param {NodeJS.ProcessEnv} env
 */
export function timedRun(cmd, cwd, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', cmd], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd}\nfailed:\n${(r.stderr || r.stdout).split('\n').slice(-20).join('\n')}`);
  return { s, stdout: r.stdout };
}

/**
 * The default lab's artifacts-scope plan, synthesized into a fresh scratch folder `work` (the caller
 * removes it), with the environment its steps run in (the upstream trees of contracts/upstream-dir.cjs).
 * @param {string} root @param {string} name the scratch folder's prefix
 */
export function synthArtifactsPlan(root, name) {
  const work = mkdtempSync(join(tmpdir(), `se-bench-${name}-`));
  const outdir = join(work, 'cdktf.out');
  const upstream = relative(root, upstreamDirOf(root, process.env));
  const env = { ...process.env, CDKTF_OUTDIR: outdir, STACK_ELEVATOR_SCOPE: 'artifacts', STACK_ELEVATOR_UPSTREAM: upstream };
  timedRun('node dist/stacks/main.js', root, env);
  const stackDir = join(outdir, 'stacks', 'lab');
  /** @type {import('../../../contracts/plan-document.ts').PlanDocument} */
  const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8'));
  return { work, env, stackDir, plan, upstream, gocache: join(work, 'gocache') };
}
