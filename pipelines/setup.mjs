#!/usr/bin/env node
// npm run setup: installs and starts the real toolchain the plan steps and e2e tests drive, idempotently.
// Each piece is checked first and only installed or started when missing; a piece that cannot be
// installed stops setup with what failed and how to fix it.
import { existsSync, mkdirSync, openSync, readFileSync, renameSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { $ } from 'zx';
import { findTool, projectRoot, toolsBin } from './lib/tools.mjs';
import { ensureActionlint } from './lib/actionlint.mjs';

$.verbose = false;
const root = projectRoot();
const lock = JSON.parse(readFileSync(join(root, 'lab.lock.json'), 'utf8'));
const log = (msg) => process.stdout.write(`setup: ${msg}\n`);

class SetupError extends Error {}

async function ok(cmd) {
  return (await $`sh -c ${cmd}`.nothrow()).exitCode === 0;
}

async function aptInstall(packages) {
  if (process.getuid && process.getuid() !== 0) {
    throw new SetupError(`need root to apt-get install ${packages.join(' ')} (fix: run npm run setup as root, or install them yourself)`);
  }
  log(`apt-get install ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await $({ env })`apt-get update -q`.nothrow();
  if (update.exitCode !== 0) throw new SetupError(`apt-get update failed:\n${update.stderr}`);
  const install = await $({ env })`apt-get install -y -q --no-install-recommends ${packages}`.nothrow();
  if (install.exitCode !== 0) throw new SetupError(`apt-get install ${packages.join(' ')} failed:\n${install.stderr.slice(-2000)}`);
}

async function debianPackages() {
  const wanted = [
    ['dockerd', 'docker.io'],
    ['qemu-arm-static', 'qemu-user-static'],
    ['mmdebstrap', 'mmdebstrap'],
    ['git', 'git'],
    ['file', 'file'],
  ];
  const missing = wanted.filter(([bin]) => !findTool(bin, root)).map(([, pkg]) => pkg);
  // mmdebstrap verifies the suite with Debian's keyring; it has no binary to look for.
  if (!existsSync('/usr/share/keyrings/debian-archive-keyring.gpg')) missing.push('debian-archive-keyring');
  if (missing.length > 0) await aptInstall(missing);
  log('debian packages present: docker.io, qemu-user-static, mmdebstrap, git, file, debian-archive-keyring');
}

async function binfmt() {
  const dir = '/proc/sys/fs/binfmt_misc';
  if (!existsSync(join(dir, 'register'))) {
    if (!(await ok(`mount -t binfmt_misc binfmt_misc ${dir}`))) {
      throw new SetupError(`cannot mount binfmt_misc on ${dir} (fix: run setup as root on a host that allows it)`);
    }
  }
  for (const handler of ['qemu-arm', 'qemu-aarch64']) {
    if (existsSync(join(dir, handler))) continue;
    const conf = `/usr/lib/binfmt.d/${handler}.conf`;
    if (!existsSync(conf)) throw new SetupError(`${conf} missing: qemu-user-static did not install its binfmt entries`);
    if (!(await ok(`cat ${conf} > ${dir}/register`))) throw new SetupError(`registering ${handler} in ${dir}/register failed`);
  }
  log('binfmt handlers registered: qemu-arm, qemu-aarch64');
}

async function dockerEngine() {
  if (await ok('docker info >/dev/null 2>&1')) {
    log('docker engine running');
    return;
  }
  const logDir = join(root, 'build', '.setup');
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, 'dockerd.log'), 'a');
  // vfs and no iptables: the only combination that works inside these unprivileged-network sandboxes.
  const child = spawn('dockerd', ['--storage-driver=vfs', '--iptables=false'], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  for (let i = 0; i < 60; i++) {
    if (await ok('docker info >/dev/null 2>&1')) {
      log(`docker engine started (log: build/.setup/dockerd.log)`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new SetupError('dockerd did not answer within 30 s (see build/.setup/dockerd.log)');
}

/** go install names the binary after the package's last path element; `installedAs` is that name. */
async function goTool(bin, pkg, pinned, cwd, installedAs = bin, ldflags = '') {
  const target = join(toolsBin(root), bin);
  if (existsSync(target)) {
    const version = (await $`${target} --version`.nothrow()).stdout;
    if (version.includes(pinned.replace(/^v/, ''))) {
      log(`${bin} ${pinned} present (${target.replace(`${root}/`, '')})`);
      return;
    }
    log(`${bin} in .tools/bin is not ${pinned}: rebuilding`);
  }
  if (!findTool('go', root)) throw new SetupError('go is not on PATH (fix: install Go 1.22 or newer)');
  log(`building ${pkg}@${pinned} with go install (first time: a few minutes)`);
  const res = await $({ cwd, env: { ...process.env, GOBIN: toolsBin(root), CGO_ENABLED: '0' } })`go install -trimpath -ldflags=${ldflags} ${pkg}`.nothrow();
  if (res.exitCode !== 0) throw new SetupError(`go install ${pkg} failed:\n${res.stderr.slice(-2000)}`);
  if (installedAs !== bin) renameSync(join(toolsBin(root), installedAs), target);
  log(`${bin} installed`);
}

async function terraform() {
  if (findTool('terraform', root)) {
    log('terraform present on PATH');
    return;
  }
  const pinned = lock.tools.terraform;
  await goTool('terraform', `github.com/hashicorp/terraform@${pinned}`, pinned, root);
}

try {
  mkdirSync(toolsBin(root), { recursive: true });
  await debianPackages();
  await binfmt();
  await dockerEngine();
  // bosh-cli's module is built from tools/go.mod: the module proxy here refuses version listing, which
  // `go install pkg@version` needs for its deprecation check; a pinned go.mod sidesteps that.
  await goTool('bosh', 'github.com/cloudfoundry/bosh-cli/v7', lock.tools['bosh-cli'], join(root, 'tools'), 'bosh-cli', `-X github.com/cloudfoundry/bosh-cli/v7/cmd.VersionLabel=${lock.tools['bosh-cli'].replace(/^v/, '')}`);
  await terraform();
  try { log(ensureActionlint(root)); } catch (e) { throw new SetupError(e.message); }
  log('toolchain ready');
} catch (err) {
  if (err instanceof SetupError) {
    process.stderr.write(`setup failed: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
