import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMjs } from '../support/mjs';

interface Probe {
  ok: boolean;
  detail: string;
  fix?: string;
}

/** Runs one probe of pipelines/lib/setup/setup-probes.mjs against the world described by `ctx`. */
function probe(name: string, ctx: Record<string, unknown>): Probe {
  return runMjs<Probe>(
    `const m = await lib('setup/setup-probes');
     out(await m[input.name]({ lock: { tools: {} }, env: process.env, ...input.ctx }));`,
    { name, ctx },
  );
}

const made: string[] = [];
const emptyDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('setup probe: binfmt handlers', () => {
  it('names the missing handler and how to register it from qemu-user-static', () => {
    const binfmtDir = emptyDir('se-binfmt-');
    const confDir = emptyDir('se-binfmt-conf-');
    writeFileSync(join(confDir, 'qemu-arm.conf'), ':qemu-arm:M::x::/usr/libexec/qemu-binfmt/arm-binfmt-P:POCF\n');
    const r = probe('probeBinfmt', { binfmtDir, binfmtConfDir: confDir });
    expect(r.ok).toBe(false);
    expect(r.detail).toContain(`qemu-arm is not registered in ${binfmtDir}`);
    expect(r.detail).toContain(`qemu-aarch64 is not registered in ${binfmtDir}`);
    expect(r.fix).toBe(`cat ${join(confDir, 'qemu-arm.conf')} > ${join(binfmtDir, 'register')} (as root)`);
  });

  it('says to install qemu-user-static when even its handler definitions are missing', () => {
    const r = probe('probeBinfmt', { binfmtDir: emptyDir('se-binfmt-'), binfmtConfDir: emptyDir('se-binfmt-conf-') });
    expect(r.ok).toBe(false);
    expect(r.fix).toMatch(/^apt-get install qemu-user-static, then cat /);
  });

  it('refuses a disabled handler and one without the F flag (ARM containers would find no qemu)', () => {
    const binfmtDir = emptyDir('se-binfmt-');
    writeFileSync(join(binfmtDir, 'qemu-arm'), 'disabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\nflags: POF\n');
    writeFileSync(join(binfmtDir, 'qemu-aarch64'), 'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PO\n');
    const r = probe('probeBinfmt', { binfmtDir, binfmtConfDir: '/usr/lib/binfmt.d' });
    expect(r.ok).toBe(false);
    expect(r.detail).toContain(`qemu-arm is registered but disabled in ${binfmtDir}`);
    expect(r.detail).toContain('qemu-aarch64 is registered without the F flag');
    expect(r.fix).toBe(`echo 1 > ${join(binfmtDir, 'qemu-arm')} (as root)`);
  });
});

describe('setup probe: commands that are not there', () => {
  const env = { PATH: emptyDir('se-empty-path-') };

  it('mmdebstrap: names both packages to install', () => {
    const r = probe('probeMmdebstrap', { env });
    expect(r).toMatchObject({ ok: false, fix: 'apt-get install mmdebstrap arch-test' });
    expect(r.detail).toBe(`mmdebstrap not found on PATH (${env.PATH})`);
  });

  it('docker: names docker.io', () => {
    const r = probe('probeDockerEngine', { env });
    expect(r).toMatchObject({ ok: false, fix: 'apt-get install docker.io' });
    expect(r.detail).toContain('docker not found on PATH');
  });

  it('terraform and bosh: setup builds them into .tools/bin', () => {
    const lock = { tools: { terraform: 'v1.5.7', 'bosh-cli': 'v7.8.6' } };
    expect(probe('probeTerraform', { env, lock })).toMatchObject({ ok: false, fix: 'npm run setup builds terraform 1.5.7 into .tools/bin' });
    expect(probe('probeBosh', { env, lock })).toMatchObject({ ok: false, fix: 'npm run setup builds it into .tools/bin' });
  });
});

describe('setup: terraform version comparison', () => {
  it('compares numerically, not as strings', () => {
    const cases = runMjs<boolean[]>(
      `const { versionAtLeast } = await lib('setup/setup-probes');
       out([['1.11.4', 'v1.5.7'], ['1.5.7', '1.5.7'], ['1.5.6', 'v1.5.7'], ['1.10.0', '1.9.9'], ['0.15.5', '1.0.0'], ['1.6.0-beta1', '1.6.0']].map(([a, b]) => versionAtLeast(a, b)));`,
    );
    expect(cases).toEqual([true, true, false, true, false, true]);
  });
});

describe('setup: the provider source tarball', () => {
  const expected = '682b1e4bed386ba09e8b90a0d094b67bf2a4c7a4afe560f5efc800807cf4c081';
  const locate = (dirs: string[]): string =>
    runMjs<string>(
      `const { locateProviderSource } = await lib('setup/provider-mirror');
       try { await locateProviderSource({ dirs: input.dirs, version: '3.6.2', sha256: input.sha }); out('found'); } catch (e) { out(e.message); }`,
      { dirs, sha: expected },
    );

  it('missing: names the file, where it looked and the expected sha256', () => {
    const dir = emptyDir('se-upstream-');
    expect(locate([dir])).toBe(`terraform-provider-docker-v3.6.2-src.tgz not found in ${dir} (expected sha256 ${expected}; fix: set STACK_ELEVATOR_UPSTREAM to the directory holding it)`);
  });

  it('wrong sha256: names the file, what it has and what the lock expects', () => {
    const dir = emptyDir('se-upstream-');
    const file = join(dir, 'terraform-provider-docker-v3.6.2-src.tgz');
    writeFileSync(file, 'not the provider source\n');
    const msg = locate([dir]);
    expect(msg).toContain(`${file} has sha256 `);
    expect(msg).toContain(`lab.lock.json expects ${expected}`);
    expect(msg).not.toContain('not found');
  });
});
