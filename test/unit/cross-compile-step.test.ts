import { TerraformStack, Testing } from 'cdktf';
import { CrossCompileStep } from '../../constructs/golang/cross-compile-step';
import { GoCrossCompiledPackage, type GoCrossCompiledPackageProps } from '../../constructs/golang/go-cross-compiled-package';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';

const base: Omit<GoCrossCompiledPackageProps, 'name' | 'binaries'> = {
  target: { goos: 'linux', goarch: 'arm', goarm: 7 },
  artifactDir: 'bosh-packages/armhf',
  sourceModules: ['code.cloudfoundry.org/healthcheck'],
};
const bin = (name: string) => [{ name, importPath: 'code.cloudfoundry.org/healthcheck/cmd/healthcheck' }];

interface Built {
  store: ArtifactStore;
  lib: CrossCompileStep;
  app: CrossCompileStep;
}

/** lib_armhf in one step; app_armhf (depending on lib_armhf) in a second step after it. `libBinary` varies lib's package. */
function twoSteps(libBinary = 'lib', missing: string[] = []): Built {
  const stack = new TerraformStack(Testing.app(), 'lab');
  const store = new ArtifactStore(stack);
  new PlanGraph(stack, '../../..');
  const lib = new GoCrossCompiledPackage(stack, 'Lib', { ...base, name: 'lib_armhf', binaries: bin(libBinary) });
  const app = new GoCrossCompiledPackage(stack, 'App', { ...base, name: 'app_armhf', binaries: bin('app'), dependencies: ['lib_armhf'] });
  const inTree = { 'code.cloudfoundry.org/healthcheck': 'v0.0.0-20241001000000-aaaaaaaaaaaa' };
  const libStep = new CrossCompileStep(stack, 'CompileLib', { packages: [lib], inTree, planFile: 'cc/lib.json' });
  const appStep = new CrossCompileStep(stack, 'CompileApp', {
    packages: [app],
    inTree,
    planFile: 'cc/app.json',
    after: [libStep],
    missingPins: { lockFile: 'lab.lock.json', modules: missing, matching: 'diego-release v2.105.0' },
  });
  return { store, lib: libStep, app: appStep };
}

const plan = (b: Built, file: string) => JSON.parse(b.store.filesUnder(file)[0][1].content.toString('utf8'));

describe('CrossCompileStep', () => {
  it('takes a dependency built by an earlier step from that step, and runs after it', () => {
    const b = twoSteps();
    expect(b.app.step.props.dependsOn).toEqual([b.lib.step]);
    expect(plan(b, 'cc/app.json').fromSteps).toEqual([{ step: 'lab-compilelib-step', out: b.lib.step.outDir, packages: ['lib_armhf'] }]);
    expect(plan(b, 'cc/lib.json').fromSteps).toBeUndefined();
    expect(b.lib.packageNames).toEqual(['lib_armhf']);
  });

  it("reads only its own package dirs: another step's package changes that step, and this one only through the dependency", () => {
    const a = twoSteps();
    const b = twoSteps('lib2');
    expect(a.app.step.props.inputs).toEqual(['bosh-packages/armhf/app_armhf', 'cc/app.json']);
    expect(b.lib.step.trigger).not.toBe(a.lib.step.trigger);
    // The app step's trigger moves because it runs after the changed lib step, not because it read lib's spec.
    expect(b.app.step.trigger).not.toBe(a.app.step.trigger);
    expect(a.store.digest(['bosh-packages/armhf/app_armhf'])).toBe(b.store.digest(['bosh-packages/armhf/app_armhf']));
  });

  it('refuses a dependency that neither comes before it nor from an `after` step', () => {
    const stack = new TerraformStack(Testing.app(), 'lab');
    new ArtifactStore(stack);
    new PlanGraph(stack, '../../..');
    const app = new GoCrossCompiledPackage(stack, 'App', { ...base, name: 'app_armhf', binaries: bin('app'), dependencies: ['lib_armhf'] });
    expect(() => new CrossCompileStep(stack, 'C', { packages: [app], inTree: {}, planFile: 'cc/app.json' })).toThrow(
      'package app_armhf depends on lib_armhf, which must come before it or from a step in `after`',
    );
  });

  it('records missing pins sorted (with what they should match) and leaves them out when none are missing', () => {
    expect(plan(twoSteps('lib', ['code.cloudfoundry.org/zz', 'code.cloudfoundry.org/aa']), 'cc/app.json').missingPins).toEqual({
      lockFile: 'lab.lock.json',
      modules: ['code.cloudfoundry.org/aa', 'code.cloudfoundry.org/zz'],
      matching: 'diego-release v2.105.0',
    });
    expect(plan(twoSteps(), 'cc/app.json').missingPins).toBeUndefined();
  });
});
