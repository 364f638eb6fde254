import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIEGO_SSH_MODULE, SSHD_SOURCE_MODULES } from '../../stacks/parts/lifecycle';
import { cleanupCrossCompile, fileOf, qemu, runStep, sha256, type StepRun } from '../support/cross-compile';
import { labLock, lifecycleFor } from '../support/lifecycle-lab';

jest.setTimeout(900_000);
afterAll(cleanupCrossCompile);

const ARMHF_CELLS = [{ arch: 'armhf' as const, goarm: 7 as const }];

/** `# <module> <version>` lines of vendor/modules.txt: what the build really used. */
function vendoredModules(run: StepRun): Record<string, string> {
  const text = readFileSync(join(run.out, 'modules.txt'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^# (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/**
 * The real diego-sshd (code.cloudfoundry.org/diego-ssh/cmd/sshd) cross-compiled by the lab's own
 * diego-sshd step from the pins in lab.lock.json, with the real Go toolchain and module proxy. It
 * builds on its own, before (and whether or not) the lifecycle bundle can.
 */
describe(`diego-sshd from the pinned ${DIEGO_SSH_MODULE} (lab.lock.json)`, () => {
  let armhf: StepRun;
  let bin: string;

  beforeAll(() => {
    armhf = runStep(lifecycleFor(ARMHF_CELLS, 'armhf'), 'sshd');
    bin = join(armhf.out, 'packages', 'diego-sshd_armhf', 'diego-sshd');
    process.stdout.write(`diego-sshd armhf: first build ${armhf.seconds.toFixed(1)}s\n`);
  });

  it('builds diego-sshd_armhf: a static ELF 32-bit ARM EABI5 executable, passed by the packaging script and the step', () => {
    expect(armhf.stderr).not.toContain('FAILED');
    expect(armhf.status).toBe(0);
    expect(fileOf(bin)).toMatch(/^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked/);
    expect(armhf.stdout).toContain('diego-sshd: ELF 32-bit ARM EABI5 executable, statically linked');
    const manifest = JSON.parse(readFileSync(join(armhf.out, 'manifest.json'), 'utf8'));
    expect(manifest.binaries['diego-sshd_armhf/diego-sshd'].elf).toBe('ELF 32-bit LSB executable, ARM EABI5, statically linked');
  });

  it('is the real Cloud Foundry sshd: under qemu-arm it lists its own flags and refuses to start without an authorized key', () => {
    const usage = qemu('arm', bin, ['-h']);
    for (const flag of ['-allowUnauthenticatedClients', '-hostKey', '-authorizedKey', '-inheritDaemonEnv', '-allowedKeyExchanges']) expect(usage).toContain(flag);
    expect(usage).toContain('PEM encoded RSA host key');
    expect(qemu('arm', bin, [])).toContain('"error":"Public user key is required"');
  });

  it('builds from exactly the lock: diego-ssh and bbs in-tree, every vendored module at its pinned version', () => {
    const manifest = JSON.parse(readFileSync(join(armhf.out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.modules).sort()).toEqual([...SSHD_SOURCE_MODULES].sort());
    for (const m of SSHD_SOURCE_MODULES) expect(manifest.modules[m]).toBe(labLock.goModules[m]);
    const vendored = vendoredModules(armhf);
    expect(Object.keys(vendored).length).toBeGreaterThan(20);
    // Nothing raised above a pin by minimal version selection, nothing unpinned slipped in.
    for (const [m, v] of Object.entries(vendored)) expect([m, v]).toEqual([m, labLock.goModules[m]]);
  });

  it('gives a byte-identical diego-sshd on a second build (warm Go build cache)', () => {
    const again = runStep(lifecycleFor(ARMHF_CELLS, 'armhf'), 'sshd', { fresh: true });
    process.stdout.write(`diego-sshd armhf: second build ${again.seconds.toFixed(1)}s\n`);
    expect(again.status).toBe(0);
    expect(sha256(join(again.out, 'packages', 'diego-sshd_armhf', 'diego-sshd'))).toBe(sha256(bin));
  });

  it('builds diego-sshd_arm64 for arm64 cells: a static ELF 64-bit ARM aarch64 executable that runs under qemu-aarch64', () => {
    const r = runStep(lifecycleFor([{ arch: 'arm64', goarm: undefined }], 'arm64'), 'sshd');
    process.stdout.write(`diego-sshd arm64: build ${r.seconds.toFixed(1)}s\n`);
    expect(r.status).toBe(0);
    const bin64 = join(r.out, 'packages', 'diego-sshd_arm64', 'diego-sshd');
    expect(fileOf(bin64)).toMatch(/^ELF 64-bit LSB executable, ARM aarch64, .*statically linked/);
    expect(qemu('aarch64', bin64, ['-h'])).toContain('-allowUnauthenticatedClients');
  });

  it('fails naming the package when the lock lacks a module diego-sshd imports, instead of resolving it from the network', () => {
    const { 'github.com/pkg/sftp': _dropped, ...partial } = labLock.goModules;
    const r = runStep(lifecycleFor(ARMHF_CELLS, 'armhf', partial), 'sshd', { fresh: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the pinned modules do not provide every package the binaries import; pin the missing modules in lab.lock.json goModules:');
    expect(r.stderr).toMatch(/\n {2}github\.com\/pkg\/sftp: /);
  });
});
