import { Construct } from 'constructs';
import { BUILDPACK_LIFECYCLE_MODULE, CrossCompileStep, GoCrossCompiledPackage, LifecycleBundle, type CrossCompileStepProps } from '../../constructs/golang';
import type { PlanStep } from '../../constructs/plan';
import { goTargetFor, lifecyclePackageFor, type Arch, type GoTarget } from '../../lab/model';
import { PROVIDES } from '../../contracts/provides.cjs';
import type { LabContext } from '../context';
import { diegoSourcePin, upstreamDirOf } from './diego-source';

/** Per cell arch: the cross-compiled ARM packages. */
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
  readonly packageSteps: ReadonlyMap<string, PlanStep>;
  /**
   * Package name -> built files, relative to that package's step out dir (`<step.outDir>/<file>`):
   * the blobs the control-plane variant carries. The bundle is `packages/<bundlePackage>/buildpack_app_lifecycle.tgz`.
   */
  readonly builtFiles: ReadonlyMap<string, readonly string[]>;
}

export const HEALTHCHECK_MODULE = 'code.cloudfoundry.org/healthcheck';
export const DIEGO_SSH_MODULE = 'code.cloudfoundry.org/diego-ssh';
/** diego-ssh imports bbs, and diego-release has it in-tree, so the sshd build lays it beside diego-ssh. */
export const BBS_MODULE = 'code.cloudfoundry.org/bbs';
/** The release tree's submodules the lifecycle is built from. */
export const LIFECYCLE_MODULES = [BUILDPACK_LIFECYCLE_MODULE, DIEGO_SSH_MODULE, HEALTHCHECK_MODULE] as const;
/** diego-sshd's sources: diego-ssh and the bbs models it imports (as upstream's diego-sshd spec lists them). */
export const SSHD_SOURCE_MODULES = [DIEGO_SSH_MODULE, BBS_MODULE] as const;

/**
 * For each cell arch: healthcheck_<arch>, diego-sshd_<arch> and buildpack_app_lifecycle_<arch> as BOSH
 * package dirs (artifacts under bosh-packages/<arch>/), and three cross-compile steps: diego-sshd and
 * healthcheck each on their own, then the bundle from their install dirs, all from the pinned
 * diego-release tree (lab.lock.json upstream.diego-release). Split so that a changed input rebuilds only
 * the package it feeds (and the bundle, which holds every binary).
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
  const healthcheck = new GoCrossCompiledPackage(scope, 'HealthcheckPackage', {
    name: `healthcheck_${arch}`,
    target,
    artifactDir,
    sourceModules: [HEALTHCHECK_MODULE],
    binaries: [{ name: 'healthcheck', importPath: `${HEALTHCHECK_MODULE}/cmd/healthcheck` }],
  });
  const sshd = new GoCrossCompiledPackage(scope, 'SshdPackage', {
    name: `diego-sshd_${arch}`,
    target,
    artifactDir,
    sourceModules: [...SSHD_SOURCE_MODULES],
    binaries: [{ name: 'diego-sshd', importPath: `${DIEGO_SSH_MODULE}/cmd/sshd` }],
  });
  const bundle = new LifecycleBundle(scope, 'BundlePackage', {
    name: lifecyclePackageFor(arch),
    target,
    artifactDir,
    healthcheckPackage: healthcheck.packageName,
    sshdPackage: sshd.packageName,
  });
  const common: Pick<CrossCompileStepProps, 'upstream' | 'upstreamDir' | 'arch'> = { upstream: diegoSourcePin(ctx), upstreamDir: upstreamDirOf(ctx), arch };
  const build = (id: string, pkg: GoCrossCompiledPackage, extra: Partial<CrossCompileStepProps> = {}): CrossCompileStep =>
    new CrossCompileStep(scope, id, { ...common, packages: [pkg], planFile: `cross-compile/${arch}/${pkg.packageName}.plan.json`, ...extra });
  const sshdStep = build('Sshd', sshd, { provides: { [PROVIDES.diegoSshd(arch)]: `packages/${sshd.packageName}/diego-sshd` } });
  const healthcheckStep = build('Healthcheck', healthcheck, { provides: { [PROVIDES.healthcheck(arch)]: `packages/${healthcheck.packageName}/healthcheck` } });
  const bundleStep = build('Bundle', bundle.package, {
    after: [healthcheckStep, sshdStep],
    bundle: { package: bundle.package, file: bundle.bundleFile },
    provides: { [PROVIDES.lifecycleBundle(arch)]: `packages/${bundle.package.packageName}/${bundle.bundleFile}` },
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
    builtFiles: new Map<string, readonly string[]>([
      [sshd.packageName, [`packages/${sshd.packageName}/diego-sshd`]],
      [healthcheck.packageName, [`packages/${healthcheck.packageName}/healthcheck`]],
      [bundle.package.packageName, [`packages/${bundle.package.packageName}/${bundle.bundleFile}`]],
    ]),
  };
}

/**
 * The Go target of the lab's cells of an arch, for their lifecycle and Diego builds. armhf cells may mix
 * GOARM 6 and 7; GOARM=6 binaries run on both, so the lowest wins.
 */
export function cellTarget(ctx: LabContext, arch: Arch): GoTarget {
  const goarms = ctx.lab.cells.filter((c) => c.arch === arch).map((c) => c.goarm ?? 7);
  return goTargetFor(arch, arch === 'armhf' ? (Math.min(...goarms) as 6 | 7) : undefined);
}
