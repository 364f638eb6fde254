/**
 * The cell (Raspberry Pi) Diego release: only the jobs a cell runs, every Go package rebuilt for the
 * cells' arch.
 *
 * Compile mode: cross-compiled on x86 compile VMs (GOOS=linux GOARCH=arm GOARM=7 or GOARCH=arm64,
 * CGO_ENABLED=0), like upstream builds windows_app_lifecycle with GOOS=windows on Linux. Native ARM
 * compilation is not offered: upstream's Go toolchain package (golang-1.23-linux, vendored from
 * golang-release) is an amd64 toolchain, and a Pi is a slow compile VM. Cross-compiled output does not
 * depend on the compiling host, so BOSH may reuse the packages compiled for the stemcell os/version on
 * the x86 compilation VMs for the Pi cells. The Go toolchain package stays x86: it is a compile-time
 * dependency and never installed on a cell.
 *
 * Not Go and not rebuilt: pid_utils (shell) and proxy, which upstream ships as a prebuilt amd64 envoy
 * blob; Pi cells must run with the rep's container proxy disabled (or get an ARM envoy blob).
 */
import { Construct } from 'constructs';
import type { Arch, GoTarget } from '../../lab/model';
import { createReleaseStep, UpstreamTreeSource } from '../bosh/release-step';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import { CELL_GO_PACKAGES, GoPackageBuild, renderGoCrossPackaging } from './go-packaging';
import { OverlayEdit, OverlayUpstream, overlayReleaseVersion, renderOverlay, ReleaseOverlay } from './overlay';

/** How the cell variant's Go packages are compiled; recorded so manifests can place compilation VMs. */
export type CellCompileMode = 'cross-x86';

/** Upstream jobs a Diego cell runs besides garden (its own release) and the rootfs setup job. */
export const CELL_JOBS: readonly string[] = ['rep', 'route_emitter'];

/** Upstream's Linux Go toolchain package at the pinned diego-release version. */
export const UPSTREAM_GOLANG_PACKAGE = 'golang-1.23-linux';

export interface CellDiegoVariantProps {
  /** Final name, e.g. diego-pi-lab-cell-armhf. */
  readonly releaseName: string;
  readonly upstream: OverlayUpstream;
  readonly upstreamTree: UpstreamTreeSource;
  readonly arch: Arch;
  readonly target: GoTarget;
  readonly jobs?: readonly string[];
  readonly goPackages?: readonly GoPackageBuild[];
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
    const golangPackage = props.golangPackage ?? UPSTREAM_GOLANG_PACKAGE;
    const builds = [...(props.goPackages ?? CELL_GO_PACKAGES)].sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0));
    this.jobs = [...(props.jobs ?? CELL_JOBS)];
    this.arch = props.arch;
    this.target = props.target;

    const packagingPaths: string[] = [];
    const retargets: OverlayEdit[] = builds.map((b) => {
      const path = store.add(`${props.artifactDir}/packaging/${b.package}`, renderGoCrossPackaging(b, props.target, golangPackage));
      packagingPaths.push(path);
      return { op: 'retarget-go-package', package: b.package, golangPackage, packaging: path, mainPackages: b.binaries.map((x) => x.importPath) };
    });
    const edits: OverlayEdit[] = [
      { op: 'set-final-name', name: props.releaseName },
      { op: 'keep-jobs', jobs: this.jobs },
      ...retargets,
      { op: 'check-go-retargeted' },
    ];
    this.releaseName = props.releaseName;
    this.version = overlayReleaseVersion(props.upstream.version, edits, packagingPaths.length > 0 ? store.digest(packagingPaths) : '');
    this.overlay = { format: 1, variant: `cell-${props.arch}`, upstream: props.upstream, release: { name: this.releaseName, version: this.version }, edits };
    this.overlayPath = store.add(`${props.artifactDir}/overlay.json`, renderOverlay(this.overlay));

    this.step = createReleaseStep(this, 'CreateRelease', {
      description: `bosh create-release ${this.releaseName}/${this.version} (${this.jobs.join(', ')} of ${props.upstream.release} ${props.upstream.version}, Go cross-compiled for ${props.arch})`,
      source: { kind: 'overlay', overlay: this.overlayPath, upstream: props.upstreamTree },
      name: this.releaseName,
      version: this.version,
      inputs: [this.overlayPath, ...packagingPaths],
      providesKey: `diego-cell-release/${props.arch}`,
    });
  }
}
