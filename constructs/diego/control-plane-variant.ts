import { Construct } from 'constructs';
import type { Arch } from '../../lab/model';
import { createReleaseStep, UpstreamTreeSource } from '../bosh/release-step';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import { AddPackage, OverlayEdit, OverlayUpstream, overlayReleaseVersion, renderOverlay, ReleaseOverlay } from './overlay';

/** The cross-compiled ARM packages of one arch, as the lifecycle work hands them over. */
export interface ArmPackageSet {
  readonly arch: Arch;
  /** BOSH package names; each is a dir `<packagesArtifactDir>/<name>/` with spec and packaging. */
  readonly packages: readonly string[];
  /** The package that holds the buildpack lifecycle bundle. */
  readonly bundlePackage: string;
  readonly packagesArtifactDir: string;
}

export interface ControlPlaneDiegoVariantProps {
  /** Final name of the release, e.g. diego-pi-lab-cp: never `diego`, so it cannot pass for upstream. */
  readonly releaseName: string;
  readonly upstream: OverlayUpstream;
  readonly upstreamTree: UpstreamTreeSource;
  readonly armPackages: readonly ArmPackageSet[];
  /** Upstream job that serves lifecycle bundles (diego-release: file_server). */
  readonly fileServerJob?: string;
  /** File name of the buildpack lifecycle bundle inside its package. */
  readonly bundleFile?: string;
  /** Artifact directory for overlay.json. */
  readonly artifactDir: string;
}

/**
 * The control-plane (vSphere, x86) Diego release: upstream diego-release plus the ARM lifecycle,
 * healthcheck and diego-sshd packages, added to the file_server job so cells can download the ARM
 * bundle from `<bundlePackage>/<bundleFile>`. Everything else stays as upstream has it.
 */
export class ControlPlaneDiegoVariant extends Construct {
  readonly releaseName: string;
  readonly version: string;
  readonly overlay: ReleaseOverlay;
  readonly overlayPath: string;
  /** Per arch, the URL path the file server serves the ARM buildpack bundle at (what cc.diego.lifecycle_bundles gets). */
  readonly servedBundles: ReadonlyMap<Arch, string>;
  readonly step: PlanStep;

  constructor(scope: Construct, id: string, props: ControlPlaneDiegoVariantProps) {
    super(scope, id);
    const store = ArtifactStore.of(this);
    const fileServerJob = props.fileServerJob ?? 'file_server';
    const bundleFile = props.bundleFile ?? 'buildpack_app_lifecycle.tgz';
    const sets = [...props.armPackages].sort((a, b) => (a.arch < b.arch ? -1 : a.arch > b.arch ? 1 : 0));

    const adds: AddPackage[] = [];
    const bundles = new Map<Arch, string>();
    for (const set of sets) {
      if (!set.packages.includes(set.bundlePackage)) {
        throw new Error(`${this.node.path}: ${set.arch} bundle package ${set.bundlePackage} is not among its packages (${set.packages.join(', ')})`);
      }
      for (const name of [...set.packages].sort()) {
        const from = `${set.packagesArtifactDir}/${name}`;
        const files = store.filesUnder(from).map(([p]) => p);
        for (const f of ['spec', 'packaging']) {
          if (!files.includes(`${from}/${f}`)) throw new Error(`${this.node.path}: ARM package dir ${from} has no ${f}`);
        }
        if (adds.some((a) => a.name === name)) throw new Error(`${this.node.path}: ARM package ${name} is given twice`);
        adds.push({ op: 'add-package', name, from });
      }
      bundles.set(set.arch, `${set.bundlePackage}/${bundleFile}`);
    }

    const edits: OverlayEdit[] = [
      { op: 'set-final-name', name: props.releaseName },
      ...adds,
      ...(adds.length > 0 ? [{ op: 'patch-job-spec' as const, job: fileServerJob, addPackages: adds.map((a) => a.name) }] : []),
    ];
    const packageDirs = adds.map((a) => a.from);
    this.releaseName = props.releaseName;
    this.version = overlayReleaseVersion(props.upstream.version, edits, packageDirs.length > 0 ? store.digest(packageDirs) : '');
    this.overlay = { format: 1, variant: 'control-plane', upstream: props.upstream, release: { name: this.releaseName, version: this.version }, edits };
    this.overlayPath = store.add(`${props.artifactDir}/overlay.json`, renderOverlay(this.overlay));
    this.servedBundles = bundles;

    this.step = createReleaseStep(this, 'CreateRelease', {
      description: `bosh create-release ${this.releaseName}/${this.version} (upstream ${props.upstream.release} ${props.upstream.version} + ARM lifecycle packages)`,
      source: { kind: 'overlay', overlay: this.overlayPath, upstream: props.upstreamTree },
      name: this.releaseName,
      version: this.version,
      inputs: [this.overlayPath, ...packageDirs],
      // No dependency on the cross-compile step: the release carries specs and packaging scripts, not
      // binaries. The proof that they compile gates the director instead (director steps wait on the receipt).
    });
  }
}
