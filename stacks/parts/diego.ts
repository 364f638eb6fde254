import type { UpstreamTreeSource } from '../../constructs/bosh';
import { CellDiegoVariant, ControlPlaneDiegoVariant, type CellCompileMode, type OverlayUpstream } from '../../constructs/diego';
import type { PlanStep } from '../../constructs/plan';
import { LabError } from '../../lab/errors';
import type { Arch, GoTarget } from '../../lab/model';
import type { LabContext } from '../context';
import { diegoSourcePin, upstreamDirOf } from './diego-source';
import { cellTarget, type LifecyclePart } from './lifecycle';

export interface CellDiegoRelease {
  readonly releaseName: string;
  readonly version: string;
  readonly step?: PlanStep;
  readonly arch: Arch;
  readonly target: GoTarget;
  readonly compile: CellCompileMode;
  /** Upstream job names the release keeps (rep, route_emitter). */
  readonly jobs: readonly string[];
}

/** The two generated Diego releases. */
export interface DiegoPart {
  readonly controlPlane: {
    readonly releaseName: string;
    readonly version: string;
    readonly step?: PlanStep;
    /** Sorted URL paths the file server serves ARM bundles at, e.g. buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz. */
    readonly servedBundles: readonly string[];
    /** The same paths keyed by arch (additive). */
    readonly bundleByArch: ReadonlyMap<Arch, string>;
  };
  /** The cell release of the first cell arch (sorted); labs with one cell arch need nothing else. */
  readonly cell: CellDiegoRelease;
  /** One cell release per cell arch (additive). */
  readonly cellByArch: ReadonlyMap<Arch, CellDiegoRelease>;
}

export interface DiegoOptions {
  /**
   * Where the create-release steps get upstream diego-release. Default: the pinned source tree (the lock's
   * tarball or a tree with sources in the upstream dir, else a clone). A spec-only fixture only when asked.
   */
  readonly upstreamTree?: UpstreamTreeSource;
}


export function addDiegoVariants(ctx: LabContext, lifecycle: ReadonlyMap<Arch, LifecyclePart>, options: DiegoOptions = {}): DiegoPart {
  const { lab } = ctx;
  const upstream = diegoUpstream(ctx);
  const upstreamTree = options.upstreamTree ?? defaultUpstreamTree(ctx);
  const cellArchs = [...new Set(lab.cells.map((c) => c.arch))].sort();
  if (cellArchs.length === 0) throw new LabError(lab.file, 'cells', 'no cells', 'at least one cell for the cell Diego release');

  // Until the cross-compile part hands over packages (an empty map), the control-plane variant is
  // upstream renamed; once it does, every cell arch must be covered.
  if (lifecycle.size > 0) {
    for (const arch of cellArchs) {
      if (!lifecycle.has(arch)) throw new Error(`no cross-compiled lifecycle packages for cell arch ${arch} (stacks/parts/lifecycle.ts)`);
    }
  }
  const controlPlane = new ControlPlaneDiegoVariant(ctx.scope, 'Diego-ControlPlane', {
    releaseName: `diego-${lab.name}-cp`,
    upstream,
    upstreamTree,
    armPackages: [...lifecycle.values()],
    artifactDir: 'diego/control-plane',
  });
  checkStackBundles(ctx, controlPlane.servedBundles);

  const cellByArch = new Map<Arch, CellDiegoRelease>();
  for (const arch of cellArchs) {
    const target = cellTarget(ctx, arch);
    const variant = new CellDiegoVariant(ctx.scope, `Diego-Cell-${arch}`, {
      releaseName: `diego-${lab.name}-cell-${arch}`,
      upstream,
      upstreamTree,
      arch,
      target,
      artifactDir: `diego/cell-${arch}`,
    });
    cellByArch.set(arch, { releaseName: variant.releaseName, version: variant.version, step: variant.step, arch, target, compile: variant.compile, jobs: variant.jobs });
  }

  return {
    controlPlane: {
      releaseName: controlPlane.releaseName,
      version: controlPlane.version,
      step: controlPlane.step,
      servedBundles: [...controlPlane.servedBundles.values()].sort(),
      bundleByArch: controlPlane.servedBundles,
    },
    cell: cellByArch.get(cellArchs[0]) as CellDiegoRelease,
    cellByArch,
  };
}

/** The diego release cf-deployment pins (diego-version.ts), with what the lock records about its tree. */
function diegoUpstream(ctx: LabContext): OverlayUpstream {
  const pin = diegoSourcePin(ctx);
  return {
    release: pin.release,
    version: pin.version,
    repo: pin.repo,
    ...(pin.sha ? { sha: pin.sha } : {}),
    ...(pin.tarballSha256 ? { tarballSha256: pin.tarballSha256 } : {}),
    ...(pin.submodules ? { submodules: pin.submodules } : {}),
  };
}

/** The pinned source tree (tarball or tree in the upstream dir, else a clone); spec-only fixtures only when a test asks. */
function defaultUpstreamTree(ctx: LabContext): UpstreamTreeSource {
  return { kind: 'pinned', upstreamDir: upstreamDirOf(ctx) };
}

/** Each stack's lifecycle_bundle is what the Cloud Controller hands out: it must be what the file server serves. */
function checkStackBundles(ctx: LabContext, served: ReadonlyMap<Arch, string>): void {
  if (served.size === 0) return;
  ctx.lab.stacks.forEach((s, i) => {
    const bundle = served.get(s.arch);
    if (bundle !== undefined && bundle !== s.lifecycleBundle) {
      throw new LabError(ctx.lab.file, `stacks[${i}].lifecycle_bundle`, s.lifecycleBundle, `${bundle}, the path the control-plane file server serves the ${s.arch} bundle at`);
    }
  });
}
