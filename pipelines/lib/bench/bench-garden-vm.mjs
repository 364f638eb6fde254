// npm run bench, section garden-vm: the garden VM (lib/garden-vm) booted BENCH_GARDEN_VM_RUNS times
// (default 3), each running 3 container cycles per kind; prints the median boot (kernel start to
// userland ready, guest clock), gdn setup, per-container cycle (create, uname, stream in, stream out,
// destroy) for unprivileged and privileged containers, and whole VM run.
// child_process needed: the packages and initramfs are made by the harness's own scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runVm } from '../garden-vm/run-vm.mjs';
import { fetchVmDebs } from '../garden-vm/vm-debs.mjs';
import { upstreamDirOf } from '../../../contracts/upstream-dir.cjs';

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} what
 */
function must(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${what} failed: ${(r.stdout + r.stderr).trim().split('\n').slice(-10).join('\n')}`);
}

/**
 * @param {string} root
 * @param {(xs: number[]) => number} median
 */
export async function benchGardenVm(root, median) {
  const runs = Number(process.env.BENCH_GARDEN_VM_RUNS ?? 3);
  const lib = join(root, 'pipelines', 'lib', 'garden-vm');
  const dir = join(root, 'build', 'garden-vm', 'bench');
  const tarball = join(upstreamDirOf(root, process.env), 'garden-runc-release-v1.58.0-src.tgz');
  if (!existsSync(tarball)) throw new Error(`${tarball} not found (fix: set STACK_ELEVATOR_UPSTREAM to the directory of the pinned upstream tarballs)`);
  if (!existsSync(join(dir, 'packages', 'guardian', 'bin', 'gdn'))) must(process.execPath, [join(lib, 'compile-vm-packages.mjs'), tarball, dir], 'compiling garden-runc for armhf');
  const release = join(dir, readdirSync(dir).find((d) => d.startsWith('garden-runc-release-')) ?? 'garden-runc-release-v1.58.0');
  const probe = join(dir, 'se-garden-probe');
  if (!existsSync(probe)) must('bash', [join(lib, 'build-probe.sh'), release, probe], 'building the probe');
  const debs = fetchVmDebs(root);
  must('bash', [join(lib, 'make-initramfs.sh'), join(dir, 'vm'), debs.kernel, debs.busybox, debs.libc, join(dir, 'packages'), probe], 'making the initramfs');
  /** @type {Record<string, number[]>} */
  const m = { boot: [], setup: [], unprivileged: [], privileged: [], whole: [] };
  for (let i = 0; i < runs; i++) {
    const r = await runVm({ kernel: join(dir, 'vm', 'vmlinuz'), initrd: join(dir, 'vm', 'initrd.gz'), cycles: 3 });
    if (r.done !== 0) throw new Error(`garden VM run ${i + 1} failed: ${JSON.stringify(r.probe.filter((s) => !s.ok))}`);
    m.boot.push(r.phases.boot.guest);
    m.setup.push(r.phases.setup.guest - r.phases.boot.guest);
    for (const s of r.probe.filter((p) => p.step === 'cycle')) m[s.privileged ? 'privileged' : 'unprivileged'].push(s.ms / 1000);
    m.whole.push(r.seconds);
  }
  process.stdout.write(`garden VM (qemu-system-arm virt cortex-a15 -smp 2), ${runs} boots x 3 cycles per kind, medians:\n`);
  for (const [k, v] of Object.entries(m)) process.stdout.write(`  ${k.padEnd(14)} ${median(v).toFixed(1)} s  (${v.map((x) => x.toFixed(1)).join(', ')})\n`);
}
