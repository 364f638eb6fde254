import { InputError } from '../../lab/errors';
import { Construct } from 'constructs';
import type { Arch } from '../../lab/model';
import { createReleaseStep, UpstreamTreeSource } from '../bosh/release-step';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import { blobPathOf, renderPrebuiltPackage, type PrebuiltFile } from './prebuilt-package';
import { AddPackage, OverlayEdit, OverlayUpstream, overlayReleaseVersion, renderOverlay, ReleaseOverlay } from './overlay';

/** The cross-compiled ARM packages of one arch, as the lifecycle work hands them over. */
export interface ArmPackageSet {
  readonly arch: Arch;
  /** BOSH package names. */
  readonly packages: readonly string[];
  /** The package that holds the buildpack lifecycle bundle. */
  readonly bundlePackage: string;
  /** Package name -> the step that built it. */
  readonly packageSteps: ReadonlyMap<string, PlanStep>;
  /** Package name -> its built files, relative to that step's out dir (installed under their base names). */
  readonly builtFiles: ReadonlyMap<string, readonly string[]>;
}

export interface ControlPlaneDiegoVariantProps {
  /** Final name of the release, e.g. diego-pi-lab-cp: never `diego`, so it cannot pass for upstream. */
  readonly releaseName: string;
  readonly upstream: OverlayUpstream;
  readonly upstreamTree: UpstreamTreeSource;
  readonly armPackages: readonly ArmPackageSet[];
  /**
   * Upstream job that serves lifecycle bundles.
   * @default 'file_server' (diego-release's)
   */
  readonly fileServerJob?: string;
  /**
   * File name of the buildpack lifecycle bundle inside its package.
   * @default 'buildpack_app_lifecycle.tgz'
   */
  readonly bundleFile?: string;
  /** Artifact directory for overlay.json. */
  readonly artifactDir: string;
}

/**
 * The control-plane (vSphere, x86) Diego release: upstream diego-release plus the ARM lifecycle,
 * healthcheck and diego-sshd packages, added to the file_server job so cells can download the ARM
 * bundle from `<bundlePackage>/<bundleFile>`. The ARM packages carry the binaries the plan built and
 * tested as blobs (their packaging only installs them). Everything else stays as upstream has it.
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
    const blobs: Array<{ file: string; blobPath: string }> = [];
    const builders = new Set<PlanStep>();
    for (const set of sets) {
      if (!set.packages.includes(set.bundlePackage)) {
        throw InputError.ofConstruct(this.node.path, `armPackages[${set.arch}].bundlePackage`, set.bundlePackage, `one of its packages (${set.packages.join(', ')})`);
      }
      for (const name of [...set.packages].sort()) {
        const step = set.packageSteps.get(name);
        const built = set.builtFiles.get(name) ?? [];
        if (!step || built.length === 0) throw InputError.ofConstruct(this.node.path, `armPackages[${set.arch}].packages`, `${name} without a step or built files`, 'every package built by a plan step');
        if (adds.some((a) => a.name === name)) throw InputError.ofConstruct(this.node.path, `armPackages[${set.arch}].packages`, `${name} a second time`, 'each ARM package once');
        const files: PrebuiltFile[] = built.map((from) => ({ from, installAs: from.split('/').pop() as string }));
        const rendered = renderPrebuiltPackage(set.arch, name, files);
        const from = `${props.artifactDir}/packages/${name}`;
        store.add(`${from}/spec`, rendered.spec);
        store.add(`${from}/packaging`, rendered.packaging, 0o755);
        adds.push({ op: 'add-package', name, from });
        for (const f of files) blobs.push({ file: `${step.outDir}/${f.from}`, blobPath: blobPathOf(set.arch, name, f) });
        builders.add(step);
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
    // The blobs' bytes are only known after the build: the builders' triggers stand for them.
    const builtDigest = [...builders].map((b) => `${b.stepId}=${b.trigger}`).sort().join('\n');
    this.version = overlayReleaseVersion(props.upstream.version, edits, packageDirs.length > 0 ? `${store.digest(packageDirs)}\n${builtDigest}` : '');
    this.overlay = { format: 1, variant: 'control-plane', upstream: props.upstream, release: { name: this.releaseName, version: this.version }, edits };
    this.overlayPath = store.add(`${props.artifactDir}/overlay.json`, renderOverlay(this.overlay));
    this.servedBundles = bundles;

    this.step = createReleaseStep(this, 'create', {
      description: `bosh create-release ${this.releaseName}/${this.version} (upstream ${props.upstream.release} ${props.upstream.version} + ARM lifecycle packages)`,
      source: { kind: 'overlay', overlay: this.overlayPath, upstream: props.upstreamTree },
      name: this.releaseName,
      version: this.version,
      inputs: [this.overlayPath, ...packageDirs],
      blobs,
      providesKey: 'diego-control-plane-release',
      dependsOn: [...builders].sort((a, b) => (a.stepId < b.stepId ? -1 : 1)),
    });
  }
}
