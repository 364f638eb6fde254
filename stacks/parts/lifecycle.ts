import { Construct } from 'constructs';
import { CrossCompileStep, type CrossCompileStepProps, type MissingPins } from '../../constructs/golang/cross-compile-step';
import { GoCrossCompiledPackage } from '../../constructs/golang/go-cross-compiled-package';
import { BUILDPACK_LIFECYCLE_MODULE, LifecycleBundle } from '../../constructs/golang/lifecycle-bundle';
import type { PlanStep } from '../../constructs/plan/plan-step';
import { goTargetFor, lifecyclePackageFor, type Arch, type GoTarget } from '../../lab/model';
import type { LabContext } from '../context';

/** Per cell arch: the cross-compiled ARM packages. (Owned by the cross-compile work, issue 4.) */
export interface LifecyclePart {
  readonly arch: Arch;
  /** BOSH package names, e.g. buildpack_app_lifecycle_armhf, healthcheck_armhf, diego-sshd_armhf. */
  readonly packages: readonly string[];
  /** The package holding buildpack_app_lifecycle.tgz. */
  readonly bundlePackage: string;
  /** Artifact directory holding one BOSH package dir per package (spec + packaging). */
  readonly packagesArtifactDir: string;
  /** Step that cross-compiles the bundle package like a compile VM and leaves the bundle in its out dir. */
  readonly compileStep: PlanStep;
  /** Package name -> the step that builds it (diego-sshd and healthcheck build on their own, before the bundle). */
  readonly packageSteps?: ReadonlyMap<string, PlanStep>;
}

export const HEALTHCHECK_MODULE = 'code.cloudfoundry.org/healthcheck';
export const DIEGO_SSH_MODULE = 'code.cloudfoundry.org/diego-ssh';
/** diego-ssh imports bbs, and diego-release has it in-tree, so the sshd build lays it beside diego-ssh. */
export const BBS_MODULE = 'code.cloudfoundry.org/bbs';
/** Modules the lifecycle is built from; each must be pinned in lab.lock.json goModules. */
export const LIFECYCLE_MODULES = [BUILDPACK_LIFECYCLE_MODULE, DIEGO_SSH_MODULE, HEALTHCHECK_MODULE] as const;
/** Modules laid in-tree (submodules of diego-release), per build. Everything else pinned is a requirement. */
export const SSHD_SOURCE_MODULES = [DIEGO_SSH_MODULE, BBS_MODULE] as const;
const IN_TREE = new Set<string>([...LIFECYCLE_MODULES, BBS_MODULE]);

/** The `go` directive of the compile tree's go.mod: the Go line of the golang BOSH package. */
const GO_LINE = '1.23';

/**
 * For each cell arch: healthcheck_<arch>, diego-sshd_<arch> and buildpack_app_lifecycle_<arch> as BOSH
 * package dirs (artifacts under bosh-packages/<arch>/), and three cross-compile steps: diego-sshd and
 * healthcheck each on their own, then the bundle from their install dirs. Split so that what the lock
 * pins gets built and checked even while another package's pins are missing; a step whose pins are
 * missing fails at deploy time naming them, and the synth still succeeds.
 */
export function addLifecycle(ctx: LabContext): ReadonlyMap<Arch, LifecyclePart> {
  const root = new Construct(ctx.scope, 'Lifecycle');
  const parts = new Map<Arch, LifecyclePart>();
  for (const arch of [...new Set(ctx.lab.cells.map((c) => c.arch))].sort()) {
    parts.set(arch, addArch(ctx, new Construct(root, arch), arch, cellTarget(ctx, arch)));
  }
  return parts;
}

function addArch(ctx: LabContext, scope: Construct, arch: Arch, target: GoTarget): LifecyclePart {
  const artifactDir = `bosh-packages/${arch}`;
  const healthcheck = new GoCrossCompiledPackage(scope, 'Healthcheck', {
    name: `healthcheck_${arch}`,
    target,
    artifactDir,
    sourceModules: [HEALTHCHECK_MODULE],
    binaries: [{ name: 'healthcheck', importPath: `${HEALTHCHECK_MODULE}/cmd/healthcheck` }],
  });
  const sshd = new GoCrossCompiledPackage(scope, 'Sshd', {
    name: `diego-sshd_${arch}`,
    target,
    artifactDir,
    sourceModules: [...SSHD_SOURCE_MODULES],
    binaries: [{ name: 'diego-sshd', importPath: `${DIEGO_SSH_MODULE}/cmd/sshd` }],
  });
  const bundle = new LifecycleBundle(scope, 'Bundle', {
    name: lifecyclePackageFor(arch),
    target,
    artifactDir,
    healthcheckPackage: healthcheck.packageName,
    sshdPackage: sshd.packageName,
  });
  const common: Pick<CrossCompileStepProps, 'requires' | 'goLine' | 'parameters'> = {
    // Every pinned module that is not laid in-tree: the release module's requirements, so the tree never resolves `@latest`.
    requires: Object.fromEntries(Object.entries(ctx.lock.goModules).filter(([m]) => !IN_TREE.has(m))),
    goLine: GO_LINE,
    parameters: ctx.lock.tools.go ? { go: ctx.lock.tools.go } : {},
  };
  const build = (id: string, pkg: GoCrossCompiledPackage, modules: readonly string[], extra: Partial<CrossCompileStepProps> = {}): CrossCompileStep =>
    new CrossCompileStep(scope, id, {
      ...common,
      packages: [pkg],
      inTree: pinsOf(ctx, modules),
      missingPins: missingPins(ctx, modules),
      planFile: `cross-compile/${arch}/${pkg.packageName}.plan.json`,
      ...extra,
    });
  const sshdStep = build('CompileSshd', sshd, SSHD_SOURCE_MODULES);
  const healthcheckStep = build('CompileHealthcheck', healthcheck, [HEALTHCHECK_MODULE]);
  // The bundle names every pin it needs, its dependencies' too: one message says all that is missing.
  const bundleStep = build('CompileBundle', bundle.package, [BUILDPACK_LIFECYCLE_MODULE], {
    after: [healthcheckStep, sshdStep],
    bundle: { package: bundle.package, file: bundle.bundleFile },
    missingPins: missingPins(ctx, [BUILDPACK_LIFECYCLE_MODULE, HEALTHCHECK_MODULE, ...SSHD_SOURCE_MODULES]),
  });
  const steps = new Map<string, PlanStep>([
    [sshd.packageName, sshdStep.step],
    [healthcheck.packageName, healthcheckStep.step],
    [bundle.package.packageName, bundleStep.step],
  ]);
  return {
    arch,
    packages: [...steps.keys()].sort(),
    bundlePackage: bundle.package.packageName,
    packagesArtifactDir: artifactDir,
    compileStep: bundleStep.step,
    packageSteps: steps,
  };
}

function pinsOf(ctx: LabContext, modules: readonly string[]): Record<string, string> {
  return Object.fromEntries(modules.flatMap((m) => (ctx.lock.goModules[m] ? [[m, ctx.lock.goModules[m]]] : [])));
}

/**
 * The modules among `modules` that lab.lock.json does not pin. A missing pin does not stop the synth
 * (specs and packaging scripts do not depend on it, and previews should work); the build plan lists
 * it and the step refuses to run, naming the lock entries to add.
 */
function missingPins(ctx: LabContext, modules: readonly string[]): MissingPins {
  const diego = ctx.lock.upstream['diego-release']?.version;
  return {
    lockFile: lockFileOf(ctx),
    modules: modules.filter((m) => !ctx.lock.goModules[m]),
    ...(diego ? { matching: `diego-release ${diego}` } : {}),
  };
}

/** armhf cells may mix GOARM 6 and 7; GOARM=6 binaries run on both, so the lowest wins. */
function cellTarget(ctx: LabContext, arch: Arch): GoTarget {
  const goarms = ctx.lab.cells.filter((c) => c.arch === arch).map((c) => c.goarm ?? 7);
  return goTargetFor(arch, arch === 'armhf' ? (Math.min(...goarms) as 6 | 7) : undefined);
}

function lockFileOf(ctx: LabContext): string {
  return `${ctx.lab.file.replace(/\.ya?ml$/, '')}.lock.json`;
}
