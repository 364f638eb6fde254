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
const PIN = {
  release: 'diego-release',
  version: 'v2.105.0',
  repo: 'https://example.invalid/diego-release',
  tarballSha256: 'a'.repeat(64),
  submodules: { healthcheck: 'b'.repeat(40), rep: 'c'.repeat(40) },
};
const bin = (name: string) => [{ name, importPath: 'code.cloudfoundry.org/healthcheck/cmd/healthcheck' }];

interface Built {
  store: ArtifactStore;
  lib: CrossCompileStep;
  app: CrossCompileStep;
}

/** lib_armhf in one step; app_armhf (depending on lib_armhf) in a second step after it. `libBinary` varies lib's package. */
function twoSteps(libBinary = 'lib', upstreamDir?: string): Built {
  const stack = new TerraformStack(Testing.app(), 'lab');
  const store = new ArtifactStore(stack);
  new PlanGraph(stack, '../../..');
  const lib = new GoCrossCompiledPackage(stack, 'Lib', { ...base, name: 'lib_armhf', binaries: bin(libBinary) });
  const app = new GoCrossCompiledPackage(stack, 'App', { ...base, name: 'app_armhf', binaries: bin('app'), dependencies: ['lib_armhf'] });
  const libStep = new CrossCompileStep(stack, 'CompileLib', { packages: [lib], upstream: PIN, planFile: 'cc/lib.json' });
  const appStep = new CrossCompileStep(stack, 'CompileApp', { packages: [app], upstream: PIN, upstreamDir, planFile: 'cc/app.json', after: [libStep] });
  return { store, lib: libStep, app: appStep };
}

const plan = (b: Built, file: string) => JSON.parse(b.store.filesUnder(file)[0][1].content.toString('utf8'));

describe('CrossCompileStep', () => {
  it('takes a dependency built by an earlier step from that step, and runs after it', () => {
    const b = twoSteps();
    expect(b.app.step.props.dependsOn).toEqual([b.lib.step]);
    expect(plan(b, 'cc/app.json').fromSteps).toEqual([{ step: 'lab-compilelib-compile', out: b.lib.step.outDir, packages: ['lib_armhf'] }]);
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
    expect(() => new CrossCompileStep(stack, 'C', { packages: [app], upstream: PIN, planFile: 'cc/app.json' })).toThrow(
      'lab/C: packages[app_armhf].dependencies: found lib_armhf, expected packages built earlier in this step or by a step in `after` (fix: list lib_armhf before app_armhf, or add the step that builds it to `after`)',
    );
  });

  it('records the pinned tree with only the submodules its packages build from, and where the step looks for it', () => {
    const b = twoSteps('lib', '../shared/fixtures/upstream');
    const p = plan(b, 'cc/app.json');
    expect(p.upstream).toEqual({ ...PIN, submodules: { healthcheck: PIN.submodules.healthcheck } });
    expect(p.packages[0].submodules).toEqual(['healthcheck']);
    expect(b.app.step.props.args).toEqual({ packages: 'bosh-packages/armhf', plan: 'cc/app.json', 'upstream-dir': '{root}/../shared/fixtures/upstream' });
    expect(b.lib.step.props.args).toEqual({ packages: 'bosh-packages/armhf', plan: 'cc/lib.json' });
    // Another submodule's commit is not this step's input.
    const stack = new TerraformStack(Testing.app(), 'lab');
    new ArtifactStore(stack);
    new PlanGraph(stack, '../../..');
    const lib = new GoCrossCompiledPackage(stack, 'Lib', { ...base, name: 'lib_armhf', binaries: bin('lib') });
    const moved = new CrossCompileStep(stack, 'CompileLib', { packages: [lib], upstream: { ...PIN, submodules: { ...PIN.submodules, rep: 'd'.repeat(40) } }, planFile: 'cc/lib.json' });
    expect(moved.step.trigger).toBe(twoSteps().lib.step.trigger);
  });
});
