import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { CrossCompileStep } from '../../constructs/golang/cross-compile-step';
import { GoCrossCompiledPackage } from '../../constructs/golang/go-cross-compiled-package';
import type { GoTarget } from '../../lab/model';
import { cleanupCrossCompile, fileOf, qemu, runStep, sha256, synthToDisk, untar, type StepRun } from '../support/cross-compile';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { labLock, lifecycleFor } from '../support/lifecycle-lab';
import { runMjs } from '../support/mjs';

jest.setTimeout(1_800_000);
afterAll(cleanupCrossCompile);

const ARMHF = [{ arch: 'armhf' as const, goarm: 7 as const }];
const ARM64 = [{ arch: 'arm64' as const, goarm: undefined }];
const BINARIES = ['builder', 'diego-sshd', 'healthcheck', 'launcher', 'shell'];
const ELF = {
  armhf: /^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked/,
  arm64: /^ELF 64-bit LSB executable, ARM aarch64, .*statically linked/,
};
const DIEGO = labLock.upstream['diego-release'];
/** A proxy that cannot answer: a build that asked the network for a module would fail. */
const NO_NETWORK = { GOPROXY: 'https://proxy.invalid', GOFLAGS: '-mod=mod', GONOSUMDB: '*', GOSUMDB: 'off', GIT_ALLOW_PROTOCOL: 'file' };

/** Runs the three lifecycle steps of a lab in plan order; returns the bundle run and its unpacked dir. */
function lifecycleBuild(arch: 'armhf' | 'arm64'): { runs: Record<string, StepRun>; dir: string } {
  const s = lifecycleFor(arch === 'armhf' ? ARMHF : ARM64, arch);
  const runs: Record<string, StepRun> = {};
  for (const step of ['sshd', 'healthcheck', 'bundle']) {
    runs[step] = runStep(s, step, { env: NO_NETWORK });
    process.stdout.write(`${arch} ${step}: ${runs[step].seconds.toFixed(1)}s\n`);
    expect(runs[step].stderr).not.toContain('FAILED');
    expect(runs[step].status).toBe(0);
  }
  return { runs, dir: untar(join(runs.bundle.out, 'packages', `buildpack_app_lifecycle_${arch}`, 'buildpack_app_lifecycle.tgz')) };
}

/** `dep <path> <version>` lines of `go version -m`: what the binary was really linked from. */
function linkedDeps(bin: string): Record<string, string> {
  const out = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' }).stdout;
  return Object.fromEntries([...out.matchAll(/^\s+dep\s+(\S+)\s+(\S+)/gm)].map((m) => [m[1], m[2]]));
}

/** `# <module> <version>` lines of the tree's vendor/modules.txt (the step keeps a copy). */
function vendored(run: StepRun): Record<string, string> {
  const text = readFileSync(join(run.out, 'modules.txt'), 'utf8');
  // `# <path> <version>[ => <replacement>]`; a `# <path> => ...` line only restates a replace directive.
  return Object.fromEntries([...text.matchAll(/^# (\S+) (v\S+)/gm)].map((m) => [m[1], m[2]]));
}

describe('ARM lifecycle from the diego-release v2.105.0 source tarball (the lab\'s own steps, GOPROXY=off)', () => {
  let armhf: ReturnType<typeof lifecycleBuild>;
  beforeAll(() => {
    armhf = lifecycleBuild('armhf');
  });

  it('builds buildpack_app_lifecycle.tgz with exactly the five static ARM EABI5 executables, laid out flat', () => {
    expect(readdirSync(armhf.dir).sort()).toEqual(BINARIES);
    for (const b of BINARIES) expect(fileOf(join(armhf.dir, b))).toMatch(ELF.armhf);
    const listing = spawnSync('tar', ['--numeric-owner', '-tvzf', join(armhf.runs.bundle.out, 'packages', 'buildpack_app_lifecycle_armhf', 'buildpack_app_lifecycle.tgz')], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listing.map((l) => l.replace(/\s+\d+\s/, ' SIZE ').replace(/ \S+$/, ''))).toEqual(BINARIES.map(() => '-rwxr-xr-x 0/0 SIZE 1970-01-01 00:00'));
  });

  it('records the tree it came from and the Go it was built with', () => {
    const m = JSON.parse(readFileSync(join(armhf.runs.bundle.out, 'manifest.json'), 'utf8'));
    expect(m.upstream).toEqual({ release: 'diego-release', version: 'v2.105.0', sha: DIEGO.sha, tarballSha256: DIEGO.tarballSha256 });
    expect(m.submodules).toEqual({ buildpackapplifecycle: DIEGO.submodules!.buildpackapplifecycle });
    const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
    expect(m.go).toBe(go);
    expect(m.goMatchesLock).toBe(go === DIEGO.go);
    expect(armhf.runs.sshd.stdout).toContain(`diego-release v2.105.0 from tarball ${join(UPSTREAM_FIXTURES, 'diego-release-v2.105.0-src.tgz')}`);
  });

  it('runs the real programs under qemu-arm: builder, launcher, healthcheck, diego-sshd', () => {
    expect(qemu('arm', join(armhf.dir, 'builder'), ['-h'])).toContain('-buildpackOrder');
    expect(qemu('arm', join(armhf.dir, 'launcher'), [])).toContain('<app-directory> <start-command> <metadata>');
    expect(qemu('arm', join(armhf.dir, 'healthcheck'), ['-h'])).toContain('-liveness-interval');
    const sshd = qemu('arm', join(armhf.dir, 'diego-sshd'), ['-h']);
    for (const flag of ['-allowUnauthenticatedClients', '-hostKey', '-authorizedKey', '-inheritDaemonEnv']) expect(sshd).toContain(flag);
    expect(qemu('arm', join(armhf.dir, 'diego-sshd'), [])).toContain('"error":"Public user key is required"');
  });

  it('links every dependency at the version the tree\'s vendor/modules.txt gives it', () => {
    const vendor = vendored(armhf.runs.bundle);
    expect(Object.keys(vendor).length).toBeGreaterThan(50);
    const linked = Object.fromEntries(BINARIES.map((b) => [b, linkedDeps(join(armhf.dir, b))]));
    // diego-sshd links the most (grpc, x/crypto, ...): the comparison below is not vacuous.
    expect(Object.keys(linked['diego-sshd']).length).toBeGreaterThan(20);
    for (const [b, deps] of Object.entries(linked)) for (const [m, v] of Object.entries(deps)) expect([b, m, v]).toEqual([b, m, vendor[m]]);
  });

  it('gives a byte-identical bundle on a second build', () => {
    const again = runStep(lifecycleFor(ARMHF, 'armhf'), 'bundle', { fresh: true, env: NO_NETWORK });
    expect(again.status).toBe(0);
    const tgz = (r: StepRun) => join(r.out, 'packages', 'buildpack_app_lifecycle_armhf', 'buildpack_app_lifecycle.tgz');
    expect(sha256(tgz(again))).toBe(sha256(tgz(armhf.runs.bundle)));
  });

  it('builds the arm64 bundle for arm64 cells, and its binaries run under qemu-aarch64', () => {
    const { dir } = lifecycleBuild('arm64');
    for (const b of BINARIES) expect(fileOf(join(dir, b))).toMatch(ELF.arm64);
    expect(qemu('aarch64', join(dir, 'healthcheck'), ['-h'])).toContain('-liveness-interval');
    expect(qemu('aarch64', join(dir, 'launcher'), [])).toContain('<app-directory> <start-command> <metadata>');
  });
});

/** rep and route-emitter, as the cell variant's packages build them, from the same tree. */
describe('the cells\' rep and route-emitter from the same tarball', () => {
  const CELL_MODULES = {
    rep: ['bbs', 'ecrhelper', 'executor', 'locket', 'operationq', 'rep', 'routing-info', 'volman', 'workpool'],
    'route-emitter': ['bbs', 'locket', 'route-emitter', 'routing-api', 'routing-info', 'workpool'],
  };
  function cellBuild(arch: 'armhf' | 'arm64'): StepRun {
    const target: GoTarget = arch === 'armhf' ? { goos: 'linux', goarch: 'arm', goarm: 7 } : { goos: 'linux', goarch: 'arm64' };
    const s = synthToDisk((stack) => {
      const scope = new Construct(stack, 'Cell');
      const pkgs = (['rep', 'route-emitter'] as const).map(
        (cmd) =>
          new GoCrossCompiledPackage(scope, cmd, {
            name: `${cmd.replace('-', '_')}_${arch}`,
            target,
            artifactDir: `bosh-packages/cell-${arch}`,
            sourceModules: CELL_MODULES[cmd].map((m) => `code.cloudfoundry.org/${m}`),
            binaries: [{ name: cmd, importPath: `code.cloudfoundry.org/${cmd}/cmd/${cmd}` }],
          }),
      );
      const step = new CrossCompileStep(scope, 'Compile', {
        packages: pkgs,
        upstream: { release: 'diego-release', repo: 'https://github.com/cloudfoundry/diego-release', ...DIEGO },
        upstreamDir: '../shared/fixtures/upstream',
        planFile: `cross-compile/cell-${arch}.plan.json`,
      });
      return { cell: step.step };
    });
    const r = runStep(s, 'cell', { env: NO_NETWORK });
    process.stdout.write(`rep + route-emitter ${arch}: ${r.seconds.toFixed(1)}s\n`);
    expect(r.stderr).not.toContain('FAILED');
    expect(r.status).toBe(0);
    return r;
  }

  it.each(['armhf', 'arm64'] as const)('builds static %s rep and route-emitter that run as the real programs under qemu', (arch) => {
    const r = cellBuild(arch);
    const rep = join(r.out, 'packages', `rep_${arch}`, 'rep');
    const emitter = join(r.out, 'packages', `route_emitter_${arch}`, 'route-emitter');
    for (const b of [rep, emitter]) expect(fileOf(b)).toMatch(ELF[arch]);
    const emu = arch === 'armhf' ? 'arm' : 'aarch64';
    expect(qemu(emu, rep, ['-h'])).toContain('-config');
    expect(qemu(emu, rep, ['-config=/nonexistent.json'])).toContain('/nonexistent.json');
    const vendor = vendored(r);
    for (const b of [rep, emitter]) {
      const deps = linkedDeps(b);
      expect(Object.keys(deps).length).toBeGreaterThan(20);
      for (const [m, v] of Object.entries(deps)) expect([m, v]).toEqual([m, vendor[m]]);
    }
  });
});

describe('a build with another Go than the lock records', () => {
  it('still builds, and says so in its output and manifest', () => {
    const s = lifecycleFor(ARMHF, 'armhf', { editLock: (l) => ({ ...l, upstream: { ...l.upstream, 'diego-release': { ...l.upstream['diego-release'], go: 'go1.0.0' } } }) });
    const r = runStep(s, 'healthcheck', { env: NO_NETWORK });
    expect(r.status).toBe(0);
    const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim();
    expect(r.stdout).toContain(`WARNING: built with ${go}, but the lock records go1.0.0: binaries will differ from the recorded ones`);
    expect(JSON.parse(readFileSync(join(r.out, 'manifest.json'), 'utf8'))).toMatchObject({ go, goLocked: 'go1.0.0', goMatchesLock: false });
  });
});

describe('bad source trees', () => {
  const scratch = (): string => {
    mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
    return mkdtempSync(join(PROJECT_ROOT, 'build', 'test-upstream-'));
  };
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('fails a step whose tree lacks a submodule it needs, naming the path and the commit the tag pins, and writes nothing', () => {
    const up = scratch();
    dirs.push(up);
    // A source tree (not a tarball) in which healthcheck's submodule was never checked out.
    const tree = join(up, 'diego-release-v2.105.0');
    mkdirSync(join(tree, 'src', 'code.cloudfoundry.org', 'healthcheck'), { recursive: true });
    for (const f of ['go.mod', 'go.sum']) cpSync(join(extractedTree(), 'src', 'code.cloudfoundry.org', f), join(tree, 'src', 'code.cloudfoundry.org', f));
    const r = runStep(lifecycleFor(ARMHF, 'armhf', { upstreamDir: up }), 'healthcheck', { env: NO_NETWORK });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('package healthcheck_armhf needs submodule src/code.cloudfoundry.org/healthcheck, which is empty');
    expect(r.stderr).toContain(`pins it at commit ${DIEGO.submodules!.healthcheck}`);
    expect(existsSync(r.out)).toBe(false);
  });

  it('refuses a tarball whose sha256 differs from the lock before extracting anything', () => {
    const up = scratch();
    dirs.push(up);
    writeFileSync(join(up, 'payload'), 'not diego\n');
    spawnSync('tar', ['-czf', join(up, 'diego-release-v2.105.0-src.tgz'), '-C', up, 'payload']);
    const cache = join(PROJECT_ROOT, 'build', 'upstream');
    const listCache = () => (existsSync(cache) ? readdirSync(cache).sort() : []);
    const before = listCache();
    const r = runStep(lifecycleFor(ARMHF, 'armhf', { upstreamDir: up }), 'healthcheck', { env: NO_NETWORK });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/diego-release-v2\.105\.0-src\.tgz: sha256 [0-9a-f]{64} differs from the lock's 141e7f11f315577046de6fb7a3f9bbd08d7726439fa465b27e9533b47ef676fd .*refused before extracting anything/);
    expect(listCache()).toEqual(before);
    expect(existsSync(r.out)).toBe(false);
  });

  it('with no tree anywhere, synthesizes, and the step says where it looked', () => {
    const up = scratch();
    dirs.push(up);
    const r = runStep(lifecycleFor(ARMHF, 'armhf', { upstreamDir: up }), 'healthcheck', { env: NO_NETWORK });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no diego-release-v2.105.0 source tree: looked for ${join(up, 'diego-release-v2.105.0-src.tgz')}, ${join(up, 'diego-release-v2.105.0')}/src/code.cloudfoundry.org/go.mod, then`);
    expect(r.stderr).toContain('(fix: set STACK_ELEVATOR_UPSTREAM');
    expect(existsSync(r.out)).toBe(false);
  });
});

/** The extracted fixture tarball the steps share (build/upstream/diego-release-v2.105.0-src-<sha>), extracted here if no step did yet. */
function extractedTree(): string {
  return runMjs<string>(
    "const s = await lib('upstream/upstream-source'); out((await s.resolveSourceTree({ root: input.root, upstreamDir: input.up, pin: input.pin })).dir);",
    { root: PROJECT_ROOT, up: UPSTREAM_FIXTURES, pin: { release: 'diego-release', repo: '', ...DIEGO } },
  );
}
