// The cross toolchain the cells' runtime releases need (bpm's runc and tini, garden's C parts): Debian's
// crossbuild-essential-<arch> with libseccomp-dev:<arch> for cgo, cmake, patch for the overlays, and a
// private mount namespace for the compile emulation's /var/vcap. Probed by USING each: a C program that
// includes <seccomp.h> is cross-compiled and linked statically against libseccomp for every arch.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CELL_ARCHES } from '../../../contracts/arches.cjs';
import { run } from './setup-probes.mjs';
import { SetupError, aptInstall } from './setup-install.mjs';

/** @typedef {import('./setup-probes.mjs').ProbeContext} ProbeContext */

/** Debian arch -> GNU triplet of its cross compiler. */
export const CROSS_TRIPLETS = Object.fromEntries(Object.entries(CELL_ARCHES).map(([arch, f]) => [arch, f.triplet]));

/** What setup installs for the cross toolchain. */
export const CROSS_PACKAGES = [
  ...Object.keys(CROSS_TRIPLETS).flatMap((a) => [`crossbuild-essential-${a}`, `libseccomp-dev:${a}`]),
  'cmake',
  'patch',
  'pkg-config',
];

const PROGRAM = '#include <seccomp.h>\nint main(void) { return seccomp_api_get() < 0; }\n';

/** @param {{ env: Record<string, string | undefined> }} ctx */
export async function probeCrossToolchain(ctx) {
  const problems = [];
  const dir = mkdtempSync(join(tmpdir(), 'se-cross-'));
  try {
    writeFileSync(join(dir, 'p.c'), PROGRAM);
    for (const [arch, triplet] of Object.entries(CROSS_TRIPLETS)) {
      const r = run(`${triplet}-gcc`, ['-static', '-o', join(dir, `p-${arch}`), join(dir, 'p.c'), `-L/usr/lib/${triplet}`, '-lseccomp'], { env: ctx.env });
      if (r.code !== 0) problems.push(r.missing ? `${triplet}-gcc not found` : `${triplet}-gcc cannot link a static libseccomp program (${firstLine(r.stderr)})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const cmd of ['cmake', 'patch']) {
    if (run(cmd, ['--version'], { env: ctx.env }).code !== 0) problems.push(`${cmd} does not run`);
  }
  const ns = run('unshare', ['--mount', '--propagation', 'private', 'true'], { env: ctx.env });
  if (ns.code !== 0) problems.push(`unshare --mount fails (${firstLine(ns.stderr)}): the compile emulation mounts its own /var/vcap and needs root`);
  if (problems.length === 0) return { ok: true, detail: `${Object.values(CROSS_TRIPLETS).map((t) => `${t}-gcc`).join(', ')} link libseccomp statically; cmake, patch, unshare answer` };
  return { ok: false, detail: problems.join('; '), fix: `dpkg --add-architecture armhf && dpkg --add-architecture arm64 && apt-get update && apt-get install ${CROSS_PACKAGES.join(' ')}` };
}

/**
 * Adds the foreign architectures, then installs the packages (apt-get update runs in aptInstall).
 * @param {ProbeContext} ctx
 */
export function installCrossToolchain(ctx) {
  for (const arch of Object.keys(CROSS_TRIPLETS)) {
    const r = run('dpkg', ['--add-architecture', arch], { env: ctx.env });
    if (r.code !== 0) throw new SetupError(`dpkg --add-architecture ${arch} failed: ${r.stderr.trim()}`);
  }
  aptInstall(CROSS_PACKAGES, ctx.env);
}

/** @param {string} s */
function firstLine(s) {
  return (s ?? '').trim().split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}
