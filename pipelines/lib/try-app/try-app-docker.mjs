// The Docker Engine calls try-app makes: the stack image from the exported rootfs tarball, containers it
// tracks so every exit path removes them, tar streams copied in with numeric owners, exec and logs.
// child_process needed: docker and tar calls here are synchronous with a timeout (zx's needs the event
// loop), carry binary tar streams (zx output is text), and run from exit and signal handlers.
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../step/hash.mjs';
import { docker, lastLines, removeDeadRunContainers, runContainerName } from '../docker/docker-cli.mjs';
import { runCommand, StepError } from '../step/step.mjs';

/** @typedef {import('./try-app-inputs.mjs').Stack} Stack */

/**
 * The stack as a Docker image: FROM scratch + ADD of the very tarball the rootfs release ships, built for
 * the stack's platform (docker import would label it amd64). Tagged by the tarball's sha256, so it is
 * built once per rootfs and reused.
 * @param {{ rootfs: string, stack: Stack, workDir: string, log: (msg: string) => void }} o
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

/** The containers of try-app runs that no longer run, removed (see removeDeadRunContainers). */
export const removeDeadTryAppContainers = () => removeDeadRunContainers(CONTAINER_PREFIX);

/** The name prefix of this run's containers. */
export function runPrefix() {
  return runContainerName(CONTAINER_PREFIX);
}

/** Containers this run created; `removeAll` is called on every exit path (unless --keep). */
export class Containers {
  /** @param {string} prefix */
  constructor(prefix) {
    this.prefix = prefix;
    /** @type {string[]} */
    this.names = [];
  }

  /**
   * @param {string} role
   * @param {string[]} argv
   */
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

/**
 * Copies a tar stream (made by `tar -c` with the given owner) into the container at dest; docker cp keeps a stream's numeric owners.
 * @param {string} container
 * @param {{ cwd: string, paths: string[], owner: number, dest?: string }} o
 */
export function copyTree(container, { cwd, paths, owner, dest = '/' }) {
  const tar = spawnSync('tar', ['-C', cwd, '-c', '--numeric-owner', `--owner=${owner}`, `--group=${owner}`, ...paths], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new StepError(`tar of ${paths.join(', ')} failed: ${tar.stderr}`);
  docker(['cp', '-', `${container}:${dest}`], { input: tar.stdout });
}

/**
 * Copies a tarball's entries (owners as recorded) into the container, e.g. the droplet into /home/vcap.
 * @param {string} container
 * @param {string} tgz
 * @param {string} dest
 */
export function copyTarball(container, tgz, dest) {
  const tar = spawnSync('gzip', ['-dc', tgz], { maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new StepError(`gzip -dc ${tgz} failed: ${tar.stderr}`);
  docker(['cp', '-', `${container}:${dest}`], { input: tar.stdout });
}

/**
 * `docker start -a`: streams the container's output through onLine, resolves with its exit code and lines.
 * @param {string} container
 * @param {(line: string) => void} onLine
 */
export async function startAttached(container, onLine) {
  const r = await runCommand('docker', ['start', '-a', container], { onLine: (l) => onLine(l.trimEnd()) });
  return { code: r.code, lines: r.lines.map((l) => l.trimEnd()) };
}

/** @param {string} container */
export function isRunning(container) {
  return docker(['inspect', '-f', '{{.State.Running}}', container], { allowFail: true }).stdout.trim() === 'true';
}

/** @param {string} container */
export function logs(container) {
  const r = docker(['logs', container], { allowFail: true });
  return `${r.stdout}\n${r.stderr}`;
}

/**
 * The 127.0.0.1 host port Docker published for a container port.
 * @param {string} container
 * @param {number} port
 */
export function hostPort(container, port) {
  const line = docker(['port', container, `${port}/tcp`]).stdout.split('\n').find((l) => l.startsWith('127.0.0.1:'));
  if (!line) throw new StepError(`container ${container} publishes no 127.0.0.1 port for ${port}`);
  return Number(line.split(':')[1]);
}
