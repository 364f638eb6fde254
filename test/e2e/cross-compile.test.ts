import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CrossCompileStep } from '../../constructs/golang/cross-compile-step';
import { GoCrossCompiledPackage } from '../../constructs/golang/go-cross-compiled-package';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import type { PlanStep } from '../../constructs/plan/plan-step';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import type { Cell, Lab } from '../../lab/model';
import { addLifecycle, LIFECYCLE_MODULES } from '../../stacks/parts/lifecycle';
import { writeStackFiles } from '../../stacks/synth';
import { PROJECT_ROOT } from '../support/lab-files';

jest.setTimeout(900_000);

/** Every directory a test here created under build/ (synth outputs and step outputs), removed at the end. */
const created: string[] = [];
afterAll(() => {
  for (const d of created) rmSync(d, { recursive: true, force: true });
});

interface Synthesized {
  stackDir: string;
  step: PlanStep;
}

/** Synthesizes whatever `add` builds onto a stack inside build/, so step commands reach pipelines/ as in a real lab. */
function synthToDisk(add: (stack: TerraformStack, store: ArtifactStore, graph: PlanGraph) => PlanStep): Synthesized {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
  const outdir = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-cross-compile-'));
  created.push(outdir);
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'lab');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const store = new ArtifactStore(stack);
  const stackDir = join(outdir, 'stacks', 'lab');
  const graph = new PlanGraph(stack, relative(stackDir, PROJECT_ROOT));
  const step = add(stack, store, graph);
  app.synth();
  writeStackFiles(stackDir, store, graph, 'test');
  return { stackDir, step };
}

/** Runs the step script exactly as the plan's local-exec would (cwd = the stack dir), into a fresh out dir. */
function runStep(s: Synthesized, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; out: string } {
  const out = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-cross-compile-out-'));
  rmSync(out, { recursive: true });
  created.push(out);
  const a = s.step.props.args ?? {};
  const res = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'pipelines', 'cross-compile.mjs'), `--root=${relative(s.stackDir, PROJECT_ROOT)}`, '--artifacts=artifacts', `--out=${out}`, `--packages=${a.packages}`, `--plan=${a.plan}`],
    { cwd: s.stackDir, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, out };
}

function fileOf(path: string): string {
  return spawnSync('file', ['-b', path], { encoding: 'utf8' }).stdout.trim();
}

function qemu(arch: 'arm' | 'aarch64', bin: string, args: string[]): string {
  const r = spawnSync(`qemu-${arch}-static`, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return `${r.stdout}${r.stderr}`;
}

function untar(tgz: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-bundle-'));
  created.push(dir);
  const r = spawnSync('tar', ['-xzf', tgz, '-C', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return dir;
}

const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

/**
 * The construct and step with the real Go toolchain and module proxy on a small, always-served module
 * (the Ginkgo CLI): proves the compile-VM emulation, the static ARM build and both ELF checks, and the
 * step-time error for an import path that does not exist.
 */
describe('GoCrossCompiledPackage + cross-compile step, real toolchain', () => {
  const pins = { 'github.com/onsi/ginkgo/v2': 'v2.15.0' };
  function ginkgo(importPath: string): Synthesized {
    return synthToDisk((stack) => {
      const scope = new Construct(stack, 'Tool');
      const pkg = new GoCrossCompiledPackage(scope, 'Ginkgo', {
        name: 'ginkgo_armhf',
        target: { goos: 'linux', goarch: 'arm', goarm: 7 },
        artifactDir: 'bosh-packages/tool',
        moduleDir: 'github.com',
        sourceModules: ['github.com/onsi/ginkgo/v2'],
        binaries: [{ name: 'ginkgo', importPath }],
      });
      return new CrossCompileStep(scope, 'CrossCompile', { packages: [pkg], inTree: pins, planFile: 'cross-compile/tool/build-plan.json' }).step;
    });
  }

  it('builds a static ARM EABI5 binary that runs under qemu-arm', () => {
    const r = runStep(ginkgo('github.com/onsi/ginkgo/v2/ginkgo'));
    expect(r.stderr).not.toContain('FAILED');
    expect(r.status).toBe(0);
    const bin = join(r.out, 'packages', 'ginkgo_armhf', 'ginkgo');
    expect(fileOf(bin)).toMatch(/^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked/);
    expect(r.stdout).toContain('ginkgo: ELF 32-bit ARM EABI5 executable, statically linked');
    expect(qemu('arm', bin, ['version'])).toContain('Ginkgo Version 2.15.0');
  });

  it('bundles binaries (own and from a dependency package) into a byte-identical normalized tgz on every build', () => {
    const bundled = (): Synthesized =>
      synthToDisk((stack) => {
        const scope = new Construct(stack, 'Tool');
        const common = { target: { goos: 'linux', goarch: 'arm', goarm: 7 }, artifactDir: 'bosh-packages/tool', moduleDir: 'github.com', sourceModules: ['github.com/onsi/ginkgo/v2'] };
        const dep = new GoCrossCompiledPackage(scope, 'Dep', { ...common, name: 'dep_armhf', binaries: [{ name: 'ginkgo', importPath: 'github.com/onsi/ginkgo/v2/ginkgo' }] });
        const top = new GoCrossCompiledPackage(scope, 'Top', {
          ...common,
          name: 'top_armhf',
          binaries: [{ name: 'ginkgo-top', importPath: 'github.com/onsi/ginkgo/v2/ginkgo' }],
          dependencies: ['dep_armhf'],
          bundle: { file: 'tools.tgz', include: [{ fromPackage: 'dep_armhf', binary: 'ginkgo' }] },
        });
        return new CrossCompileStep(scope, 'CrossCompile', { packages: [dep, top], inTree: pins, planFile: 'cross-compile/tool/build-plan.json', bundle: { package: top, file: 'tools.tgz' } }).step;
      });
    const first = runStep(bundled());
    const second = runStep(bundled());
    expect([first.status, second.status]).toEqual([0, 0]);
    const tgz = (r: typeof first): string => join(r.out, 'packages', 'top_armhf', 'tools.tgz');
    expect(sha256(tgz(second))).toBe(sha256(tgz(first)));
    const listing = spawnSync('tar', ['--numeric-owner', '-tvzf', tgz(first)], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listing.map((l) => l.replace(/\s+\d+\s/, ' SIZE '))).toEqual([
      '-rwxr-xr-x 0/0 SIZE 1970-01-01 00:00 ginkgo',
      '-rwxr-xr-x 0/0 SIZE 1970-01-01 00:00 ginkgo-top',
    ]);
  });

  it('fails at step time, naming the import path, when the binary does not exist in the pinned module', () => {
    const r = runStep(ginkgo('github.com/onsi/ginkgo/v2/cmd/nope'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('import path github.com/onsi/ginkgo/v2/cmd/nope is not a buildable main package in the pinned sources');
    expect(existsSync(r.out)).toBe(false);
  });
});

const lock = loadLock(join(PROJECT_ROOT, 'lab.lock.json'), PROJECT_ROOT);
const lifecyclePinned = LIFECYCLE_MODULES.every((m) => lock.goModules[m]);
const baseLab = loadLab(join(PROJECT_ROOT, 'lab.yaml'), PROJECT_ROOT);

function lifecycleFor(cells: Array<Partial<Cell>>, arch: 'armhf' | 'arm64'): Synthesized {
  const lab: Lab = { ...baseLab, cells: cells.map((c, i) => ({ ...baseLab.cells[0], name: `cell-${i}`, ...c })) };
  return synthToDisk((stack, store, graph) => {
    const parts = addLifecycle({ scope: stack, lab, lock, artifacts: store, graph, projectRoot: PROJECT_ROOT, upstreamDir: join(PROJECT_ROOT, 'upstream'), directorSteps: false });
    const part = parts.get(arch);
    if (!part) throw new Error(`no lifecycle part for ${arch}`);
    return part.compileStep;
  });
}

/**
 * The lab's lifecycle bundle from the pins in lab.lock.json. Without the pins there is nothing real to
 * build; the suite says so loudly instead of passing.
 */
(lifecyclePinned ? describe : describe.skip)('lifecycle bundle from the pinned diego-release modules', () => {
  const BINARIES = ['builder', 'diego-sshd', 'healthcheck', 'launcher', 'shell'];
  let armhf: ReturnType<typeof runStep>;
  let bundleDir: string;

  beforeAll(() => {
    armhf = runStep(lifecycleFor([{ arch: 'armhf', goarm: 7 }], 'armhf'));
    bundleDir = untar(join(armhf.out, 'packages', 'buildpack_app_lifecycle_armhf', 'buildpack_app_lifecycle.tgz'));
  });

  it('builds buildpack_app_lifecycle.tgz with five static ARM EABI5 executables', () => {
    expect(armhf.stderr).not.toContain('FAILED');
    expect(armhf.status).toBe(0);
    expect(readdirSync(bundleDir).sort()).toEqual(BINARIES);
    for (const b of BINARIES) expect(fileOf(join(bundleDir, b))).toMatch(/^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked/);
  });

  it('runs the ARM builder, launcher and healthcheck under qemu-arm', () => {
    expect(qemu('arm', join(bundleDir, 'builder'), ['-h'])).toContain('-buildpackOrder');
    expect(qemu('arm', join(bundleDir, 'launcher'), [])).toContain('<app-directory> <start-command> <metadata>');
    expect(qemu('arm', join(bundleDir, 'healthcheck'), ['-h'])).toContain('-liveness-interval');
  });

  it('gives a byte-identical bundle on a second build', () => {
    const again = runStep(lifecycleFor([{ arch: 'armhf', goarm: 7 }], 'armhf'));
    expect(again.status).toBe(0);
    const a = JSON.parse(readFileSync(join(armhf.out, 'manifest.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(again.out, 'manifest.json'), 'utf8'));
    process.stdout.write(`cross-compile armhf: first ${a.seconds.total}s, second ${b.seconds.total}s, bundle ${a.bundle.sha256}\n`);
    expect(b.bundle.sha256).toBe(a.bundle.sha256);
    expect(sha256(join(again.out, b.bundle.path))).toBe(a.bundle.sha256);
  });

  it('builds the arm64 bundle when the lab has arm64 cells', () => {
    const r = runStep(lifecycleFor([{ arch: 'arm64', goarm: undefined }], 'arm64'));
    expect(r.status).toBe(0);
    const dir = untar(join(r.out, 'packages', 'buildpack_app_lifecycle_arm64', 'buildpack_app_lifecycle.tgz'));
    for (const b of BINARIES) expect(fileOf(join(dir, b))).toMatch(/^ELF 64-bit LSB executable, ARM aarch64, .*statically linked/);
    expect(qemu('aarch64', join(dir, 'healthcheck'), ['-h'])).toContain('-liveness-interval');
  });
});

if (!lifecyclePinned) {
  // eslint-disable-next-line no-console
  console.warn(`cross-compile e2e: lab.lock.json lacks goModules pins for ${LIFECYCLE_MODULES.join(', ')}; the lifecycle bundle suite is skipped`);
}
