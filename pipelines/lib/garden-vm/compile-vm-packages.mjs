#!/usr/bin/env node
// Compiles the garden-runc packages the VM test boots (guardian, runc with libseccomp, tar,
// iptables, garden-idmapper) for armhf from the pinned source tarball, with the ARM variant's
// patches and packaging scripts (constructs/runtime/garden-runc), the way a compile VM would:
// cwd = the package's files, BOSH_INSTALL_TARGET, BOSH_PACKAGES_DIR with the dependencies and an
// emulated golang-1.23-linux compile.env, TARGET_* for the cross toolchain. A stand-in for the
// compile-release machinery so that the VM test does not wait for it; the packaging scripts are the
// same files. `--without=NN` leaves patch NN out (the test's proofs that a patch is needed).
// `--packages=a,b` builds only those (their dependencies must not be among the others).
// usage: node compile-vm-packages.mjs <tarball> <out dir> [--without=04,05] [--packages=guardian]
// child_process needed: each packaging script runs synchronously in its own cwd and env (BOSH_*,
// TARGET_*), with a timeout, the way a compile VM runs it; zx's $ would make every caller async.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossEnv } from '../release/compile-package.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const variant = join(root, 'constructs', 'runtime', 'garden-runc');
const TARGET = crossEnv('armhf');
/** Package → the release's src/ dirs its spec takes (a superset is fine here), in build order. */
/** @type {[string, string[]][]} */
const PACKAGES = [
  ['libseccomp', []],
  ['runc', ['guardian', 'runc-patches']],
  ['guardian', ['guardian']],
  ['garden-idmapper', ['idmapper']],
  ['iptables', []],
  ['tar', []],
];

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [opts]
 */
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

/**
 * @returns {never}
 * @param {string} msg
 */
function fail(msg) {
  process.stderr.write(`compile-vm-packages: ${msg}\n`);
  process.exit(1);
}

/** @param {string} file */
function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The machine's Debian mirror, from its apt sources (never a host written into the repo). */
function debianMirror() {
  const dirs = ['/etc/apt/sources.list.d', '/etc/apt'];
  for (const dir of dirs) {
    for (const f of existsSync(dir) ? readdirSync(dir) : []) {
      if (!/\.(sources|list)$/.test(f)) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      const m = /^URIs:\s*(\S+)/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
      if (m && !/security/.test(m[1])) return m[1].replace(/\/$/, '');
    }
  }
  return fail('no Debian mirror in /etc/apt/sources.list(.d) (fix: configure apt for bookworm)');
}

/**
 * The variant's Debian files for one package and arch, fetched into cache and checked.
 * @param {string} pkg
 * @param {string} cache
 */
function debsFor(pkg, cache) {
  /** @type {{ bosh_package: string, package: string, version: string, arch: string, filename: string, pool_path: string, sha256: string }[]} */
  const all = JSON.parse(readFileSync(join(variant, 'debs.json'), 'utf8')).debs;
  const mine = all.filter((d) => d.bosh_package === pkg && (d.arch === 'armhf' || d.arch === 'source'));
  mkdirSync(cache, { recursive: true });
  return mine.map((d) => {
    const file = join(cache, d.filename);
    if (!existsSync(file)) {
      const r = d.arch === 'source'
        ? sh('curl', ['-sfLo', file, `${debianMirror()}/${d.pool_path}`])
        : sh('apt-get', ['download', `${d.package}:${d.arch}=${d.version}`], { cwd: cache });
      if (r.code !== 0) fail(`fetching ${d.filename} failed: ${r.out.trim().split('\n').pop()} (fix: dpkg --add-architecture armhf && apt-get update)`);
      const got = readdirSync(cache).find((f) => f.startsWith(`${d.package}_`) && f.includes('%3a') && f.endsWith(`_${d.arch}.deb`));
      if (got) renameSync(join(cache, got), file);
    }
    const digest = sha256(file);
    if (digest !== d.sha256) fail(`${file}: sha256 ${digest}, debs.json pins ${d.sha256}`);
    return file;
  });
}

const [tarball, outArg, ...rest] = process.argv.slice(2);
if (!tarball || !outArg) fail('usage: node compile-vm-packages.mjs <tarball> <out dir> [--without=04,05] [--packages=guardian]');
const without = (rest.find((a) => a.startsWith('--without=')) ?? '--without=').slice('--without='.length).split(',').filter(Boolean);
const only = (rest.find((a) => a.startsWith('--packages=')) ?? '--packages=').slice('--packages='.length).split(',').filter(Boolean);
const out = resolve(outArg);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// 1. the release tree with the overlay patches
const x = sh('tar', ['-xzf', resolve(tarball), '-C', out]);
if (x.code !== 0) fail(`extracting ${tarball}: ${x.out}`);
const release = join(out, readdirSync(out).find((d) => d.startsWith('garden-runc-release-')) ?? fail(`${tarball}: no garden-runc-release-* folder`));
for (const patch of readdirSync(join(variant, 'patches')).sort()) {
  if (without.some((n) => patch.startsWith(`${n}-`))) continue;
  const r = sh('patch', ['-p1', '--forward', '--batch', '-i', join(variant, 'patches', patch)], { cwd: release });
  if (r.code !== 0) fail(`patch ${patch} does not apply to ${release}:\n${r.out}`);
}

// 2. the emulated toolchain package
const packagesDir = join(out, 'packages');
const goroot = sh('go', ['env', 'GOROOT']).out.trim();
const gocache = sh('go', ['env', 'GOCACHE']).out.trim();
mkdirSync(join(packagesDir, 'golang-1.23-linux', 'bosh'), { recursive: true });
writeFileSync(join(packagesDir, 'golang-1.23-linux', 'bosh', 'compile.env'), [
  `export GOROOT='${goroot}'`, 'export PATH="${GOROOT}/bin:${PATH}"', 'export GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0',
  "export GOFLAGS='-mod=vendor -trimpath -buildvcs=false'", 'export GOPROXY=off GOTOOLCHAIN=local GOWORK=off GOTELEMETRY=off', `export GOCACHE='${gocache}'`, ''].join('\n'));

// 3. each package as a compile VM would build it
const cache = join(root, 'build', '.cache', 'garden-runc-debs');
for (const [pkg, dirs] of PACKAGES.filter(([p]) => only.length === 0 || only.includes(p))) {
  const compile = join(out, 'compile', pkg);
  const install = join(packagesDir, pkg);
  mkdirSync(compile, { recursive: true });
  mkdirSync(install, { recursive: true });
  for (const d of dirs) cpSync(join(release, 'src', d), join(compile, d), { recursive: true, verbatimSymlinks: true });
  const debs = debsFor(pkg, cache);
  if (debs.length) mkdirSync(join(compile, 'debian'));
  for (const f of debs) cpSync(f, join(compile, 'debian', /** @type {string} */ (f.split('/').pop())));
  cpSync(join(variant, 'packaging', pkg), join(compile, 'packaging'));
  const start = Date.now();
  const r = sh('nice', ['-n', '10', 'bash', '-x', 'packaging'], {
    cwd: compile,
    env: { ...process.env, ...TARGET, BOSH_COMPILE_TARGET: compile, BOSH_INSTALL_TARGET: install, BOSH_PACKAGE_NAME: pkg, BOSH_PACKAGE_VERSION: 'vm-test', BOSH_PACKAGES_DIR: packagesDir, GIT_CEILING_DIRECTORIES: out },
  });
  writeFileSync(join(out, `${pkg}.log`), r.out);
  if (r.code !== 0) fail(`package ${pkg}: packaging failed (exit ${r.code}); last lines:\n${r.out.trim().split('\n').slice(-15).join('\n')}`);
  process.stdout.write(`${pkg}: ${((Date.now() - start) / 1000).toFixed(0)} s\n`);
}
rmSync(join(out, 'compile'), { recursive: true, force: true });
process.stdout.write(`${packagesDir}\n`);
