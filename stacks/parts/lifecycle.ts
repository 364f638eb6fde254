import { Construct } from 'constructs';
import { CrossCompileStep } from '../../constructs/golang/cross-compile-step';
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
  /** Step that cross-compiles the packages like a compile VM and leaves the bundle in its out dir. */
  readonly compileStep: PlanStep;
}

export const HEALTHCHECK_MODULE = 'code.cloudfoundry.org/healthcheck';
export const DIEGO_SSH_MODULE = 'code.cloudfoundry.org/diego-ssh';
/** diego-ssh imports bbs; diego-release has it in-tree too, so a pin (when present) lays it beside the others. */
export const BBS_MODULE = 'code.cloudfoundry.org/bbs';
/** Modules the lifecycle is built from; each must be pinned in lab.lock.json goModules. */
export const LIFECYCLE_MODULES = [BUILDPACK_LIFECYCLE_MODULE, DIEGO_SSH_MODULE, HEALTHCHECK_MODULE] as const;

/** The `go` directive of the compile tree's go.mod: the Go line of the golang BOSH package. */
const GO_LINE = '1.23';

/**
 * For each cell arch: healthcheck_<arch>, diego-sshd_<arch> and buildpack_app_lifecycle_<arch> as BOSH
 * package dirs (artifacts under bosh-packages/<arch>/), and one cross-compile step that builds them in
 * dependency order the way a compile VM would and leaves the bundle in its out dir.
 */
export function addLifecycle(ctx: LabContext): ReadonlyMap<Arch, LifecyclePart> {
  const { pins, missing } = lifecyclePins(ctx);
  const root = new Construct(ctx.scope, 'Lifecycle');
  const parts = new Map<Arch, LifecyclePart>();
  for (const arch of [...new Set(ctx.lab.cells.map((c) => c.arch))].sort()) {
    parts.set(arch, addArch(ctx, new Construct(root, arch), arch, cellTarget(ctx, arch), pins, missing));
  }
  return parts;
}

function addArch(
  ctx: LabContext,
  scope: Construct,
  arch: Arch,
  target: GoTarget,
  pins: Readonly<Record<string, string>>,
  missing: readonly string[],
): LifecyclePart {
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
    sourceModules: [DIEGO_SSH_MODULE, ...(pins[BBS_MODULE] ? [BBS_MODULE] : [])],
    binaries: [{ name: 'diego-sshd', importPath: `${DIEGO_SSH_MODULE}/cmd/sshd` }],
  });
  const bundle = new LifecycleBundle(scope, 'Bundle', {
    name: lifecyclePackageFor(arch),
    target,
    artifactDir,
    healthcheckPackage: healthcheck.packageName,
    sshdPackage: sshd.packageName,
  });
  const ordered = [healthcheck, sshd, bundle.package];
  const compile = new CrossCompileStep(scope, 'CrossCompile', {
    packages: ordered,
    inTree: pins,
    // Every other pinned module: the release module's requirements, so the tree never resolves `@latest`.
    requires: Object.fromEntries(Object.entries(ctx.lock.goModules).filter(([m]) => !(m in pins))),
    missingPins: { lockFile: lockFileOf(ctx), modules: missing },
    bundle: { package: bundle.package, file: bundle.bundleFile },
    planFile: `cross-compile/${arch}/build-plan.json`,
    goLine: GO_LINE,
    parameters: ctx.lock.tools.go ? { go: ctx.lock.tools.go } : {},
  });
  const compileStep = compile.step;
  return {
    arch,
    packages: ordered.map((p) => p.packageName).sort(),
    bundlePackage: bundle.package.packageName,
    packagesArtifactDir: artifactDir,
    compileStep,
  };
}

/**
 * The pinned module versions the lifecycle is built from. A missing pin does not stop the synth (specs
 * and packaging scripts do not depend on it, and previews should work); the build plan lists it and the
 * cross-compile step refuses to run, naming the lock entry to add.
 */
function lifecyclePins(ctx: LabContext): { pins: Record<string, string>; missing: string[] } {
  const pins: Record<string, string> = {};
  const missing: string[] = [];
  for (const m of [...LIFECYCLE_MODULES, BBS_MODULE]) {
    const v = ctx.lock.goModules[m];
    if (v) pins[m] = v;
    else if (m !== BBS_MODULE) missing.push(m);
  }
  return { pins, missing };
}

/** armhf cells may mix GOARM 6 and 7; GOARM=6 binaries run on both, so the lowest wins. */
function cellTarget(ctx: LabContext, arch: Arch): GoTarget {
  const goarms = ctx.lab.cells.filter((c) => c.arch === arch).map((c) => c.goarm ?? 7);
  return goTargetFor(arch, arch === 'armhf' ? (Math.min(...goarms) as 6 | 7) : undefined);
}

function lockFileOf(ctx: LabContext): string {
  return `${ctx.lab.file.replace(/\.ya?ml$/, '')}.lock.json`;
}
