// How `npm run setup` fixes a prerequisite its probe found missing. Each installer throws SetupError
// with the reason; setup then probes again, so "installed" is only printed for something that works.
// child_process needed: dockerd starts detached and outlives setup, which zx does not offer.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { BINFMT_HANDLERS, run } from './setup-probes.mjs';
import { runCommandSync } from '../step/step.mjs';

/** @typedef {import('./setup-probes.mjs').ProbeContext} ProbeContext */

export class SetupError extends Error {}

/** @param {string} s */
function tail(s, n = 600) {
  return s.length > n ? `...${s.slice(-n)}` : s;
}

/**
 * @param {string[]} packages
 * @param {NodeJS.ProcessEnv} env
 */
export function aptInstall(packages, env) {
  if (process.getuid && process.getuid() !== 0) throw new SetupError(`need root to apt-get install ${packages.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-q'], { env: aptEnv, timeoutMs: 600_000 });
  if (update.code !== 0) throw new SetupError(`apt-get update failed: ${tail(update.stderr)}`);
  const install = run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env: aptEnv, timeoutMs: 1_200_000 });
  if (install.code !== 0) throw new SetupError(`apt-get install ${packages.join(' ')} failed: ${tail(install.stderr)}`);
}

/**
 * Mounts binfmt_misc when needed and registers the qemu handlers from qemu-user-static's definitions.
 * @param {ProbeContext} ctx
 */
export function registerBinfmt(ctx) {
  if (!existsSync(join(ctx.binfmtDir, 'register'))) {
    const m = run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', ctx.binfmtDir], { env: ctx.env });
    if (m.code !== 0) throw new SetupError(`cannot mount binfmt_misc on ${ctx.binfmtDir}: ${m.stderr.trim()}`);
  }
  const confs = BINFMT_HANDLERS.map((h) => join(ctx.binfmtConfDir, `${h}.conf`));
  if (confs.some((c) => !existsSync(c))) aptInstall(['qemu-user-static'], ctx.env);
  for (const handler of BINFMT_HANDLERS) {
    const entry = join(ctx.binfmtDir, handler);
    // A registration without the F flag (or disabled) is dropped first; the kernel refuses duplicates.
    if (existsSync(entry)) runCommandSync('sh', ['-c', `echo -1 > ${entry}`]);
    const conf = join(ctx.binfmtConfDir, `${handler}.conf`);
    const r = runCommandSync('sh', ['-c', `cat ${conf} > ${join(ctx.binfmtDir, 'register')}`]);
    if (r.code !== 0) throw new SetupError(`registering ${handler} failed: ${r.stderr.trim()}`);
  }
}

/**
 * Starts dockerd in the background (vfs, no iptables: what works in these sandboxes) and waits for it.
 * @param {ProbeContext} ctx
 */
export async function startDockerd(ctx) {
  if (run('dockerd', ['--version'], { env: ctx.env }).missing) aptInstall(['docker.io'], ctx.env);
  const logDir = join(ctx.root, 'build', '.setup');
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, 'dockerd.log'), 'a');
  const child = spawn('dockerd', ['--storage-driver=vfs', '--iptables=false'], { env: ctx.env, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  for (let i = 0; i < 60; i++) {
    if (run('docker', ['info'], { env: ctx.env, timeoutMs: 10_000 }).code === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new SetupError('dockerd did not answer within 30 s (see build/.setup/dockerd.log)');
}

/**
 * go install of a pinned tool into .tools/bin; `installedAs` is the name go gives the binary.
 * @param {ProbeContext} ctx
 * @param {{ bin: string, pkg: string, cwd: string, installedAs?: string, ldflags?: string }} tool
 */
export function goInstall(ctx, { bin, pkg, cwd, installedAs = bin, ldflags = '' }) {
  const toolsBin = join(ctx.root, '.tools', 'bin');
  mkdirSync(toolsBin, { recursive: true });
  const r = run('go', ['install', '-trimpath', `-ldflags=${ldflags}`, pkg], { cwd, env: { ...ctx.env, GOBIN: toolsBin, CGO_ENABLED: '0' }, timeoutMs: 1_800_000 });
  if (r.missing) throw new SetupError('go is not on PATH');
  if (r.code !== 0) throw new SetupError(`go install ${pkg} failed: ${tail(r.stderr)}`);
  if (installedAs !== bin) renameSync(join(toolsBin, installedAs), join(toolsBin, bin));
}
