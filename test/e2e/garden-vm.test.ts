// garden-runc for the Pi, proven in a qemu-system-arm VM (-M virt -cpu cortex-a15, Debian's armmp
// kernel, an initramfs with the compiled packages): gdn setup, gdn server, and through Garden's own
// client (built from the pinned tree, run inside the VM) an unprivileged and a privileged container
// each created from a raw:// rootfs, `uname -m`, a file streamed in and out, destroyed. Then the
// same flow with the seccomp patch and with the nstar patch left out, which must fail the way the
// issue describes: that is what makes those patches necessary. And what qemu-user can show.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bootVm, fullPackages, packagesWithout, probeBinary, step, type VmRun } from '../support/garden-vm';
import { runMjs } from '../support/mjs';

jest.setTimeout(3_600_000);

const ELF_ARMHF = /^ELF 32-bit LSB .*ARM, EABI5/;

function timings(r: VmRun): string {
  const p = r.phases;
  const cycles = r.probe.filter((s) => s.step === 'cycle').map((s) => `${s.privileged ? 'privileged' : 'unprivileged'} ${(s.ms / 1000).toFixed(1)} s`);
  return `boot ${p.boot?.guest ?? '?'} s (guest uptime), gdn setup ${p.setup && p.boot ? (p.setup.guest - p.boot.guest).toFixed(1) : '?'} s, cycles: ${cycles.join(', ')}, whole VM ${r.seconds.toFixed(0)} s`;
}

describe('garden-runc 1.58.0 ARM variant', () => {
  let full: { packages: string; release: string };
  let probe: string;
  beforeAll(() => {
    full = fullPackages();
    probe = probeBinary(full.release);
  });

  it('installs only ARM ELF files in the packages the VM boots', () => {
    const foreign = runMjs<string[]>(
      "const m = await lib('release/compile-package'); out(input.flatMap((d) => m.foreignExecutables(d, 'armhf')));",
      ['guardian', 'runc', 'tar', 'iptables', 'garden-idmapper', 'libseccomp'].map((p) => join(full.packages, p)),
    );
    expect(foreign).toEqual([]);
    for (const bin of ['guardian/bin/gdn', 'guardian/bin/nstar', 'guardian/bin/init', 'runc/bin/runc', 'tar/tar']) {
      expect(`${bin}: ${spawnSync('file', ['-b', join(full.packages, bin)], { encoding: 'utf8' }).stdout}`).toMatch(new RegExp(`^${bin}: ${ELF_ARMHF.source.slice(1)}.*statically linked`));
    }
  });

  describe('in a qemu-system-arm VM, with every patch', () => {
    let r: VmRun;
    beforeAll(() => {
      r = bootVm('full', full.packages, probe);
      process.stdout.write(`garden VM: ${timings(r)}\n`);
    });

    it('runs to the end: gdn answers, every probe step passes', () => {
      expect(r.timedOut).toBe(false);
      expect(r.probe.filter((s) => !s.ok)).toEqual([]);
      expect(r.done).toBe(0);
    });

    it.each([false, true])('privileged=%s: the container says armv7l and a file streams in and back out unchanged', (privileged) => {
      expect(step(r, 'uname', privileged)?.out).toBe('armv7l');
      expect(step(r, 'stream-in', privileged)?.ok).toBe(true);
      expect(step(r, 'stream-out', privileged)?.out).toBe(`streamed through nstar, privileged=${privileged}`);
      expect(step(r, 'destroy', privileged)?.ok).toBe(true);
    });

    it('maps the unprivileged container root to 2147483647 on armv7 (idmapper clamp, kept: see index.json)', () => {
      expect(r.console.find((l) => l.startsWith('SE-MAXIMUS'))).toBe('SE-MAXIMUS 2147483647');
    });
  });

  it('without the seccomp patch (05) unprivileged containers die; privileged ones still run', () => {
    const r = bootVm('without-05', packagesWithout('05'), probe);
    expect(step(r, 'create', false)).toMatchObject({ ok: false, err: expect.stringContaining('container process is already dead') });
    expect(step(r, 'uname', true)?.out).toBe('armv7l');
  });

  it('without the nstar patch (04) every StreamIn and StreamOut fails at execveat', () => {
    const r = bootVm('without-04', packagesWithout('04'), probe);
    for (const privileged of [false, true]) {
      expect(step(r, 'uname', privileged)?.out).toBe('armv7l');
      expect(step(r, 'stream-in', privileged)).toMatchObject({ ok: false, err: expect.stringContaining('execveat') });
      expect(step(r, 'stream-out', privileged)?.ok).toBe(false);
    }
  });

  it('under qemu-user the binaries run (containers need the VM: qemu-user has no CLONE_NEW*, seccomp or subreaper)', () => {
    const runArm = (bin: string, ...args: string[]) => {
      const res = spawnSync('qemu-arm-static', [join(full.packages, bin), ...args], { encoding: 'utf8' });
      return `${res.stdout}${res.stderr}`;
    };
    expect(runArm('guardian/bin/gdn', 'server', '--help')).toMatch(/^Usage:\n {2}gdn \[OPTIONS\] server/);
    // upstream's runc spec ships no VERSION file, so `make` stamps none (as on upstream's x86 compile VMs);
    // the module version is in the binary's build info, and libseccomp is linked in statically
    expect(runArm('runc/bin/runc', '--version')).toMatch(/^runc version \n[\s\S]*libseccomp: 2\.5\.4/);
    expect(spawnSync('go', ['version', '-m', join(full.packages, 'runc/bin/runc')], { encoding: 'utf8' }).stdout).toMatch(/\tmod\tgithub\.com\/opencontainers\/runc\tv1\.1\.15\t/);
    expect(runArm('guardian/bin/nstar')).toMatch(/^Usage: .*nstar <tar path> <wshd pid> <user> <destination>/);
    expect(runArm('tar/tar', '--version')).toMatch(/^tar \(GNU tar\) 1\.34/);
    expect(runArm('garden-idmapper/bin/maximus').trim()).toMatch(/^\d+$/);
  });
});
