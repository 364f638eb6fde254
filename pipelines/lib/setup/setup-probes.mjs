// What `npm run setup` checks, one probe per prerequisite. A probe USES the prerequisite (runs an ARM
// binary, asks mmdebstrap's arch-test, lets terraform init find the provider) instead of looking for a
// binary, because a binary on PATH says nothing about whether it works (issue 11: mmdebstrap present,
// arch-test missing, every rootfs test red). Every probe reads its world from `ctx`, so a test can hand
// it a broken one (a PATH without arch-test, a binfmt dir without the handler) and check what it says.
//
// A probe resolves to { ok: true, detail } or { ok: false, detail, fix }: detail says what was found,
// fix the one thing to do about it.
// child_process needed: probes are synchronous with a timeout (zx's timer needs the event loop) and run
// with exactly the environment given (tests hand them a PATH of fakes; zx would add this process's).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CELL_ARCHES } from '../../../contracts/arches.cjs';
import { PROBE_EXIT_CODE, probeElf } from '../go/arm-probe-elf.mjs';

export const BINFMT_HANDLERS = Object.values(CELL_ARCHES).map((f) => f.qemu);
/** Debian architectures mmdebstrap must be able to bootstrap (the lab's armhf and arm64 stacks). */
export const FOREIGN_ARCHES = Object.values(CELL_ARCHES).map((f) => f.debian);
const ARMHF_PLATFORM = CELL_ARCHES.armhf.platform;
export const PROVIDER_TOOL = 'terraform-provider-docker';
export const PROVIDER_SHA_TOOL = 'terraform-provider-docker-src-sha256';

/**
 * @typedef {object} ProbeContext
 * @property {string} root project root
 * @property {Record<string, string|undefined>} env environment of every command a probe runs (PATH!)
 * @property {string} binfmtDir where the kernel lists binfmt handlers
 * @property {string} binfmtConfDir where qemu-user-static leaves its handler definitions
 * @property {{ tools: Record<string, string> }} lock lab.lock.json
 * @property {string} [keyring] the Debian archive keyring mmdebstrap verifies with (default: Debian's path)
 */
/**
 * What a probe found: `fix` says what to do when not ok, `packages` what apt-get install would fix it.
 * @typedef {{ ok: boolean, detail: string, fix?: string, packages?: string[] }} ProbeResult
 */
/**
 * One line of `npm run setup`: its probe, and how to fix what the probe found (none: only reported).
 * @typedef {{ name: string, probe: (ctx: ProbeContext) => Promise<ProbeResult>, install?: (found: ProbeResult) => Promise<void> }} Prerequisite
 */

/**
 * Runs a command; never throws. `missing` is true when the command itself was not found.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number }} [options]
 */
export function run(cmd, args, { env, cwd, timeoutMs = 120_000 } = {}) {
  const r = spawnSync(cmd, args, { env, cwd, encoding: 'utf8', timeout: timeoutMs });
  /** @type {NodeJS.ErrnoException | undefined} */
  const error = r.error;
  const missing = error?.code === 'ENOENT';
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', missing, error };
}

/** @param {string | undefined} s */
function firstLine(s) {
  return (s ?? '').trim().split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/**
 * @param {string} cmd
 * @param {ProbeContext} ctx
 */
function notFound(cmd, ctx) {
  return `${cmd} not found on PATH (${ctx.env.PATH ?? ''})`;
}

/**
 * git and file (the pipelines call them) and the Debian keyring mmdebstrap verifies the suite with.
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeDebianTools(ctx) {
  const missing = [];
  for (const [cmd, pkg] of [['git', 'git'], ['file', 'file']]) {
    if (run(cmd, ['--version'], { env: ctx.env }).code !== 0) missing.push(pkg);
  }
  const keyring = ctx.keyring ?? '/usr/share/keyrings/debian-archive-keyring.gpg';
  if (!existsSync(keyring)) missing.push('debian-archive-keyring');
  if (missing.length > 0) return { ok: false, detail: `missing ${missing.join(', ')}`, fix: `apt-get install ${missing.join(' ')}`, packages: missing };
  return { ok: true, detail: 'git, file and the Debian archive keyring answer' };
}

/**
 * Each handler registered (enabled, F flag so it works inside containers) and running an ARM ELF.
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeBinfmt(ctx) {
  const problems = [];
  const dir = mkdtempSync(join(tmpdir(), 'se-binfmt-probe-'));
  try {
    for (const handler of BINFMT_HANDLERS) {
      const entry = join(ctx.binfmtDir, handler);
      const conf = join(ctx.binfmtConfDir, `${handler}.conf`);
      if (!existsSync(entry)) {
        problems.push({
          what: `${handler} is not registered in ${ctx.binfmtDir}`,
          fix: existsSync(conf) ? `cat ${conf} > ${join(ctx.binfmtDir, 'register')} (as root)` : `apt-get install qemu-user-static, then cat ${conf} > ${join(ctx.binfmtDir, 'register')}`,
        });
        continue;
      }
      const state = readFileSync(entry, 'utf8');
      if (!/^enabled$/m.test(state)) {
        problems.push({ what: `${handler} is registered but disabled in ${ctx.binfmtDir}`, fix: `echo 1 > ${entry} (as root)` });
        continue;
      }
      // F (fix-binary) opens the interpreter at registration: without it an ARM container finds no qemu inside.
      if (!/^flags: [A-Z]*F[A-Z]*$/m.test(state)) {
        problems.push({ what: `${handler} is registered without the F flag`, fix: `echo -1 > ${entry}, then cat ${conf} > ${join(ctx.binfmtDir, 'register')} (as root)` });
        continue;
      }
      const bin = join(dir, handler);
      writeFileSync(bin, probeElf(handler), { mode: 0o755 });
      const r = run(bin, [], { env: ctx.env, timeoutMs: 30_000 });
      if (r.code !== PROBE_EXIT_CODE) {
        problems.push({ what: `an ${handler.replace('qemu-', '')} binary does not run (exit ${r.code}${r.error ? `, ${r.error.code}` : ''})`, fix: `check the interpreter named in ${entry}` });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length > 0) return { ok: false, detail: problems.map((p) => p.what).join('; '), fix: problems[0].fix };
  return { ok: true, detail: `${BINFMT_HANDLERS.join(', ')} run ARM binaries` };
}

/**
 * mmdebstrap runs, and its foreign-architecture check (arch-test) says yes for each ARM arch.
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeMmdebstrap(ctx) {
  const version = run('mmdebstrap', ['--version'], { env: ctx.env });
  if (version.code !== 0) {
    return { ok: false, detail: version.missing ? notFound('mmdebstrap', ctx) : `mmdebstrap --version failed: ${firstLine(version.stderr)}`, fix: 'apt-get install mmdebstrap arch-test', packages: ['mmdebstrap', 'arch-test'] };
  }
  for (const arch of FOREIGN_ARCHES) {
    const r = run('arch-test', [arch], { env: ctx.env });
    if (r.missing) {
      return {
        ok: false,
        detail: `${notFound('arch-test', ctx)}: mmdebstrap cannot bootstrap ${arch} (E: install arch-test for foreign architecture support)`,
        fix: 'apt-get install arch-test',
        packages: ['arch-test'],
      };
    }
    if (r.code !== 0 || !new RegExp(`^${arch}: ok$`, 'm').test(r.stdout)) {
      return { ok: false, detail: `arch-test ${arch}: ${firstLine(r.stdout) || firstLine(r.stderr) || `exit ${r.code}`}`, fix: 'register the qemu binfmt handlers (npm run setup does)' };
    }
  }
  return { ok: true, detail: `${firstLine(version.stdout)}; arch-test: ${FOREIGN_ARCHES.map((a) => `${a} ok`).join(', ')}` };
}

/**
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeDockerEngine(ctx) {
  const r = run('docker', ['info', '--format', '{{.ServerVersion}} {{.Driver}}'], { env: ctx.env, timeoutMs: 30_000 });
  if (r.missing) return { ok: false, detail: notFound('docker', ctx), fix: 'apt-get install docker.io', packages: ['docker.io'] };
  if (r.code !== 0) return { ok: false, detail: `docker info: ${firstLine(r.stderr) || `exit ${r.code}`}`, fix: 'start the engine: dockerd --storage-driver=vfs --iptables=false (npm run setup does)' };
  const [version, driver] = r.stdout.trim().split(' ');
  return { ok: true, detail: `engine ${version} (storage driver ${driver})` };
}

/**
 * An image FROM scratch holding the ARM probe binary, run with the armhf platform.
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeDockerArm(ctx) {
  const elf = probeElf(CELL_ARCHES.armhf.qemu);
  const dockerfile = 'FROM scratch\nCOPY probe /probe\nENTRYPOINT ["/probe"]\n';
  const tag = `stack-elevator/setup-probe:${createHash('sha256').update(elf).update(dockerfile).digest('hex').slice(0, 16)}`;
  const env = { ...ctx.env, DOCKER_BUILDKIT: '0' };
  if (run('docker', ['image', 'inspect', tag], { env }).code !== 0) {
    const dir = mkdtempSync(join(tmpdir(), 'se-docker-probe-'));
    try {
      writeFileSync(join(dir, 'probe'), elf, { mode: 0o755 });
      writeFileSync(join(dir, 'Dockerfile'), dockerfile);
      const b = run('docker', ['build', '--platform', ARMHF_PLATFORM, '-q', '-t', tag, dir], { env, timeoutMs: 120_000 });
      if (b.code !== 0) return { ok: false, detail: `docker build --platform ${ARMHF_PLATFORM} of a scratch image failed: ${firstLine(b.stderr)}`, fix: 'make sure docker info answers, then rerun npm run setup' };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const r = run('docker', ['run', '--rm', '--platform', ARMHF_PLATFORM, '--network', 'none', tag], { env, timeoutMs: 60_000 });
  if (r.code !== PROBE_EXIT_CODE) {
    return { ok: false, detail: `docker run --platform ${ARMHF_PLATFORM} exited ${r.code}: ${firstLine(r.stderr) || 'the ARM binary did not run'}`, fix: 'register the qemu binfmt handlers with the F flag (npm run setup does), then restart dockerd' };
  }
  return { ok: true, detail: 'an armv7 container runs' };
}

/**
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeGo(ctx) {
  const r = run('go', ['version'], { env: ctx.env });
  if (r.code !== 0) return { ok: false, detail: r.missing ? notFound('go', ctx) : firstLine(r.stderr), fix: 'install Go 1.23 or newer (/usr/local/go/bin on PATH)' };
  return { ok: true, detail: firstLine(r.stdout) };
}

/**
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeBosh(ctx) {
  const pinned = ctx.lock.tools['bosh-cli'].replace(/^v/, '');
  const r = run('bosh', ['--version'], { env: ctx.env });
  if (r.code !== 0) return { ok: false, detail: r.missing ? notFound('bosh', ctx) : `bosh --version: ${firstLine(r.stderr)}`, fix: 'npm run setup builds it into .tools/bin' };
  const found = /^version (\S+)/m.exec(r.stdout)?.[1];
  if (found?.replace(/-.*$/, '') !== pinned) return { ok: false, detail: `bosh prints version ${found ?? firstLine(r.stdout)}, lab.lock.json pins ${pinned}`, fix: 'npm run setup rebuilds it into .tools/bin' };
  return { ok: true, detail: `version ${found}` };
}

/**
 * Numeric x.y.z comparison; a pre-release suffix is ignored.
 * @param {string} found
 * @param {string} wanted
 */
export function versionAtLeast(found, wanted) {
  const parse = (/** @type {string} */ v) => v.replace(/^v/, '').replace(/-.*$/, '').split('.').map((n) => Number(n) || 0);
  const [a, b] = [parse(found), parse(wanted)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeTerraform(ctx) {
  const wanted = ctx.lock.tools.terraform.replace(/^v/, '');
  const r = run('terraform', ['version', '-json'], { env: ctx.env });
  if (r.code !== 0) return { ok: false, detail: r.missing ? notFound('terraform', ctx) : `terraform version: ${firstLine(r.stderr)}`, fix: `npm run setup builds terraform ${wanted} into .tools/bin` };
  let found;
  try {
    found = JSON.parse(r.stdout).terraform_version;
  } catch {
    found = /v(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
  }
  if (!found || !versionAtLeast(found, wanted)) {
    return { ok: false, detail: `terraform ${found ?? '(unknown version)'} found, lab.lock.json wants ${wanted} or newer`, fix: `put terraform >= ${wanted} on PATH, or remove the old one so npm run setup builds ${wanted} into .tools/bin` };
  }
  return { ok: true, detail: `terraform ${found} (lab.lock.json: >= ${wanted})` };
}

/**
 * The implied local mirror directory terraform init searches with no CLI configuration.
 * @param {NodeJS.ProcessEnv} env
 */
export function impliedMirrorDir(env) {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'terraform', 'plugins');
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} version
 */
export function providerBinaryPath(env, version) {
  return join(impliedMirrorDir(env), 'registry.terraform.io', 'kreuzwerker', 'docker', version, 'linux_amd64', `terraform-provider-docker_v${version}`);
}

/**
 * terraform init of a configuration that needs exactly the pinned kreuzwerker/docker.
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeDockerProvider(ctx) {
  const version = ctx.lock.tools[PROVIDER_TOOL];
  if (!version) return { ok: false, detail: `lab.lock.json pins no tools["${PROVIDER_TOOL}"]`, fix: `add "${PROVIDER_TOOL}": "3.6.2" to lab.lock.json tools` };
  const dir = mkdtempSync(join(tmpdir(), 'se-provider-probe-'));
  try {
    mkdirSync(dir, { recursive: true });
    const config = { terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version } } } };
    writeFileSync(join(dir, 'main.tf.json'), `${JSON.stringify(config)}\n`);
    const r = run('terraform', ['init', '-input=false', '-no-color', '-backend=false'], { env: { ...ctx.env, TF_IN_AUTOMATION: '1' }, cwd: dir, timeoutMs: 180_000 });
    const installed = new RegExp(`Installed kreuzwerker/docker v${version.replace(/\./g, '\\.')}`).test(r.stdout);
    if (r.code !== 0 || !installed) {
      const why = (r.stderr || r.stdout).split('\n').map((l) => l.trim()).filter((l) => /Error|could not|no available|not found/i.test(l)).slice(0, 2).join(' ');
      return {
        ok: false,
        detail: `terraform init does not find kreuzwerker/docker ${version}${why ? `: ${why}` : ''}`,
        fix: `npm run setup builds it into ${providerBinaryPath(ctx.env, version)}`,
      };
    }
    return { ok: true, detail: `terraform init installs kreuzwerker/docker ${version} from ${impliedMirrorDir(ctx.env)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
