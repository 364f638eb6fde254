// Builds what the garden VM test boots: garden-runc's packages compiled for armhf with the ARM
// variant's patches (all, or all but one, to prove that one is needed), the in-VM probe, the
// initramfs; and runs the VM. Results are cached under build/garden-vm/<inputs digest>.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from './lab-files';
import { runMjs } from './mjs';
import { compiledTarball, runPlanStep, stepOut, synthDefaultLab, unpackCompiled } from './runtime-releases';
import { rpifsRootfsTarball } from './try-app-rootfs';

export const GARDEN_TARBALL = join(UPSTREAM_FIXTURES, 'garden-runc-release-v1.58.0-src.tgz');
const VARIANT = join(PROJECT_ROOT, 'constructs', 'runtime', 'garden-runc');
const VM_LIB = join(PROJECT_ROOT, 'pipelines', 'lib', 'garden-vm');
const BUILD = join(PROJECT_ROOT, 'build', 'garden-vm');

/** One result line of the probe (pipelines/lib/garden-vm/probe/main.go). */
export interface ProbeStep { step: string; privileged: boolean; ok: boolean; ms: number; out?: string; err?: string; host: number }
export interface VmRun {
  phases: Record<string, { host: number; guest: number }>;
  probe: ProbeStep[];
  done: number | null;
  qemuExit: number | null;
  timedOut: boolean;
  seconds: number;
  console: string[];
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])).sort();
}

/** Digest of everything a compiled package depends on here: the variant's files and the tarball's pin. */
function inputsDigest(extra: string): string {
  const h = createHash('sha256').update(extra).update(GARDEN_TARBALL);
  for (const f of [...files(VARIANT), join(VM_LIB, 'compile-vm-packages.mjs')]) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[], what: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, cwd: PROJECT_ROOT });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-20).join('\n')}`);
  return r.stdout;
}

export const GARDEN_CREATE_STEP = 'lab-runtime-garden-runc-armhf-create';
export const GARDEN_COMPILE_STEP = 'lab-compiled-runtime-garden-runc-armhf-rpi-compile';

/**
 * garden-runc as the default lab's plan makes it: its own create-release and compile-release steps
 * (outputs content-addressed under build/, so a deploy or another test that ran them is reused),
 * the compiled packages unpacked; and the pinned upstream tree, whose Garden client the probe uses.
 */
let built: { packages: string; release: string; compiledTarball: string } | undefined;

export function fullPackages(): { packages: string; release: string; compiledTarball: string } {
  built ??= planPackages();
  return built;
}

function planPackages(): { packages: string; release: string; compiledTarball: string } {
  const plan = synthDefaultLab(join(BUILD, 'cdktf.out'));
  for (const id of [GARDEN_CREATE_STEP, GARDEN_COMPILE_STEP]) {
    // an output directory is named by the step's trigger: one that holds a tarball is this step's result
    if (existsSync(stepOut(plan, id)) && readdirSync(stepOut(plan, id)).some((f) => f.endsWith('.tgz'))) continue;
    const res = runPlanStep(plan, id);
    if (res.status !== 0) throw new Error(`${id} exited ${res.status}:\n${res.output.split('\n').slice(-20).join('\n')}`);
  }
  const tarball = compiledTarball(stepOut(plan, GARDEN_COMPILE_STEP));
  const dir = join(BUILD, `plan-${createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, 'packages', 'guardian', 'bin', 'gdn'))) {
    rmSync(dir, { recursive: true, force: true });
    unpackCompiled(tarball, dir);
  }
  return { packages: join(dir, 'packages'), release: upstreamTree(), compiledTarball: tarball };
}

/** The pinned garden-runc tree, extracted once per tarball pin. */
function upstreamTree(): string {
  const dir = join(BUILD, `src-${inputsDigest('src')}`);
  const tree = () => readdirSync(dir).find((d) => d.startsWith('garden-runc-release-'));
  if (!existsSync(dir) || !tree()) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    run('tar', ['-xzf', GARDEN_TARBALL, '-C', dir], 'extracting the pinned garden-runc tree');
  }
  const name = tree();
  if (!name) throw new Error(`${GARDEN_TARBALL}: holds no garden-runc-release-* tree (fix: check the fixture against lab.lock.json)`);
  return join(dir, name);
}

/** The full packages, with guardian rebuilt leaving patch `nn` out. */
export function packagesWithout(nn: string): string {
  const full = fullPackages().packages;
  const dir = join(BUILD, `without-${nn}-${inputsDigest(`without-${nn}`)}`);
  if (!existsSync(join(dir, 'packages', 'guardian', 'bin', 'gdn'))) {
    rmSync(dir, { recursive: true, force: true });
    run(process.execPath, [join(VM_LIB, 'compile-vm-packages.mjs'), GARDEN_TARBALL, dir, `--without=${nn}`, '--packages=guardian'], `compiling guardian without patch ${nn}`);
    for (const p of readdirSync(full)) if (p !== 'guardian') cpSync(join(full, p), join(dir, 'packages', p), { recursive: true, verbatimSymlinks: true });
  }
  return join(dir, 'packages');
}

export function probeBinary(release: string): string {
  const out = join(BUILD, `probe-${inputsDigest(readFileSync(join(VM_LIB, 'probe', 'main.go'), 'utf8'))}`);
  if (!existsSync(out)) run('bash', [join(VM_LIB, 'build-probe.sh'), release, out], 'building the garden probe for armhf');
  return out;
}

/** Pinned kernel, busybox and libc debs (setup fetches them; fetched here if missing). */
export function vmDebs(): { kernel: string; busybox: string; libc: string } {
  return runMjs("const m = await lib('garden-vm/vm-debs'); out(m.fetchVmDebs(input));", PROJECT_ROOT);
}

/** Boots the VM with these packages, the containers made from the lab's rpifs rootfs, and returns what its console said. */
export function bootVm(name: string, packages: string, probe: string, cycles = 1): VmRun {
  const debs = vmDebs();
  const dir = join(BUILD, 'vm', name);
  mkdirSync(dir, { recursive: true });
  run('bash', [join(VM_LIB, 'make-initramfs.sh'), dir, debs.kernel, debs.busybox, debs.libc, packages, probe, rpifsRootfsTarball()], `making the ${name} initramfs`);
  return runMjs(
    "const m = await lib('garden-vm/run-vm'); out(await m.runVm({ kernel: input.dir + '/vmlinuz', initrd: input.dir + '/initrd.gz', cycles: input.cycles, timeoutSeconds: 900 }));",
    { dir, cycles },
  );
}

export function step(r: VmRun, name: string, privileged: boolean): ProbeStep | undefined {
  return r.probe.find((s) => s.step === name && s.privileged === privileged);
}
