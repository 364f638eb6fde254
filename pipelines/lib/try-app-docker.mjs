// The Docker Engine calls try-app makes: the stack image from the exported rootfs tarball, containers it
// tracks so every exit path removes them, tar streams copied in with numeric owners, exec and logs.
// child_process needed: docker and tar calls here are synchronous with a timeout (zx's needs the event
// loop), carry binary tar streams (zx output is text), and run from exit and signal handlers.
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning as pidRuns } from '../../contracts/atomic-dir.cjs';
import { sha256File } from './hash.mjs';
import { runCommand, StepError } from './step.mjs';

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

export function lastLines(text, n) {
  return String(text)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}

/**
 * The stack as a Docker image: FROM scratch + ADD of the very tarball the rootfs release ships, built for
 * the stack's platform (docker import would label it amd64). Tagged by the tarball's sha256, so it is
 * built once per rootfs and reused.
 */
export async function stackImage({ rootfs, stack, workDir, log }) {
  const sha = await sha256File(rootfs);
  const tag = `stack-elevator/try-app-${stack.name}:${sha.slice(0, 16)}`;
  if (docker(['image', 'inspect', tag], { allowFail: true }).code === 0) return tag;
  const ctx = mkdtempSync(join(workDir, '.image-'));
  try {
    try {
      linkSync(rootfs, join(ctx, 'rootfs.tgz'));
    } catch {
      copyFileSync(rootfs, join(ctx, 'rootfs.tgz'));
    }
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nADD rootfs.tgz /\n');
    log(`importing ${stack.name} rootfs (${sha.slice(0, 12)}) as ${tag}`);
    docker(['build', '--force-rm', '--platform', stack.platform, '-q', '-t', tag, ctx]); // --force-rm: no container left on a failed build
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  return tag;
}

/** Every container try-app creates is named `se-try-app-<pid of the run>-<time>-<role>`. */
export const CONTAINER_PREFIX = 'se-try-app-';

/** The name prefix of this run's containers. */
export function runPrefix() {
  return `${CONTAINER_PREFIX}${process.pid}-${Date.now().toString(36)}`;
}

/**
 * Removes the containers of try-app runs that no longer run: a run killed with SIGKILL cannot remove its
 * own, and its pid is in their names. Containers of runs still running are left alone. Returns the names
 * removed; none when docker cannot list containers (the run then fails on its own docker calls).
 */
export function removeDeadRunContainers() {
  let listed;
  try {
    listed = docker(['ps', '-a', '--filter', `name=^${CONTAINER_PREFIX}`, '--format', '{{.Names}}'], { allowFail: true, timeoutMs: 60_000 });
  } catch {
    return [];
  }
  if (listed.code !== 0) return [];
  const dead = listed.stdout.split('\n').filter((name) => {
    const pid = Number(new RegExp(`^${CONTAINER_PREFIX}(\\d+)-`).exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && !pidRuns(pid);
  });
  for (const name of dead) docker(['rm', '-f', '-v', name], { allowFail: true });
  return dead;
}

/** Containers this run created; `removeAll` is called on every exit path (unless --keep). */
export class Containers {
  constructor(prefix) {
    this.prefix = prefix;
    this.names = [];
  }

  create(role, argv) {
    const name = `${this.prefix}-${role}`;
    this.names.push(name);
    docker(['create', '--name', name, ...argv]);
    return name;
  }

  removeAll() {
    for (const n of this.names.splice(0)) docker(['rm', '-f', '-v', n], { allowFail: true });
  }
}

/** Copies a tar stream (made by `tar -c` with the given owner) into the container at dest; docker cp keeps a stream's numeric owners. */
export function copyTree(container, { cwd, paths, owner, dest = '/' }) {
  const tar = spawnSync('tar', ['-C', cwd, '-c', '--numeric-owner', `--owner=${owner}`, `--group=${owner}`, ...paths], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new StepError(`tar of ${paths.join(', ')} failed: ${tar.stderr}`);
  docker(['cp', '-', `${container}:${dest}`], { input: tar.stdout });
}

/** Copies a tarball's entries (owners as recorded) into the container, e.g. the droplet into /home/vcap. */
export function copyTarball(container, tgz, dest) {
  const tar = spawnSync('gzip', ['-dc', tgz], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new StepError(`gzip -dc ${tgz} failed: ${tar.stderr}`);
  docker(['cp', '-', `${container}:${dest}`], { input: tar.stdout });
}

/** `docker start -a`: streams the container's output through onLine, resolves with its exit code and lines. */
export async function startAttached(container, onLine) {
  const r = await runCommand('docker', ['start', '-a', container], { onLine: (l) => onLine(l.trimEnd()) });
  return { code: r.code, lines: r.lines.map((l) => l.trimEnd()) };
}

export function isRunning(container) {
  return docker(['inspect', '-f', '{{.State.Running}}', container], { allowFail: true }).stdout.trim() === 'true';
}

export function logs(container) {
  const r = docker(['logs', container], { allowFail: true });
  return `${r.stdout}\n${r.stderr}`;
}

/** The 127.0.0.1 host port Docker published for a container port. */
export function hostPort(container, port) {
  const line = docker(['port', container, `${port}/tcp`]).stdout.split('\n').find((l) => l.startsWith('127.0.0.1:'));
  if (!line) throw new StepError(`container ${container} publishes no 127.0.0.1 port for ${port}`);
  return Number(line.split(':')[1]);
}
