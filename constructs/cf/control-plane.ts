import type { GoPatchOp } from '../bosh/ops-file';
import { applyOps } from '../bosh/go-patch';
import { cellAliasOps, CellGroupRef } from './cell-dns';
import { ControlPlanePlacement, controlPlanePlacementOps } from './control-plane-placement';
import { ReleaseRef, releaseSwapOps } from './diego-swap';
import { CcBuildpack, installBuildpackOps } from './install-buildpacks';
import { CcStack, stackWiringOps } from './stack-wiring';

export interface ControlPlaneOpsProps {
  /** The cf-deployment manifest, or its profile: both give the same ops. */
  readonly base: unknown;
  readonly stacks: readonly CcStack[];
  /** The control-plane Diego variant that replaces upstream `diego`. */
  readonly diego: ReleaseRef;
  /** Cell instance groups deployed separately, which the auctioneer must resolve. */
  readonly cellGroups: readonly CellGroupRef[];
  /**
   * The lab's network, AZs and stemcell for the control plane.
   * @default undefined (no 10-use-lab-placement.yml: cf-deployment's network, AZs and stemcell stay)
   */
  readonly placement?: ControlPlanePlacement;
  /**
   * The ARM stacks' buildpack releases Cloud Controller installs at deploy.
   * @default [] (no 50-install-arm-buildpacks.yml)
   */
  readonly buildpacks?: readonly CcBuildpack[];
}

/** One generated ops-file: a file name (its place in `-o` order) and its operations. */
export interface OpsFile {
  readonly file: string;
  readonly ops: readonly GoPatchOp[];
}

/**
 * The ops-files that turn cf-deployment into our control plane, in the order `bosh deploy -o` applies
 * them. Each is independent of the others, so any subset also applies cleanly.
 */
export function controlPlaneOpsFiles(p: ControlPlaneOpsProps): OpsFile[] {
  return [
    ...(p.placement ? [{ file: '10-use-lab-placement.yml', ops: controlPlanePlacementOps(p.base, p.placement) }] : []),
    { file: '20-add-stacks.yml', ops: stackWiringOps(p.base, p.stacks) },
    { file: '30-use-diego-control-plane-variant.yml', ops: releaseSwapOps(p.base, 'diego', p.diego) },
    // After the placement ops: these targets name the cells' network, which must not be retargeted.
    ...(p.cellGroups.length > 0 ? [{ file: '40-add-cell-dns-aliases.yml', ops: cellAliasOps(p.base, p.cellGroups) }] : []),
    ...(p.buildpacks && p.buildpacks.length > 0 ? [{ file: '50-install-arm-buildpacks.yml', ops: installBuildpackOps(p.base, p.buildpacks) }] : []),
  ];
}

/** The base with every ops-file applied: what the director deploys (and what the checks read). */
export function applyOpsFiles(base: unknown, files: readonly OpsFile[]): unknown {
  return files.reduce((doc, f) => applyOps(doc, f.ops, f.file), base);
}
