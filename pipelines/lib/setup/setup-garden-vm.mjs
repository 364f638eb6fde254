// The garden VM test's prerequisites, apart from the others so that they merge as one line in
// setup.mjs: qemu-system-arm that can boot `-M virt -cpu cortex-a15`, and the pinned armhf kernel,
// busybox and libc debs in build/.cache/garden-vm (pipelines/lib/garden-vm/vm-debs.json).
import { run } from './setup-probes.mjs';
import { aptInstall, SetupError } from './setup-install.mjs';
import { fetchVmDebs, vmDebProblems } from '../garden-vm/vm-debs.mjs';

/** @typedef {import('./setup-probes.mjs').ProbeContext} ProbeContext */
/** @typedef {import('./setup-probes.mjs').ProbeResult} ProbeResult */
/** @typedef {import('./setup-probes.mjs').Prerequisite} Prerequisite */

/**
 * Asks qemu-system-arm itself whether it has the virt machine and the cortex-a15 cpu; and cpio, which
 * packs the VM's initramfs (make-initramfs.sh) and is not on every Debian install.
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeQemuSystemArm(ctx) {
  if (run('cpio', ['--version'], { env: ctx.env }).missing) {
    return { ok: false, detail: 'cpio not found on PATH (the garden VM\'s initramfs is packed with it)', fix: 'apt-get install cpio qemu-system-arm', packages: ['cpio', 'qemu-system-arm'] };
  }
  const machines = run('qemu-system-arm', ['-M', 'help'], { env: ctx.env });
  if (machines.missing) return { ok: false, detail: `qemu-system-arm not found on PATH (${ctx.env.PATH ?? ''})`, fix: 'apt-get install qemu-system-arm', packages: ['qemu-system-arm'] };
  const cpus = run('qemu-system-arm', ['-M', 'virt', '-cpu', 'help'], { env: ctx.env });
  if (!/^virt\b/m.test(machines.stdout) || !/cortex-a15/.test(cpus.stdout)) {
    return { ok: false, detail: 'qemu-system-arm lacks the virt machine or the cortex-a15 cpu', fix: 'apt-get install qemu-system-arm (Debian\'s build has both)', packages: ['qemu-system-arm'] };
  }
  const version = /version (\S+)/.exec(run('qemu-system-arm', ['--version'], { env: ctx.env }).stdout)?.[1];
  return { ok: true, detail: `qemu-system-arm ${version ?? ''}: virt, cortex-a15; cpio` };
}

/**
 * @param {ProbeContext} ctx
 * @returns {Promise<ProbeResult>}
 */
export async function probeGardenVmDebs(ctx) {
  const problems = vmDebProblems(ctx.root);
  if (problems.length) return { ok: false, detail: problems.map((p) => p.what).join('; '), fix: 'npm run setup fetches them (apt-get download, sha256 checked)' };
  return { ok: true, detail: 'kernel, busybox-static and libc6 armhf debs as pinned in pipelines/lib/garden-vm/vm-debs.json' };
}

/**
 * Setup entries for the garden VM test.
 * @param {ProbeContext} ctx
 * @returns {Prerequisite[]}
 */
export function gardenVmPrerequisites(ctx) {
  return [
    { name: 'qemu-system-arm', probe: probeQemuSystemArm, install: async (found) => aptInstall(found.packages ?? ['qemu-system-arm'], ctx.env) },
    {
      name: 'garden VM debs (armhf)',
      probe: probeGardenVmDebs,
      install: async () => {
        try {
          fetchVmDebs(ctx.root, ctx.env);
        } catch (err) {
          throw new SetupError(err.message);
        }
      },
    },
  ];
}
