import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { DEFAULT_SOURCE_DATE_EPOCH } from '../../constructs/rootfs/rootfs-image';
import { FIXTURES_UPSTREAM, packageList, PROJECT_ROOT, rootfsLab, rootfsLock, rpifsStack } from '../fixtures/rootfs/lab';
import { synthRootfs, writeRootfsStack } from '../fixtures/rootfs/synth';
import { outcome, run, type RunResult } from '../support/run';
import { listTar } from '../support/tar-list';

// The real toolchain: Docker Engine (classic builder), qemu-arm binfmt, mmdebstrap, bosh. The base
// tarball is cached under build/cache/rootfs-base/ and Docker keeps its layer cache, so only the first
// run on a machine pays for mmdebstrap; the reproducibility case always rebuilds every layer.
// STACK_ELEVATOR_ROOTFS_FULL=1 builds cflinuxfs4's full list (ported to bookworm) instead of the CI list.
jest.setTimeout(20 * 60_000);

const FULL = process.env.STACK_ELEVATOR_ROOTFS_FULL === '1';
const E2E_DIR = join(PROJECT_ROOT, 'build', 'test-rootfs-e2e');
const stackDirOf = (name: string): string => join(E2E_DIR, name, 'stacks', 'lab');
const timings: Record<string, number> = {};

const stack = rpifsStack(
  FULL
    ? {
        packages: packageList('packages/cflinuxfs4-bookworm.txt'),
        packagesSource: 'packages/cflinuxfs4-bookworm.txt',
        locales: readFileSync(join(FIXTURES_UPSTREAM, 'cflinuxfs4-1.323.0', 'locales.txt'), 'utf8').split('\n').filter(Boolean),
      }
    : {},
);

function prepare(name: string, packages: readonly string[] = stack.packages): { dir: string; steps: Record<'build' | 'export' | 'release', PlannedStep> } {
  const dir = stackDirOf(name);
  mkdirSync(dir, { recursive: true });
  const s = synthRootfs(rootfsLab([{ ...stack, packages: [...packages].sort() }]), rootfsLock(), dir);
  writeRootfsStack(s, dir);
  const find = (suffix: string): PlannedStep => s.plan.find((p) => p.id.endsWith(suffix)) as PlannedStep;
  return { dir, steps: { build: find('-build'), export: find('-export'), release: find('-create') } };
}

/**
 * Runs a planned step as Terraform's local-exec would (same command, cwd and environment), forced: these
 * tests time and inspect the work itself, so an output an earlier suite published must not be reused.
 */
function runStep(step: PlannedStep, dir: string, extra = ''): RunResult & { seconds: number } {
  const started = Date.now();
  const r = run('sh', ['-c', `${step.command}${extra}`], { cwd: dir, env: { STACK_ELEVATOR_STEP: step.id, STACK_ELEVATOR_TRIGGER: step.trigger, STACK_ELEVATOR_FORCE: '1' }, timeoutMs: 20 * 60_000 });
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

function mustRun(step: PlannedStep, dir: string, extra = ''): RunResult & { seconds: number } {
  const r = runStep(step, dir, extra);
  if (r.status !== 0) throw new Error(`${step.id} failed (${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r;
}

function fileFromTgz(tgz: string, path: string): Buffer {
  const r = spawnSync('tar', ['-xzOf', tgz, path], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tar -xzOf ${tgz} ${path}: ${r.stderr}`);
  return r.stdout;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const imageExists = (tag: string): boolean => run('docker', ['image', 'inspect', tag]).status === 0;

describe(`rootfs on the real Docker Engine: ${stack.arch}, ${stack.packages.length} packages${FULL ? ' (full cflinuxfs4 list)' : ''}`, () => {
  const main = prepare('main');
  const tarball = (out: string): string => join(PROJECT_ROOT, out, 'rootfs.tgz');
  const extraTags: string[] = [];

  afterAll(() => {
    for (const t of extraTags) run('docker', ['image', 'rm', '-f', t]);
    process.stdout.write(`rootfs e2e timings (s): ${JSON.stringify(timings)}\n`);
  });

  it('a missing package fails the build step naming the package, leaving no image and no output', () => {
    const bad = prepare('missing-package', [...stack.packages, 'stack-elevator-no-such-package']);
    rmSync(join(PROJECT_ROOT, bad.steps.build.out), { recursive: true, force: true });
    const r = runStep(bad.steps.build, bad.dir);
    timings.failingBuild = r.seconds;
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/build-rootfs \(plan step [^)]*-build\) failed: Dockerfile step \d+\/\d+ \(RUN sh \/tmp\/stack-elevator\/install-packages\.sh [^)]*\) failed: package stack-elevator-no-such-package not found in the base suite/);
    expect(imageExists(bad.steps.build.args.tag)).toBe(false);
    expect(existsSync(join(PROJECT_ROOT, bad.steps.build.out))).toBe(false);
    // Nothing half-written beside it either, and the export that would follow has nothing to work on.
    const parent = join(PROJECT_ROOT, bad.steps.build.out, '..');
    expect(existsSync(parent) ? readdirSync(parent).filter((f) => f.includes('.tmp-')) : []).toEqual([]);
    const exp = runStep(bad.steps.export, bad.dir);
    expect(exp.status).not.toBe(0);
    expect(exp.stderr).toMatch(/image stack-elevator\/rpifs:[0-9a-f]+ not found \(run the build-rootfs step first\)/);
    expect(existsSync(tarball(bad.steps.export.out))).toBe(false);
  });

  it('builds an armhf image from an mmdebstrap base and exports a normalized tarball', () => {
    const build = mustRun(main.steps.build, main.dir);
    timings.build = build.seconds;
    expect(build.stdout).toMatch(/Step \d+\/\d+ : RUN sh \/tmp\/stack-elevator\/install-packages\.sh/);
    const inspect = run('docker', ['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}/{{.Variant}}', main.steps.build.args.tag]);
    expect(inspect.stdout.trim()).toBe('linux/arm/v7');

    const exp = mustRun(main.steps.export, main.dir);
    timings.export = exp.seconds;
    expect(exp.stdout).toMatch(/normalize: \d+\/\d+ entries/);
    const tgz = tarball(main.steps.export.out);
    expect(readFileSync(`${tgz}.sha256`, 'utf8')).toBe(`${sha256(tgz)}  rootfs.tgz\n`);

    const rows = listTar(tgz);
    const byPath = new Map(rows.map((r) => [r.path, r]));
    // /bin/bash: /bin is usr/bin on a merged-/usr bookworm; the binary is 32-bit ARM (e_machine 40).
    expect(byPath.get('bin')).toMatchObject({ type: 'SymbolicLink', linkpath: 'usr/bin' });
    const bash = fileFromTgz(tgz, 'usr/bin/bash');
    expect(bash.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(bash[4]).toBe(1); // ELFCLASS32
    expect(bash.readUInt16LE(18)).toBe(40); // EM_ARM

    expect(fileFromTgz(tgz, 'etc/passwd').toString()).toMatch(/^vcap:x:2000:2000::\/home\/vcap:\/bin\/bash$/m);
    expect(fileFromTgz(tgz, 'etc/group').toString()).toMatch(/^vcap:x:2000:$/m);
    expect(byPath.get('home/vcap/app/')).toMatchObject({ uid: 2000, gid: 2000 });
    expect(byPath.get('app')).toMatchObject({ type: 'SymbolicLink', linkpath: '/home/vcap/app' });
    expect(fileFromTgz(tgz, 'usr/lib/locale/locale-archive').length).toBeGreaterThan(0);

    const leftovers = rows.filter((r) =>
      /^var\/log\/apt\/.|^var\/log\/(dpkg|alternatives|bootstrap)\.log$|^var\/cache\/apt\/.*\.(bin|deb)$|-old$|^etc\/(passwd|group|shadow|gshadow)-$|^\.dockerenv$/.test(r.path) ||
      (r.path.startsWith('var/lib/apt/lists/') && r.type !== 'Directory' && r.path !== 'var/lib/apt/lists/lock'),
    );
    expect(leftovers.map((r) => r.path)).toEqual([]);

    const names = rows.map((r) => r.path);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(rows.filter((r) => r.mtime > DEFAULT_SOURCE_DATE_EPOCH)).toEqual([]);
    expect(rows.filter((r) => r.mtime === DEFAULT_SOURCE_DATE_EPOCH).length).toBeGreaterThan(rows.length / 2);
    expect(rows.filter((r) => r.uname !== '')).toEqual([]);

    const receipt = readFileSync(join(PROJECT_ROOT, main.steps.export.out, 'receipt.txt'), 'utf8');
    for (const p of stack.packages) expect(receipt).toMatch(new RegExp(`^${p.replace(/[+.]/g, '\\$&')} \\S+ (armhf|all)$`, 'm'));
  });

  it('rebuilding gives the same tarball sha256: with a warm cache, and with every layer rebuilt', () => {
    const first = sha256(tarball(main.steps.export.out));

    const warm = mustRun(main.steps.build, main.dir);
    timings.warmBuild = warm.seconds;
    expect(warm.stdout).toMatch(/Using cache/);
    const warmExport = mustRun(main.steps.export, main.dir);
    timings.warmExport = warmExport.seconds;
    expect(sha256(tarball(main.steps.export.out))).toBe(first);

    // Same recipe, other tag and output, --no-cache: apt, dpkg, useradd and locale-gen all run again.
    const tag = `${main.steps.build.args.tag}-nocache`;
    extraTags.push(tag);
    const outB = join(E2E_DIR, 'nocache-build');
    const outE = join(E2E_DIR, 'nocache-export');
    const cold = mustRun(
      { ...main.steps.build, command: main.steps.build.command.replace(/--out=\S+/, `--out=${outB}`).replace(/--tag=\S+/, `--tag=${tag}`) },
      main.dir,
      ' --no-cache',
    );
    timings.noCacheBuild = cold.seconds;
    expect(cold.stdout).not.toMatch(/Using cache/);
    const id = (t: string): string => run('docker', ['image', 'inspect', '--format', '{{.Id}}', t]).stdout.trim();
    expect(id(tag)).not.toBe(id(main.steps.build.args.tag));
    mustRun({ ...main.steps.export, command: main.steps.export.command.replace(/--out=\S+/, `--out=${outE}`).replace(/--image=\S+/, `--image=${tag}`) }, main.dir);
    expect(sha256(join(outE, 'rootfs.tgz'))).toBe(first);
  });

  it('bosh create-release --force --tarball makes a release listing the package and the setup job', () => {
    const r = mustRun(main.steps.release, main.dir);
    timings.release = r.seconds;
    const out = join(PROJECT_ROOT, main.steps.release.out);
    const rel = JSON.parse(readFileSync(join(out, 'release.json'), 'utf8'));
    const version = main.steps.release.args.version;
    expect(rel).toMatchObject({ name: 'rpifs', version, tarball: `rpifs-${version}.tgz` });
    // The package carries exactly the exported rootfs as its blob.
    const pkg = spawnSync('sh', ['-c', `tar -xzOf "$1" packages/rpifs.tgz | tar -xzO ./rootfs/rpifs-${version}.tar.gz | sha256sum`, 'sh', join(out, rel.tarball)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(pkg.stdout.split(' ')[0]).toBe(sha256(tarball(main.steps.export.out)));
    const inspect = run('bosh', ['inspect-local-release', join(out, rel.tarball), '--json']);
    expect(outcome(inspect)).toEqual({ status: 0, tail: '' });
    const tables = (JSON.parse(inspect.stdout) as { Tables: Array<{ Rows: Array<Record<string, string>> }> }).Tables;
    const cells = tables.flatMap((t) => t.Rows.flatMap((row) => Object.values(row)));
    expect(cells).toContain('rpifs');
    expect(cells).toContain(main.steps.release.args.version);
    expect(cells.some((c) => /^rpifs-rootfs-setup\/[0-9a-f]{40,64}$/.test(c))).toBe(true);
    expect(cells.some((c) => /^rpifs\/[0-9a-f]{40,64}$/.test(c))).toBe(true);
  });

  it("the job's pre-start installs rootfs.tar with the trusted_certs CA in the rootfs trust store", () => {
    if (process.getuid?.() !== 0) throw new Error('this case chroots into the rootfs: run the e2e suite as root (as CI does)');
    const vcap = mkdtempSync(join(E2E_DIR, 'vcap-'));
    try {
      const pkg = join(vcap, 'packages', 'rpifs');
      const certs = join(vcap, 'jobs', 'rpifs-rootfs-setup', 'config', 'certs');
      mkdirSync(pkg, { recursive: true });
      mkdirSync(certs, { recursive: true });
      copyFileSync(tarball(main.steps.export.out), join(pkg, 'rpifs.tar.gz'));
      const ca = upstreamSmokeTestCa();
      writeFileSync(join(certs, 'trusted_ca.crt'), `${ca}\n`);
      const preStart = join(main.dir, 'artifacts', 'rootfs', 'rpifs', 'release', 'jobs', 'rpifs-rootfs-setup', 'templates', 'pre-start.sh');
      const r = run('bash', [preStart], { env: { VCAP_ROOT: vcap } });
      // openssl rehash warns about the bundle file on every run; anything worse is a failure.
      expect(r.stderr).not.toMatch(/error|fail|cannot|no such/i);
      expect(outcome(r)).toEqual({ status: 0, tail: '' });
      expect(r.stdout).toMatch(/adding 1 trusted CA certificate\(s\)/);
      const tar = join(pkg, 'rootfs.tar');
      const bundle = spawnSync('tar', ['-xOf', tar, './etc/ssl/certs/ca-certificates.crt'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(outcome(bundle)).toEqual({ status: 0, tail: '' });
      const body = ca.split('\n').filter((l) => !l.startsWith('-----')).join('\n');
      expect(bundle.stdout).toContain(body);
      const vcapHome = spawnSync('tar', ['-tvf', tar, '--numeric-owner', './home/vcap/app/'], { encoding: 'utf8' });
      expect(vcapHome.stdout).toMatch(/ 2000\/2000 /);
      expect(existsSync(join(pkg, 'rootfs.work'))).toBe(false);
    } finally {
      rmSync(vcap, { recursive: true, force: true });
    }
  });
});

/** The CA cflinuxfs4-release's own smoke-test manifest passes as trusted_certs (upstream fixture). */
function upstreamSmokeTestCa(): string {
  const manifest = readFileSync(join(FIXTURES_UPSTREAM, 'cflinuxfs4-release-v1.323.0', 'manifest.yml'), 'utf8');
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(manifest);
  if (!m) throw new Error('no certificate in the cflinuxfs4-release fixture manifest');
  return m[0]
    .split('\n')
    .map((l) => l.trim())
    .join('\n');
}
