import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UPSTREAM_FIXTURES } from '../support/lab-files';
import {
  agentEnv,
  compileStepId,
  compiledTarball,
  createStepId,
  elfHeaders,
  freePort,
  LabPlan,
  makeCerts,
  qemuArm,
  RUNTIME_RELEASES,
  RuntimeRelease,
  runPlanStep,
  startProcess,
  stepOut,
  synthDefaultLab,
  tamperedUpstream,
  tcpOpen,
  tempDir,
  unpackCompiled,
  waitFor,
  withArg,
} from '../support/runtime-releases';

const ELF_ARM = 40;
const ELF_32 = 1;
const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

/**
 * Issue 19, item 5: the cell runtime releases (bpm, loggregator-agent, bosh-dns) built by the default
 * lab's own plan steps from the pinned upstream trees, compiled for the Pi stemcell, and their main
 * binaries run under qemu. The steps run through the plan's `command` as a deploy's local-exec would.
 */
describe('runtime releases of the default lab: built, compiled for debian-bookworm-armhf, run under qemu', () => {
  const work = tempDir('se-runtime-releases-');
  let plan: LabPlan;
  /** { release: { package: dir } } */
  const pkgs: Partial<Record<RuntimeRelease, Record<string, string>>> = {};
  const compiledJson: Partial<Record<RuntimeRelease, Record<string, unknown>>> = {};
  const releaseJson: Partial<Record<RuntimeRelease, Record<string, unknown>>> = {};
  const stepFailures: string[] = [];

  beforeAll(() => {
    plan = synthDefaultLab(join(work, 'cdktf.out'));
    for (const r of RUNTIME_RELEASES) {
      for (const id of [createStepId(r), compileStepId(r)]) {
        const res = runPlanStep(plan, id);
        if (res.status !== 0) {
          stepFailures.push(`${id} exited ${res.status}:\n${res.output.split('\n').slice(-20).join('\n')}`);
          return;
        }
      }
      const createOut = stepOut(plan, createStepId(r));
      releaseJson[r] = JSON.parse(readFileSync(join(createOut, 'release.json'), 'utf8'));
      const compileOut = stepOut(plan, compileStepId(r));
      compiledJson[r] = JSON.parse(readFileSync(join(compileOut, 'compiled.json'), 'utf8'));
      pkgs[r] = unpackCompiled(compiledTarball(compileOut), join(work, 'unpacked', r));
    }
  }, 3_600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs the create and compile steps of all three releases through the plan\'s own commands', () => {
    expect(stepFailures).toEqual([]);
    expect(Object.keys(pkgs).sort()).toEqual([...RUNTIME_RELEASES].sort());
    expect(Object.keys(pkgs.bpm!).sort()).toEqual(['bpm', 'bpm-runc', 'tini']);
    expect(Object.keys(pkgs['loggregator-agent']!)).toEqual(['loggregator_agent']);
    expect(Object.keys(pkgs['bosh-dns']!)).toEqual(['bosh-dns']);
    for (const r of RUNTIME_RELEASES) expect(compiledJson[r]!.stemcell).toBe('debian-bookworm-armhf/0.1.0');
  });

  it.each(RUNTIME_RELEASES)('%s: every ELF in every compiled package is 32-bit ARM (e_machine 40)', (r) => {
    for (const [pkg, dir] of Object.entries(pkgs[r]!)) {
      const elves = elfHeaders(dir);
      expect({ pkg, hasElf: elves.length > 0 }).toEqual({ pkg, hasElf: true });
      expect(elves.filter((e) => e.machine !== ELF_ARM || e.elfClass !== ELF_32)).toEqual([]);
    }
  });

  it('bpm: `bpm version` prints 1.4.3; its runc is 1.2.1 (with libseccomp); tini is 0.18.0', () => {
    const bpm = pkgs.bpm!;
    const version = qemuArm(join(bpm.bpm, 'bin', 'bpm'), ['version']);
    expect(version.stdout).toBe('1.4.3\n');
    expect(version.status).toBe(0);
    for (const runc of [join(bpm.bpm, 'bin', 'runc'), join(bpm['bpm-runc'], 'bin', 'runc')]) {
      const v = qemuArm(runc, ['--version']);
      expect(v.status).toBe(0);
      expect(v.stdout).toMatch(/^runc version 1\.2\.1\n/);
      expect(v.stdout).toMatch(/^libseccomp: 2\.5\.4$/m);
    }
    for (const tini of [join(bpm.bpm, 'bin', 'tini'), join(bpm.tini, 'bin', 'tini')]) {
      const v = qemuArm(tini, ['--version']);
      expect(v.status).toBe(0);
      expect(v.stdout).toMatch(/^tini version 0\.18\.0\b/);
    }
  });

  it('bosh-dns: `bosh-dns -h` prints its usage (its --config flag among the flags)', () => {
    const h = qemuArm(join(pkgs['bosh-dns']!['bosh-dns'], 'bin', 'bosh-dns'), ['-h']);
    const out = h.stdout + h.stderr;
    expect(out).toMatch(/^Usage of .*bosh-dns:\n/);
    expect(out).toMatch(/^\s+-config string\n\s+path to config file$/m);
  });

  it('loggregator-agent: with a minimal configuration it starts and serves its v2 gRPC ingress (no panic, keeps running)', async () => {
    const certs = makeCerts(join(work, 'certs'));
    const [grpcPort, metricsPort, udpPort, routerPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env = agentEnv({ grpcPort, metricsPort, udpPort, routerAddr: `127.0.0.1:${routerPort}`, ...certs });
    const agent = startProcess('qemu-arm-static', [join(pkgs['loggregator-agent']!.loggregator_agent, 'loggregator-agent')], env);
    try {
      const listening = await waitFor(() => tcpOpen(grpcPort), agent);
      const output = agent.output();
      expect({ listening, exitCode: agent.exitCode(), output }).toEqual({ listening: true, exitCode: null, output: expect.stringContaining(`agent v2 API started on addr 127.0.0.1:${grpcPort}`) });
      expect(output).not.toMatch(/panic|Unable to parse config|Could not use GRPC creds/);
    } finally {
      await agent.stop();
    }
  }, 300_000);

  it('compiled.json of bpm lists its two substitutions (bpm-runc, tini): what upstream uses, what ARM uses, why', () => {
    const subs = compiledJson.bpm!.substitutions as Array<Record<string, string>>;
    expect(subs.map((s) => s.package).sort()).toEqual(['bpm-runc', 'tini']);
    for (const s of subs) {
      expect(s.upstream).toEqual(expect.any(String));
      expect(s.arm).toEqual(expect.any(String));
      expect(s.why).toEqual(expect.any(String));
    }
    expect(subs.find((s) => s.package === 'bpm-runc')!.arm).toMatch(/runc 1\.2\.1/);
    expect(subs.find((s) => s.package === 'tini')!.arm).toMatch(/tini 0\.18\.0/);
    expect(compiledJson['loggregator-agent']!.substitutions ?? []).toEqual([]);
    expect(compiledJson['bosh-dns']!.substitutions ?? []).toEqual([]);
  });

  it.each(['loggregator-agent', 'bosh-dns'] as const)('%s keeps upstream\'s version and its packages are upstream\'s, fingerprint for fingerprint', (r) => {
    expect(releaseJson[r]!.version).toBe(r === 'bosh-dns' ? '1.39.0' : '8.3.0');
    expect(releaseJson[r]!.upstreamFingerprints).toEqual({ unchangedPackagesMatch: true, unreleased: [] });
  });

  describe('bad input: a tampered pinned tarball stops the create step, naming the file and both digests, writing nothing', () => {
    it.each([
      ['the bpm source tarball', 'bpm-release-v1.4.3-src.tgz'],
      ['the runc blob source (bpm-runc)', 'runc-v1.2.1-src.tgz'],
    ])('%s (%s)', (_what, file) => {
      const pinned = sha256(join(UPSTREAM_FIXTURES, file));
      const { dir, tampered } = tamperedUpstream(join(work, `tampered-${file}`), file);
      const actual = sha256(tampered);
      expect(actual).not.toBe(pinned);
      const out = join(work, `tampered-${file}`, 'out', 'bpm');
      const res = runPlanStep(plan, createStepId('bpm'), (c) => withArg(withArg(c, 'upstream-dir', dir), 'out', out));
      expect(res.status).not.toBe(0);
      expect(res.output).toContain(tampered);
      expect(res.output).toContain(actual);
      expect(res.output).toContain(pinned);
      expect(existsSync(out)).toBe(false);
      // No stage dir left beside it either.
      expect(existsSync(dirname(out)) ? readdirSync(dirname(out)) : []).toEqual([]);
    }, 300_000);
  });
});
