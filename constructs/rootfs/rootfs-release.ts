import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import { createReleaseStep, releaseTarballPath } from '../bosh/release-step';
import { renderRootfsReleaseFiles, rootfsBlobPath } from './release-files';

export interface RootfsReleaseProps {
  /** The lab's stack name: release, package and job are named after it. */
  readonly stack: string;
  /** The step that leaves the normalized rootfs tarball. */
  readonly tarballStep: PlanStep;
  /** The tarball, relative to the project root (inside tarballStep's out dir). */
  readonly tarballPath: string;
  /**
   * Release directory under artifacts/.
   * @default `rootfs/<stack>/release`
   */
  readonly releaseDir?: string;
  /**
   * Dev release version, unique per content.
   * @default `0.1.0+dev.<first 12 hex of the sha256 of the release dir and the tarball step's trigger>`
   */
  readonly version?: string;
}

/**
 * A BOSH release shaped like cflinuxfs4-release for an ARM stack, and the plan step that adds the
 * tarball as a blob and runs `bosh create-release --force --tarball`.
 */
export class RootfsRelease extends Construct {
  readonly releaseName: string;
  readonly version: string;
  readonly packageName: string;
  readonly jobName: string;
  /** Job property carrying extra CAs, like cflinuxfs4-rootfs.trusted_certs upstream. */
  readonly certsProperty: string;
  readonly releaseDir: string;
  readonly step: PlanStep;
  /** The release tarball, relative to the project root: `<out>/<release>.tgz`. */
  readonly releaseTarball: string;

  constructor(scope: Construct, id: string, props: RootfsReleaseProps) {
    super(scope, id);
    this.releaseName = props.stack;
    this.packageName = props.stack;
    this.jobName = `${props.stack}-rootfs-setup`;
    this.certsProperty = `${props.stack}-rootfs.trusted_certs`;
    this.releaseDir = props.releaseDir ?? `rootfs/${props.stack}/release`;

    const store = ArtifactStore.of(this);
    const files = renderRootfsReleaseFiles({ stack: props.stack, jobName: this.jobName, certsProperty: this.certsProperty });
    for (const [rel, f] of files) store.add(`${this.releaseDir}/${rel}`, f.content, f.mode);

    // A new rootfs or a changed job gets a new version, so uploading it never collides with an old one.
    const identity = createHash('sha256')
      .update(`${store.digest([this.releaseDir])}\n${props.tarballStep.trigger}\n`)
      .digest('hex');
    this.version = props.version ?? `0.1.0+dev.${identity.slice(0, 12)}`;

    this.step = createReleaseStep(this, 'create', {
      description: `bosh create-release the ${props.stack} rootfs release`,
      source: { kind: 'release-dir', dir: { artifact: this.releaseDir } },
      name: this.releaseName,
      version: this.version,
      inputs: [this.releaseDir],
      blobs: [{ file: props.tarballPath, blobPath: rootfsBlobPath(this.releaseName, this.version) }],
      dependsOn: [props.tarballStep],
    });
    this.releaseTarball = releaseTarballPath(this.step, this.releaseName, this.version);
  }
}
