import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { CrossCompileStep } from '../../constructs/golang/cross-compile-step';
import { GoCrossCompiledPackage, type GoCrossCompiledPackageProps } from '../../constructs/golang/go-cross-compiled-package';
import { BUILDPACK_LIFECYCLE_MODULE } from '../../constructs/golang/lifecycle-bundle';
import { HEALTHCHECK_MODULE, LIFECYCLE_MODULES } from '../../stacks/parts/lifecycle';
import { cleanupCrossCompile, fileOf, qemu, runStep, sha256, synthToDisk, untar, type StepRun, type Synthesized } from '../support/cross-compile';
import { labLock, lifecycleFor } from '../support/lifecycle-lab';

jest.setTimeout(900_000);
afterAll(cleanupCrossCompile);

/**
 * The construct and step with the real Go toolchain and module proxy on a small, always-served module
 * (the Ginkgo CLI): the compile-VM emulation, the static ARM build and both ELF checks, a bundle that
 * takes a binary from an earlier step's package, and the step-time errors.
 */
describe('GoCrossCompiledPackage + cross-compile step, real toolchain', () => {
  const pins = { 'github.com/onsi/ginkgo/v2': 'v2.15.0' };
  const common: Omit<GoCrossCompiledPackageProps, 'name' | 'binaries'> = {
    target: { goos: 'linux', goarch: 'arm', goarm: 7 },
    artifactDir: 'bosh-packages/tool',
    moduleDir: 'github.com',
    sourceModules: ['github.com/onsi/ginkgo/v2'],
  };
  function ginkgo(importPath: string): Synthesized {
    return synthToDisk((stack) => {
      const scope = new Construct(stack, 'Tool');
      const pkg = new GoCrossCompiledPackage(scope, 'Ginkgo', { ...common, name: 'ginkgo_armhf', binaries: [{ name: 'ginkgo', importPath }] });
      return { ginkgo: new CrossCompileStep(scope, 'CrossCompile', { packages: [pkg], inTree: pins, planFile: 'cross-compile/tool/build-plan.json' }).step };
    });
  }
  /**
   * dep_armhf in one step; top_armhf in a later step that bundles its own binary with dep_armhf's.
   * `tag` changes both triggers, hence their out dirs, so a test can have steps no other test ran.
   */
  function twoSteps(stack: TerraformStack, tag = ''): Record<string, CrossCompileStep['step']> {
    const scope = new Construct(stack, 'Tool');
    const dep = new GoCrossCompiledPackage(scope, 'Dep', { ...common, name: 'dep_armhf', binaries: [{ name: 'ginkgo', importPath: 'github.com/onsi/ginkgo/v2/ginkgo' }] });
    const top = new GoCrossCompiledPackage(scope, 'Top', {
      ...common,
      name: 'top_armhf',
      binaries: [{ name: 'ginkgo-top', importPath: 'github.com/onsi/ginkgo/v2/ginkgo' }],
      dependencies: ['dep_armhf'],
      bundle: { file: 'tools.tgz', include: [{ fromPackage: 'dep_armhf', binary: 'ginkgo' }] },
    });
    const parameters: Record<string, string> = tag ? { tag } : {};
    const depStep = new CrossCompileStep(scope, 'CompileDep', { packages: [dep], inTree: pins, planFile: 'cross-compile/tool/dep.json', parameters });
    const topStep = new CrossCompileStep(scope, 'CompileTop', {
      packages: [top],
      inTree: pins,
      planFile: 'cross-compile/tool/top.json',
      after: [depStep],
      bundle: { package: top, file: 'tools.tgz' },
      parameters,
    });
    return { dep: depStep.step, top: topStep.step };
  }

  it('builds a static ARM EABI5 binary that runs under qemu-arm', () => {
    const r = runStep(ginkgo('github.com/onsi/ginkgo/v2/ginkgo'), 'ginkgo', { fresh: true });
    expect(r.stderr).not.toContain('FAILED');
    expect(r.status).toBe(0);
    const bin = join(r.out, 'packages', 'ginkgo_armhf', 'ginkgo');
    expect(fileOf(bin)).toMatch(/^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked/);
    expect(r.stdout).toContain('ginkgo: ELF 32-bit ARM EABI5 executable, statically linked');
    expect(qemu('arm', bin, ['version'])).toContain('Ginkgo Version 2.15.0');
  });

  it("bundles its own binary and an earlier step's package into a byte-identical normalized tgz on every build", () => {
    const s = synthToDisk((stack) => twoSteps(stack));
    expect(runStep(s, 'dep').status).toBe(0);
    const first = runStep(s, 'top', { fresh: true });
    const second = runStep(synthToDisk((stack) => twoSteps(stack)), 'top', { fresh: true });
    expect(first.stderr).not.toContain('FAILED');
    expect([first.status, second.status]).toEqual([0, 0]);
    const tgz = (r: StepRun): string => join(r.out, 'packages', 'top_armhf', 'tools.tgz');
    expect(sha256(tgz(second))).toBe(sha256(tgz(first)));
    const listing = spawnSync('tar', ['--numeric-owner', '-tvzf', tgz(first)], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(listing.map((l) => l.replace(/\s+\d+\s/, ' SIZE '))).toEqual([
      '-rwxr-xr-x 0/0 SIZE 1970-01-01 00:00 ginkgo',
      '-rwxr-xr-x 0/0 SIZE 1970-01-01 00:00 ginkgo-top',
    ]);
    // The bundle step's output holds its own package only; the earlier one stays where its step left it.
    expect(readdirSync(join(first.out, 'packages'))).toEqual(['top_armhf']);
    expect(JSON.parse(readFileSync(join(first.out, 'manifest.json'), 'utf8')).fromSteps).toEqual([
      { step: s.steps.dep.stepId, out: s.steps.dep.outDir, packages: ['dep_armhf'] },
    ]);
  });

  it('fails a bundle step whose earlier step has not run, naming that step', () => {
    const s = synthToDisk((stack) => twoSteps(stack, 'dep never run'));
    const r = runStep(s, 'top');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`package dep_armhf comes from step ${s.steps.dep.stepId}, whose output ${s.steps.dep.outDir}/packages/dep_armhf does not exist`);
    expect(existsSync(r.out)).toBe(false);
  });

  it('fails at step time, naming the import path, when the binary does not exist in the pinned module', () => {
    const r = runStep(ginkgo('github.com/onsi/ginkgo/v2/cmd/nope'), 'ginkgo', { fresh: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('import path github.com/onsi/ginkgo/v2/cmd/nope is not a buildable main package in the pinned sources');
    expect(existsSync(r.out)).toBe(false);
  });

  it('refuses healthcheck and bundle steps whose pins are missing, before downloading anything, naming the modules and the lock', () => {
    const s = lifecycleFor([{ arch: 'armhf', goarm: 7 }], 'armhf', {});
    const hc = runStep(s, 'healthcheck');
    expect(hc.status).toBe(1);
    expect(hc.stderr).toContain(`cannot build healthcheck_armhf: lab.lock.json goModules has no pinned version for ${HEALTHCHECK_MODULE} (fix:`);
    expect(hc.stdout).not.toContain('module ');
    const bundle = runStep(s, 'bundle');
    expect(bundle.stderr).toContain(`cannot build buildpack_app_lifecycle_armhf: lab.lock.json goModules has no pinned version for ${[...LIFECYCLE_MODULES, 'code.cloudfoundry.org/bbs'].sort().join(', ')} (fix:`);
    expect(bundle.stderr).toContain('the versions diego-release v2.105.0 builds');
    expect([existsSync(hc.out), existsSync(bundle.out)]).toEqual([false, false]);
  });
});

const missingLifecyclePins = [BUILDPACK_LIFECYCLE_MODULE, HEALTHCHECK_MODULE].filter((m) => !labLock.goModules[m]);
const BINARIES = ['builder', 'diego-sshd', 'healthcheck', 'launcher', 'shell'];

/** Runs a lab's three lifecycle steps in plan order (diego-sshd, healthcheck, then the bundle). */
function lifecycleBuild(arch: 'armhf' | 'arm64'): { bundle: StepRun; dir: string } {
  const s = lifecycleFor(arch === 'armhf' ? [{ arch, goarm: 7 }] : [{ arch, goarm: undefined }], arch);
  for (const step of ['sshd', 'healthcheck']) expect(runStep(s, step).status).toBe(0);
  const bundle = runStep(s, 'bundle');
  expect(bundle.status).toBe(0);
  return { bundle, dir: untar(join(bundle.out, 'packages', `buildpack_app_lifecycle_${arch}`, 'buildpack_app_lifecycle.tgz')) };
}

/**
 * The lab's lifecycle bundle from the pins in lab.lock.json. While the module proxy serves no
 * buildpackapplifecycle or healthcheck version (docs/pins.md), what a deploy of this checkout does is
 * refuse, naming them: that is asserted instead, and the test's name says which pins are missing.
 */
if (missingLifecyclePins.length > 0) {
  describe('lifecycle bundle from lab.lock.json', () => {
    it(`is blocked: lab.lock.json pins no ${missingLifecyclePins.join(', ')}, so healthcheck_armhf and buildpack_app_lifecycle_armhf refuse to build, naming them`, () => {
      const s = lifecycleFor([{ arch: 'armhf', goarm: 7 }], 'armhf');
      const hc = runStep(s, 'healthcheck');
      const bundle = runStep(s, 'bundle');
      expect([hc.status, bundle.status]).toEqual([1, 1]);
      if (missingLifecyclePins.includes(HEALTHCHECK_MODULE)) expect(hc.stderr).toContain(`no pinned version for ${HEALTHCHECK_MODULE}`);
      expect(bundle.stderr).toContain(`cannot build buildpack_app_lifecycle_armhf: lab.lock.json goModules has no pinned version for ${missingLifecyclePins.join(', ')} (fix:`);
    });
  });
} else {
  describe('lifecycle bundle from lab.lock.json', () => {
    let armhf: ReturnType<typeof lifecycleBuild>;
    beforeAll(() => {
      armhf = lifecycleBuild('armhf');
    });

    it('builds buildpack_app_lifecycle.tgz with five static ARM EABI5 executables', () => {
      expect(readdirSync(armhf.dir).sort()).toEqual(BINARIES);
      for (const b of BINARIES) expect(fileOf(join(armhf.dir, b))).toMatch(/^ELF 32-bit LSB executable, ARM, EABI5 .*statically linked/);
    });

    it('runs the ARM builder, launcher and healthcheck under qemu-arm', () => {
      expect(qemu('arm', join(armhf.dir, 'builder'), ['-h'])).toContain('-buildpackOrder');
      expect(qemu('arm', join(armhf.dir, 'launcher'), [])).toContain('<app-directory> <start-command> <metadata>');
      expect(qemu('arm', join(armhf.dir, 'healthcheck'), ['-h'])).toContain('-liveness-interval');
    });

    it('builds the arm64 bundle when the lab has arm64 cells', () => {
      const { dir } = lifecycleBuild('arm64');
      for (const b of BINARIES) expect(fileOf(join(dir, b))).toMatch(/^ELF 64-bit LSB executable, ARM aarch64, .*statically linked/);
    });
  });
}
