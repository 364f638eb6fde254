/**
 * The cell (Raspberry Pi) Diego release: only the jobs a cell runs, every Go package rebuilt for the
 * cells' arch.
 *
 * Compile mode: a director would compile these packages on VMs booted from the cells' ARM stemcell,
 * where upstream's amd64 Go package (golang-1.23-linux) cannot run. So the cells get this release
 * compiled here for their stemcell (stacks/parts/compiled.ts, pipelines/compile-release.mjs): each
 * packaging script runs with an emulated golang package that cross-compiles for the stemcell's arch, and
 * the Go toolchain, a compile-time dependency, is never shipped.
 *
 * Not Go and not rebuilt: pid_utils (shell). proxy, upstream's prebuilt amd64 envoy blob, is dropped
 * from the rep job: Pi cells run with the rep's container proxy disabled.
 */
import { Construct } from 'constructs';
import type { Arch } from '../../lab/model';
import { createReleaseStep, UpstreamTreeSource } from '../bosh/release-step';
import { checkTarget, DEFAULT_GOLANG_PACKAGE, DEFAULT_MODULE_DIR, renderPackagingScript, validateBinaries, type GoTarget } from '../golang';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import { CELL_GO_PACKAGES, type GoPackageBuild } from './go-packaging';
import { CELL_PATCHES, cellPatchText } from './cell-patches';
import { OverlayEdit, OverlayUpstream, overlayReleaseVersion, renderOverlay, ReleaseOverlay, type RetargetGoPackage } from './overlay';

/** How the cell variant's Go packages are compiled; recorded so manifests can place compilation VMs. */
export type CellCompileMode = 'cross-x86';

/** Upstream jobs a Diego cell runs besides garden (its own release) and the rootfs setup job. */
export const CELL_JOBS: readonly string[] = ['rep', 'route_emitter'];

/** Packages the cell variant's rep job does not ship: proxy (envoy) exists upstream for x86 only. */
export const CELL_DROPPED_REP_PACKAGES: readonly string[] = ['proxy'];

export interface CellDiegoVariantProps {
  /** Final name, e.g. diego-pi-lab-cell-armhf. */
  readonly releaseName: string;
  readonly upstream: OverlayUpstream;
  readonly upstreamTree: UpstreamTreeSource;
  readonly arch: Arch;
  readonly target: GoTarget;
  /**
   * Upstream jobs the variant keeps.
   * @default CELL_JOBS (rep, route_emitter)
   */
  readonly jobs?: readonly string[];
  /**
   * The Go packages rebuilt for the target.
   * @default CELL_GO_PACKAGES
   */
  readonly goPackages?: readonly GoPackageBuild[];
  /**
   * Upstream's Go toolchain package the packaging scripts depend on.
   * @default DEFAULT_GOLANG_PACKAGE ('golang-1.23-linux', upstream's Linux Go package at the pinned diego-release)
   */
  readonly golangPackage?: string;
  /** Artifact directory for overlay.json and the generated packaging scripts. */
  readonly artifactDir: string;
}

export class CellDiegoVariant extends Construct {
  readonly releaseName: string;
  readonly version: string;
  readonly arch: Arch;
  readonly target: GoTarget;
  readonly compile: CellCompileMode = 'cross-x86';
  readonly jobs: readonly string[];
  readonly overlay: ReleaseOverlay;
  readonly overlayPath: string;
  readonly step: PlanStep;

  constructor(scope: Construct, id: string, props: CellDiegoVariantProps) {
    super(scope, id);
    const store = ArtifactStore.of(this);
    this.jobs = [...(props.jobs ?? CELL_JOBS)];
    this.arch = props.arch;
    this.target = checkTarget(`CellDiegoVariant ${props.releaseName}`, props.target);
    const retargets = this.retargetGoPackages(props);
    const patchEdits: OverlayEdit[] = CELL_PATCHES.map((p) => ({
      op: 'apply-patch',
      patch: store.add(`${props.artifactDir}/patches/${p.file}`, cellPatchText(p.file)),
      upstreamRef: p.upstreamRef,
      why: p.why,
    }));
    const packagingPaths = [...retargets.map((r) => r.packaging), ...patchEdits.map((e) => (e.op === 'apply-patch' ? e.patch : ''))];
    const edits: OverlayEdit[] = [
      { op: 'set-final-name', name: props.releaseName },
      // fidelity findings (docs/fidelity.md): upstream code that behaves otherwise on 32-bit ARM
      ...patchEdits,
      // proxy is upstream's prebuilt x86 envoy blob with no ARM build; the cells run the rep with
      // containers.proxy.enabled: false, so the rep job ships without it (and keep-jobs drops the package).
      { op: 'drop-job-packages', job: 'rep', dropPackages: CELL_DROPPED_REP_PACKAGES },
      { op: 'keep-jobs', jobs: this.jobs },
      ...retargets,
      { op: 'check-go-retargeted' },
    ];
    this.releaseName = props.releaseName;
    this.version = overlayReleaseVersion(props.upstream.version, edits, packagingPaths.length > 0 ? store.digest(packagingPaths) : '');
    this.overlay = { format: 1, variant: `cell-${props.arch}`, upstream: props.upstream, release: { name: this.releaseName, version: this.version }, edits };
    this.overlayPath = store.add(`${props.artifactDir}/overlay.json`, renderOverlay(this.overlay));

    this.step = createReleaseStep(this, 'create', {
      description: `bosh create-release ${this.releaseName}/${this.version} (${this.jobs.join(', ')} of ${props.upstream.release} ${props.upstream.version}, Go cross-compiled for ${props.arch})`,
      source: { kind: 'overlay', overlay: this.overlayPath, upstream: props.upstreamTree },
      name: this.releaseName,
      version: this.version,
      inputs: [this.overlayPath, ...packagingPaths],
      providesKey: `diego-cell-release/${props.arch}`,
    });
  }

  /**
   * One retarget edit per Go package, its packaging script rendered by constructs/golang (the same
   * renderer, and ELF check, as the lifecycle packages), in package order.
   */
  private retargetGoPackages(props: CellDiegoVariantProps): RetargetGoPackage[] {
    const store = ArtifactStore.of(this);
    const golangPackage = props.golangPackage ?? DEFAULT_GOLANG_PACKAGE;
    const builds = [...(props.goPackages ?? CELL_GO_PACKAGES)].sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0));
    return builds.map((b) => {
      validateBinaries(`CellDiegoVariant ${props.releaseName} ${b.package}`, b.binaries, [DEFAULT_MODULE_DIR]);
      const script = renderPackagingScript({
        packageName: b.package,
        generator: 'CellDiegoVariant',
        golangPackage,
        moduleDir: DEFAULT_MODULE_DIR,
        target: this.target,
        binaries: b.binaries,
        installDir: b.installDir,
      });
      const packaging = store.add(`${props.artifactDir}/packaging/${b.package}`, script);
      return { op: 'retarget-go-package', package: b.package, golangPackage, packaging, mainPackages: b.binaries.map((x) => x.importPath) };
    });
  }
}
