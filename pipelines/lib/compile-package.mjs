// Compiling one BOSH package here the way a compile VM's agent does (bosh-agent compiler_unix.go):
// the source package extracted into BOSH_COMPILE_TARGET, `bash -x packaging` run there with
// BOSH_INSTALL_TARGET, BOSH_PACKAGE_NAME and BOSH_PACKAGE_VERSION set, its dependencies installed side
// by side under BOSH_PACKAGES_DIR. The Go toolchain dependency is emulated by a compile.env that points
// at this machine's Go and cross-compiles for the stemcell's arch.
import { mkdirSync, readdirSync, lstatSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readElfFile } from './go-elf.mjs';
import { StepError, runCommand, runCommandSync } from './step.mjs';

/** Go target and ELF machine of a stemcell arch. */
export const ARCH_TARGETS = {
  armhf: { goarch: 'arm', machine: 40, elfClass: 1 },
  arm64: { goarch: 'arm64', machine: 183, elfClass: 2 },
};

/** Lines of a failed packaging script's output that the error carries. */
const TAIL_LINES = 20;

/** The golang package's bosh/compile.env, as a compile VM would source it, for the host Go. */
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
    `export GOOS=linux GOARCH=${t.goarch}${arch === 'armhf' ? ` GOARM=${goarm ?? 7}` : ''} CGO_ENABLED=0`,
    // Same sources, same bytes: no build paths, no VCS stamps, vendored dependencies only.
    "export GOFLAGS='-mod=vendor -trimpath -buildvcs=false'",
    'export GOPROXY=off GOTOOLCHAIN=local GOWORK=off GOTELEMETRY=off',
    `export GOCACHE='${goCache}'`,
    '',
  ];
  writeFileSync(join(dir, 'compile.env'), env.join('\n'));
}

/**
 * Runs one package's packaging script. Throws a StepError naming the package and the last lines of its
 * output when the script fails.
 */
export async function compilePackage({ pkg, compileDir, installDir, packagesDir, log }) {
  mkdirSync(installDir, { recursive: true });
  const r = await runCommand('bash', ['-x', 'packaging'], {
    cwd: compileDir,
    env: {
      BOSH_COMPILE_TARGET: compileDir,
      BOSH_INSTALL_TARGET: installDir,
      BOSH_PACKAGE_NAME: pkg.name,
      BOSH_PACKAGE_VERSION: pkg.version,
      BOSH_PACKAGES_DIR: packagesDir,
    },
    onLine: (line) => log(`${pkg.name}: ${line}`),
  });
  if (r.code !== 0) {
    const tail = r.lines.slice(-TAIL_LINES).map((l) => `  ${l}`).join('\n');
    throw new StepError(`package ${pkg.name}: packaging script failed with exit code ${r.code}; last lines of its output:\n${tail}`);
  }
}

/** Every ELF file under a dir whose machine is not the stemcell's: a native build that would only fail on the Pi. */
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

export function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile()) yield p;
  }
}

export function isElf(file) {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === 0x7f454c46;
  } finally {
    closeSync(fd);
  }
}

/** A reproducible .tgz of a directory's contents: sorted names, one mtime, owner 0, no gzip timestamp. */
export function reproducibleTgz(dir, outFile, epoch) {
  const r = runCommandSync('sh', ['-c', 'tar --sort=name --format=gnu --mtime="@$1" --owner=0 --group=0 --numeric-owner -C "$2" -cf - . | gzip -n -9 > "$3"', 'tgz', String(epoch), dir, outFile]);
  if (r.code !== 0) throw new StepError(`tar of ${dir} failed: ${r.stderr.trim()}`);
}

/** Dependencies first; a cycle or a missing dependency is an error naming the package. */
export function topoOrder(packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const done = new Set();
  const visiting = new Set();
  const order = [];
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
