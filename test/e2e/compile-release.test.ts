import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { renderRootfsReleaseFiles, rootfsBlobPath } from '../../constructs/rootfs/release-files';
import { bosh } from '../support/bosh-cli';
import { cellSourceRelease, CellSourceRelease } from '../support/cell-source-release';
import { fileOf, qemu, sha256 } from '../support/cross-compile';
import { scratchDir } from '../support/diego-fixture';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';
import { outcome, run } from '../support/run';

/** The default lab's Pi stemcell (lab.yaml stemcells[alias=rpi]). */
const STEMCELL = 'debian-bookworm-armhf/0.1.0';
const EPOCH = '1747699200';

interface Compiled {
  status: number | null;
  output: string;
  out: string;
  tarball?: string;
}

/** Runs the compile-release step script as a plan step would (from the project root, --root given). */
function compile(source: string, out: string, extra: string[] = ['--stemcell=' + STEMCELL, '--arch=armhf', '--goarm=7']): Compiled {
  const r = run('node', [join(PROJECT_ROOT, 'pipelines', 'compile-release.mjs'), `--root=${PROJECT_ROOT}`, `--source=${source}`, `--out=${out}`, `--epoch=${EPOCH}`, ...extra]);
  const tgz = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.tgz')) : [];
  return { status: r.status, output: r.stdout + r.stderr, out, tarball: tgz.length === 1 ? join(out, tgz[0]) : undefined };
}

function untarTo(tgz: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const r = run('tar', ['-xzf', tgz, '-C', dir]);
  if (r.status !== 0) throw new Error(r.stderr);
  return dir;
}

interface Inspected {
  jobs: Array<{ name: string; packages: string[] }>;
  packages: Array<{ name: string; os: string; osVersion: string; dependencies: string }>;
}

function inspect(tgz: string): Inspected {
  const r = bosh(['inspect-local-release', '--json', tgz]);
  if (r.status !== 0) throw new Error(`bosh inspect-local-release failed: ${r.stdout}${r.stderr}`);
  const tables = JSON.parse(r.stdout).Tables as Array<{ Content: string; Rows: Array<Record<string, string>> }>;
  const rows = (c: string) => tables.find((t) => t.Content === c)?.Rows ?? [];
  return {
    jobs: rows('jobs').map((j) => ({ name: j.job.split('/')[0], packages: j.packages.split(/\s+/).filter(Boolean).sort() })),
    packages: rows('packages').map((p) => ({ name: p.package.split('/')[0], os: p.os, osVersion: p.os_version, dependencies: p.dependencies })),
  };
}

const shaProblems = (dir: string): string[] => runMjs<string[]>("out((await lib('release/release-mf')).releaseShaProblems(input))", dir);

/** A small hand-made source release: Go package `hello` (on the Go toolchain package) and `greeting` (shell, on hello). */
function tinySource(work: string, { failing = false } = {}): string {
  const rel = join(work, failing ? 'failing' : 'tiny');
  const files: Record<string, string> = {
    'config/final.yml': '---\nfinal_name: tiny\n',
    'config/blobs.yml': '--- {}\n',
    'jobs/hello/spec': '---\nname: hello\ntemplates:\n  ctl.erb: bin/ctl\npackages: [hello, greeting]\nproperties: {}\n',
    'jobs/hello/monit': '',
    'jobs/hello/templates/ctl.erb': 'exec /var/vcap/packages/hello/bin/hello\n',
    'packages/golang-1.23-linux/spec': '---\nname: golang-1.23-linux\nfiles: [golang-stand-in/README]\n',
    'packages/golang-1.23-linux/packaging': 'exit 1\n',
    'src/golang-stand-in/README': 'stand-in\n',
    'packages/hello/spec': '---\nname: hello\ndependencies: [golang-1.23-linux]\nfiles: [hello/**/*]\n',
    'packages/hello/packaging': 'set -e\nsource "${BOSH_PACKAGES_DIR:-/var/vcap/packages}/golang-1.23-linux/bosh/compile.env"\ncd hello\nmkdir -p "${BOSH_INSTALL_TARGET}/bin"\ngo build -o "${BOSH_INSTALL_TARGET}/bin/hello" .\n',
    'src/hello/go.mod': 'module example.invalid/hello\n\ngo 1.22\n',
    'src/hello/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from the stemcell arch") }\n',
    'packages/greeting/spec': '---\nname: greeting\ndependencies: [hello]\nfiles: [greeting.txt]\n',
    'packages/greeting/packaging': failing
      ? 'set -e\necho "compiling greeting against $BOSH_PACKAGES_DIR/hello"\necho "greeting.c:3: error: the compiler is sad" >&2\nexit 7\n'
      : 'set -e\ntest -x "$BOSH_PACKAGES_DIR/hello/bin/hello"\ncp greeting.txt "$BOSH_INSTALL_TARGET/"\n',
    'src/greeting.txt': 'hi\n',
  };
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(rel, p, '..'), { recursive: true });
    writeFileSync(join(rel, p), c);
  }
  const tgz = join(work, `${failing ? 'failing' : 'tiny'}-src.tgz`);
  const r = bosh(['create-release', '--force', `--tarball=${tgz}`, '--name=tiny', '--version=1.0.0', `--dir=${rel}`]);
  if (r.status !== 0) throw new Error(`bosh create-release: ${r.stdout}${r.stderr}`);
  return tgz;
}

describe('compile-release on a small release (real bosh, Go, qemu)', () => {
  let work: string;
  let source: string;
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });
  beforeAll(() => {
    work = scratchDir('compile-tiny');
    source = tinySource(work);
  }, 120_000);

  it.each([
    ['armhf', ['--arch=armhf', '--goarm=7'], 'ELF 32-bit LSB executable, ARM, EABI5', 'arm'],
    ['arm64', ['--arch=arm64'], 'ELF 64-bit LSB executable, ARM aarch64', 'aarch64'],
  ] as const)('compiles for a %s stemcell: runtime packages only, dependencies first, the Go toolchain emulated and not shipped', (arch, flags, elf, qemuArch) => {
    const stemcell = `debian-bookworm-${arch}/0.1.0`;
    const c = compile(source, join(work, `out-${arch}`), [`--stemcell=${stemcell}`, ...flags]);
    expect(c.output).not.toMatch(/failed/);
    expect(outcome(c)).toEqual({ status: 0, tail: '' });
    const inspected = inspect(c.tarball!);
    expect(inspected.packages.map((p) => [p.name, `${p.os}/${p.osVersion}`, p.dependencies])).toEqual([
      ['greeting', stemcell, 'hello'],
      ['hello', stemcell, ''],
    ]);
    const dir = untarTo(c.tarball!, join(work, `x-${arch}`));
    expect(readdirSync(join(dir, 'compiled_packages')).sort()).toEqual(['greeting.tgz', 'hello.tgz']);
    expect(existsSync(join(dir, 'packages'))).toBe(false);
    const hello = untarTo(join(dir, 'compiled_packages', 'hello.tgz'), join(work, `hello-${arch}`));
    expect(fileOf(join(hello, 'bin', 'hello'))).toContain(elf);
    expect(qemu(qemuArch, join(hello, 'bin', 'hello'), [])).toBe('hello from the stemcell arch\n');
  }, 300_000);

  it('fails on a failing packaging script naming the package and its last lines, and writes nothing', () => {
    const failing = tinySource(work, { failing: true });
    const out = join(work, 'out-failing');
    const c = compile(failing, out);
    expect(c.status).not.toBe(0);
    expect(c.output).toMatch(/package greeting: packaging script failed with exit code 7; last lines of its output:/);
    expect(c.output).toMatch(/greeting\.c:3: error: the compiler is sad\n\s+\+ exit 7/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 300_000);
  it('compiles the rootfs release (its real release files) for the Pi stemcell: the package holds the rootfs tarball', () => {
    const rel = join(work, 'rootfs-rel');
    for (const [p, f] of renderRootfsReleaseFiles({ stack: 'rpifs', jobName: 'rpifs-rootfs-setup', certsProperty: 'rpifs-rootfs.trusted_certs' })) {
      mkdirSync(join(rel, p, '..'), { recursive: true });
      writeFileSync(join(rel, p), f.content, { mode: f.mode });
    }
    const blob = join(rel, 'src', rootfsBlobPath('rpifs', '0.0.1'));
    mkdirSync(join(blob, '..'), { recursive: true });
    writeFileSync(blob, 'stand-in for the normalized rootfs tarball\n');
    const tgz = join(work, 'rootfs-src.tgz');
    expect(bosh(['create-release', '--force', `--tarball=${tgz}`, '--name=rpifs-rootfs', '--version=0.0.1', `--dir=${rel}`]).status).toBe(0);
    const c = compile(tgz, join(work, 'out-rootfs'));
    expect(outcome(c)).toEqual({ status: 0, tail: '' });
    const inspected = inspect(c.tarball!);
    expect(inspected.jobs).toEqual([{ name: 'rpifs-rootfs-setup', packages: ['rpifs'] }]);
    expect(inspected.packages.map((p) => `${p.name}@${p.os}/${p.osVersion}`)).toEqual([`rpifs@${STEMCELL}`]);
    const pkg = untarTo(join(untarTo(c.tarball!, join(work, 'x-rootfs')), 'compiled_packages', 'rpifs.tgz'), join(work, 'rpifs-pkg'));
    expect(readFileSync(join(pkg, 'rpifs.tar.gz'), 'utf8')).toBe('stand-in for the normalized rootfs tarball\n');
  }, 120_000);

  it('refuses a source release made from a spec-only fixture (placeholder sources), saying how to fix it', () => {
    const from = join(work, 'fixture-made');
    mkdirSync(from, { recursive: true });
    cpSync(source, join(from, 'tiny-1.0.0.tgz'));
    writeFileSync(join(from, 'release.json'), JSON.stringify({ name: 'tiny', version: '1.0.0', source: { kind: 'overlay', upstream: { tree: 'fixture' } } }));
    const c = compile(from, join(work, 'out-fixture'));
    expect(c.status).not.toBe(0);
    expect(c.output).toMatch(/made from a spec-only upstream fixture \(placeholder sources\), there is nothing to compile \(fix: point STACK_ELEVATOR_UPSTREAM/);
    expect(existsSync(c.out)).toBe(false);
  }, 120_000);
});

describe('compile-release of the cell Diego variant for the Pi stemcell (real sources, bosh, Go, qemu)', () => {
  let work: string;
  let src: CellSourceRelease;
  let first: Compiled;
  let second: Compiled;
  let dir: string;
  afterAll(() => {
    src?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  beforeAll(() => {
    work = scratchDir('compile-cell');
    src = cellSourceRelease('armhf');
    first = compile(src.dir, join(work, 'first'));
    second = compile(src.dir, join(work, 'second'));
    if (first.status !== 0) throw new Error(first.output.split('\n').slice(-30).join('\n'));
    dir = untarTo(first.tarball!, join(work, 'x'));
  }, 1_800_000);

  it('is a compiled release bosh reads: every package compiled for the lab stemcell, jobs included, the Go toolchain left out', () => {
    const inspected = inspect(first.tarball!);
    expect(inspected.jobs).toEqual([
      { name: 'rep', packages: ['certsplitter', 'healthcheck', 'pid_utils', 'rep'] },
      { name: 'route_emitter', packages: ['pid_utils', 'route_emitter'] },
    ]);
    expect(inspected.packages.map((p) => `${p.name}@${p.os}/${p.osVersion}`)).toEqual(['certsplitter', 'healthcheck', 'pid_utils', 'rep', 'route_emitter'].map((p) => `${p}@${STEMCELL}`));
    const sourceMf = load(run('tar', ['-xzOf', src.tarball, 'release.MF']).stdout) as { packages: Array<{ name: string; fingerprint: string }> };
    // Every source package but the compile-time Go toolchain, with its fingerprint kept.
    const fingerprints = (load(readFileSync(join(dir, 'release.MF'), 'utf8')) as { compiled_packages: Array<{ name: string; fingerprint: string; dependencies: string[] }> }).compiled_packages;
    expect(fingerprints.map((p) => [p.name, p.fingerprint])).toEqual(sourceMf.packages.filter((p) => p.name !== 'golang-1.23-linux').map((p) => [p.name, p.fingerprint]).sort());
    for (const p of fingerprints) expect(p.dependencies).not.toContain('golang-1.23-linux');
  });

  it("ships the rep job without proxy (the cells run containers.proxy.enabled: false)", () => {
    const job = untarTo(join(dir, 'jobs', 'rep.tgz'), join(work, 'rep-job'));
    const spec = load(readFileSync(join(job, 'job.MF'), 'utf8')) as { packages: string[] };
    expect(spec.packages).toEqual(['pid_utils', 'rep', 'healthcheck', 'certsplitter']);
  });

  it('passes the project sha1 check, which catches a corrupted compiled package', () => {
    expect(shaProblems(dir)).toEqual([]);
    const bad = join(work, 'corrupted');
    cpSync(dir, bad, { recursive: true });
    writeFileSync(join(bad, 'compiled_packages', 'rep.tgz'), Buffer.concat([readFileSync(join(bad, 'compiled_packages', 'rep.tgz')), Buffer.from('x')]));
    expect(shaProblems(bad)).toEqual([expect.stringMatching(/^compiled package rep: sha1 [0-9a-f]{40} in release.MF does not match compiled_packages\/rep.tgz$/)]);
    // bosh itself reads the corrupted release without complaint: the check above is the only guard before an upload.
    const tgz = join(work, 'corrupted.tgz');
    expect(run('tar', ['-czf', tgz, '-C', bad, '.']).status).toBe(0);
    expect(bosh(['inspect-local-release', tgz]).status).toBe(0);
  });

  it('holds only ELF executables for the stemcell arch (32-bit ARM EABI5, static), and rep, route-emitter, certsplitter run under qemu', () => {
    const bins = join(work, 'bins');
    for (const p of readdirSync(join(dir, 'compiled_packages'))) untarTo(join(dir, 'compiled_packages', p), join(bins, p.replace(/\.tgz$/, '')));
    const elves = runMjs<Array<[string, string]>>(
      "const { walk, isElf } = await lib('release/compile-package'); const { readElfFile } = await lib('go/go-elf'); out([...walk(input)].filter(isElf).map((f) => [f.slice(input.length + 1), readElfFile(f).describe]))",
      bins,
    );
    expect(elves).toEqual([
      ['certsplitter/bin/certsplitter', 'ELF 32-bit LSB executable, ARM EABI5, statically linked'],
      ['healthcheck/healthcheck', 'ELF 32-bit LSB executable, ARM EABI5, statically linked'],
      ['rep/bin/gocurl', 'ELF 32-bit LSB executable, ARM EABI5, statically linked'],
      ['rep/bin/rep', 'ELF 32-bit LSB executable, ARM EABI5, statically linked'],
      ['route_emitter/bin/route-emitter', 'ELF 32-bit LSB executable, ARM EABI5, statically linked'],
    ]);
    expect(fileOf(join(bins, 'rep', 'bin', 'rep'))).toContain('ARM, EABI5');
    expect(qemu('arm', join(bins, 'rep', 'bin', 'rep'), ['-h'])).toMatch(/Usage of .*rep:\n\s+-config string\n\s+The path to the JSON configuration file\./);
    expect(qemu('arm', join(bins, 'route_emitter', 'bin', 'route-emitter'), ['-h'])).toMatch(/Usage of .*route-emitter:\n\s+-config string\n\s+Path to JSON configuration file/);
    expect(qemu('arm', join(bins, 'certsplitter', 'bin', 'certsplitter'), [])).toMatch(/Usage: certsplitter TRUSTED_CERTS_FILE DESTINATION_DIRECTORY/);
  });

  it('gives byte-identical compiled releases from the same source release', () => {
    expect(outcome(second)).toEqual({ status: 0, tail: '' });
    expect(readdirSync(second.out).sort()).toEqual(readdirSync(first.out).sort());
    expect(sha256(second.tarball!)).toBe(sha256(first.tarball!));
    expect(readFileSync(join(second.out, 'compiled.json'), 'utf8')).toBe(readFileSync(join(first.out, 'compiled.json'), 'utf8'));
  });
});
