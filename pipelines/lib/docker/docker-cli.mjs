// The Docker CLI as the steps that run containers call it (try-app, export-rootfs, the package check): one
// synchronous runner with a timeout, and the reaping of containers a killed run left.
// child_process needed: docker calls here are synchronous with a timeout (zx's needs the event loop) and
// run from exit and signal handlers.
import { spawnSync } from 'node:child_process';
import { isRunning as pidRuns } from '../../../contracts/atomic-dir.cjs';
import { StepError } from '../step/step.mjs';

/**
 * @param {string[]} argv
 * @param {{ input?: string | Buffer, allowFail?: boolean, timeoutMs?: number }} [options]
 */
export function docker(argv, { input, allowFail = false, timeoutMs } = {}) {
  const r = spawnSync('docker', argv, { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  if (r.error) throw new StepError(`docker not runnable: ${r.error.message} (fix: npm run setup)`);
  if (r.status !== 0 && !allowFail) throw new StepError(`docker ${argv.slice(0, 2).join(' ')} failed (exit ${r.status}): ${lastLines(r.stderr || r.stdout, 3)}`);
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * @param {unknown} text
 * @param {number} n
 */
export function lastLines(text, n) {
  return String(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}

/**
 * A container name of this run under `prefix`: `<prefix><pid>-<time>`, so the next run can tell, by the
 * pid, whether the run that made it still runs.
 * @param {string} prefix
 */
export function runContainerName(prefix) {
  return `${prefix}${process.pid}-${Date.now().toString(36)}`;
}

/**
 * The containers (running or not) named `<prefix><pid of the run>-...` whose run no longer runs; undefined
 * when docker cannot list containers.
 * @param {string} prefix the names' prefix, before the pid
 * @returns {string[] | undefined}
 */
export function deadRunContainers(prefix) {
  const listed = docker(['ps', '-a', '--filter', `name=^${prefix}`, '--format', '{{.Names}}'], { allowFail: true, timeoutMs: 60_000 });
  if (listed.code !== 0) return undefined;
  return listed.stdout.split('\n').filter((name) => {
    const pid = Number(new RegExp(`^${prefix}(\\d+)-`).exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && !pidRuns(pid);
  });
}

/**
 * Removes the containers of runs under `prefix` that no longer run: a run killed with SIGKILL cannot
 * remove its own, and its pid is in their names. Containers of runs still running are left alone. Returns
 * the names removed; none when docker cannot list containers (the run then fails on its own docker calls).
 * @param {string} prefix the names' prefix, before the pid
 */
export function removeDeadRunContainers(prefix) {
  let dead;
  try {
    dead = deadRunContainers(prefix) ?? [];
  } catch {
    return [];
  }
  for (const name of dead) docker(['rm', '-f', '-v', name], { allowFail: true });
  return dead;
}

/**
 * Runs `work` with a container name of this run (runContainerName) between two removals of the dead runs'
 * containers under `prefix`: before, so a killed run's go whatever this run then does (logged, naming
 * `what` ran them); after, because a killed run's `docker create` may reach the engine only after the
 * first look.
 * @template T
 * @param {string} prefix @param {string} what @param {(msg: string) => void} log
 * @param {(name: string) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withDeadRunsRemoved(prefix, what, log, work) {
  const removed = removeDeadRunContainers(prefix);
  if (removed.length > 0) log(`removed the container(s) of ${what} that no longer run: ${removed.join(', ')}`);
  try {
    return await work(runContainerName(prefix));
  } finally {
    removeDeadRunContainers(prefix);
  }
}
