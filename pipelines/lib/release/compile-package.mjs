// Compiling one BOSH package here the way a compile VM's agent does (bosh-agent compiler_unix.go):
// the source package extracted into BOSH_COMPILE_TARGET, `bash -x packaging` run there with
// BOSH_INSTALL_TARGET, BOSH_PACKAGE_NAME and BOSH_PACKAGE_VERSION set, its dependencies installed side
// by side under BOSH_PACKAGES_DIR. The Go toolchain dependency is emulated by a compile.env that points
// at this machine's Go and cross-compiles for the stemcell's arch.
import { mkdirSync, readdirSync, lstatSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CELL_ARCHES } from '../../../contracts/arches.cjs';
import { readElfFile } from '../go/go-elf.mjs';
import { StepError, runCommand, runCommandSync } from '../step/step.mjs';

/**
 * Go target, ELF machine and Debian cross toolchain of a stemcell arch. The triplet names the
 * crossbuild-essential-<arch> compiler and the multiarch library dir of `<package>:<arch>` dev packages.
 */
export const ARCH_TARGETS = Object.fromEntries(
  Object.entries(CELL_ARCHES).map(([arch, f]) => [arch, { goarch: f.goarch, goarm: f.goarm, machine: f.elfMachine, elfClass: f.elfClass, triplet: f.triplet }]),
);

/** Where a compile VM has its packages; the local emulation mounts its own tree there, per package. */
export const VCAP_ROOT = '/var/vcap';

/**
 * What a packaging script replaced for ARM (C from pinned sources, Debian packages) needs to cross-build:
 * the target's Debian arch, GNU triplet, cross compiler and pkg-config dir. Upstream scripts ignore them.
 * @param {string} arch
 */
export function crossEnv(arch) {
  const t = ARCH_TARGETS[/** @type {keyof typeof ARCH_TARGETS} */ (arch)];
  if (!t) throw new StepError(`--arch=${arch}: expected one of ${Object.keys(ARCH_TARGETS).join(', ')}`);
  return {
    TARGET_DEB_ARCH: arch,
    TARGET_TRIPLET: t.triplet,
    TARGET_CC: `${t.triplet}-gcc`,
    TARGET_PKG_CONFIG_LIBDIR: `/usr/lib/${t.triplet}/pkgconfig`,
  };
}

/** Lines of a failed packaging script's output that the error carries. */
const TAIL_LINES = 20;

/**
 * The golang package's bosh/compile.env, as a compile VM would source it, for the host Go.
 * @param {string} packagesDir
 * @param {string} name
 * @param {{ goroot: string, arch: string, goarm: number | undefined, goCache: string }} toolchain
 */
export function writeToolchainPackage(packagesDir, name, { goroot, arch, goarm, goCache }) {
  const t = ARCH_TARGETS[arch];
  if (!t) throw new StepError(`--arch=${arch}: expected one of ${Object.keys(ARCH_TARGETS).join(', ')}`);
  const dir = join(packagesDir, name, 'bosh');
  mkdirSync(dir, { recursive: true });
  const env = [
    `# stack-elevator: stands in for ${name} on a compile VM. This machine's Go toolchain, cross-compiling`,
    `# for the stemcell's arch (${arch}). Compile-time only: never part of the compiled release.`,
    `export GOROOT='${goroot}'`,
    'export PATH="${GOROOT}/bin:${PATH}"',
    `export GOOS=linux GOARCH=${t.goarch}${t.goarm !== undefined ? ` GOARM=${goarm ?? t.goarm}` : ''} CGO_ENABLED=0`,
    // Same sources, same bytes: no build paths, no VCS stamps, vendored dependencies only.
    "export GOFLAGS='-mod=vendor -trimpath -buildvcs=false'",
    'export GOPROXY=off GOTOOLCHAIN=local GOWORK=off GOTELEMETRY=off',
    `export GOCACHE='${goCache}'`,
    // As bosh-package-golang-release's compile.env does: a GOPATH in the compile dir, not $HOME's.
    'export GOPATH="${BOSH_COMPILE_TARGET}/.gopath"',
    '',
  ];
  writeFileSync(join(dir, 'compile.env'), env.join('\n'));
}

/**
 * Runs one package's packaging script as a compile VM would: in a private mount namespace where
 * vcapDir is mounted at /var/vcap, so upstream scripts that name /var/vcap/packages/<dep> run unchanged
 * and every package sees its dependencies where BOSH puts them. compileDir and installDir lie under
 * vcapDir (data/compile/<name>, packages/<name>). Throws a StepError naming the package and the last lines
 * of its output when the script fails.
 * @param {{ pkg: { name: string, version: string }, vcapDir: string, arch: string, log: (msg: string) => void }} o
 */
export async function compilePackage({ pkg, vcapDir, arch, log }) {
  const compileTarget = `${VCAP_ROOT}/data/compile/${pkg.name}`;
  const installTarget = `${VCAP_ROOT}/packages/${pkg.name}`;
  mkdirSync(join(vcapDir, 'packages', pkg.name), { recursive: true });
  const script = 'mkdir -p "$1" && mount --bind "$2" "$1" && cd "$3" && exec bash -x packaging';
  const r = await runCommand('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'compile', VCAP_ROOT, vcapDir, compileTarget], {
    env: {
      ...crossEnv(arch),
      BOSH_COMPILE_TARGET: compileTarget,
      BOSH_INSTALL_TARGET: installTarget,
      BOSH_PACKAGE_NAME: pkg.name,
      BOSH_PACKAGE_VERSION: pkg.version,
      BOSH_PACKAGES_DIR: `${VCAP_ROOT}/packages`,
    },
    onLine: (line) => log(`${pkg.name}: ${line}`),
  });
  if (r.code !== 0) {
    const tail = r.lines.slice(-TAIL_LINES).map((l) => `  ${l}`).join('\n');
    const ns = r.lines.some((l) => /unshare|mount: /.test(l)) ? ' (the compile emulation needs root for its private /var/vcap mount: run the step as root)' : '';
    throw new StepError(`package ${pkg.name}: packaging script failed with exit code ${r.code}${ns}; last lines of its output:\n${tail}`);
  }
}

/**
 * Every ELF file under a dir whose machine is not the stemcell's: a native build that would only fail on the Pi.
 * @param {string} dir
 * @param {string} arch
 */
export function foreignExecutables(dir, arch) {
  const t = ARCH_TARGETS[arch];
  const out = [];
  for (const file of walk(dir)) {
    if (!isElf(file)) continue;
    const elf = readElfFile(file);
    if (elf.machine !== t.machine || elf.elfClass !== t.elfClass) out.push(`${relative(dir, file)} (${elf.describe})`);
  }
  return out;
}

/**
 * @param {string} dir
 * @returns {Generator<string>}
 */
export function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile()) yield p;
  }
}

/** @param {string} file */
export function isElf(file) {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === 0x7f454c46;
  } finally {
    closeSync(fd);
  }
}

/**
 * A reproducible .tgz of a directory's contents: sorted names, one mtime, owner 0, no gzip timestamp.
 * @param {string} dir
 * @param {string} outFile
 * @param {number} epoch
 */
export function reproducibleTgz(dir, outFile, epoch) {
  const r = runCommandSync('sh', ['-c', 'tar --sort=name --format=gnu --mtime="@$1" --owner=0 --group=0 --numeric-owner -C "$2" -cf - . | gzip -n -9 > "$3"', 'tgz', String(epoch), dir, outFile]);
  if (r.code !== 0) throw new StepError(`tar of ${dir} failed: ${r.stderr.trim()}`);
}

/**
 * Dependencies first; a cycle or a missing dependency is an error naming the package.
 * @template {{ name: string, dependencies: string[] }} P
 * @param {P[]} packages
 * @returns {P[]}
 */
export function topoOrder(packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const done = new Set();
  const visiting = new Set();
  /** @type {P[]} */
  const order = [];
  /** @param {P} p */
  const visit = (p) => {
    if (done.has(p.name)) return;
    if (visiting.has(p.name)) throw new StepError(`package ${p.name}: dependency cycle`);
    visiting.add(p.name);
    for (const d of [...p.dependencies].sort()) {
      const dep = byName.get(d);
      if (!dep) throw new StepError(`package ${p.name}: depends on ${d}, which the release does not contain`);
      visit(dep);
    }
    visiting.delete(p.name);
    done.add(p.name);
    order.push(p);
  };
  for (const p of [...packages].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(p);
  return order;
}
