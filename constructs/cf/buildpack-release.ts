import { createHash } from 'node:crypto';
import { PROVIDES } from '../../contracts/provides.cjs';
import { Construct } from 'constructs';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import { createReleaseStep, releaseTarballPath } from '../bosh/release-step';
import { buildpackBlobPath, renderBuildpackReleaseFiles } from './buildpack-release-files';

export interface BuildpackReleaseProps {
  /** The stack whose buildpack it is. */
  readonly stack: string;
  /** Release, package and job name, e.g. binary-buildpack-rpifs. */
  readonly name: string;
  /** The buildpack's own version (the upstream tag, e.g. v1.1.27): the release version starts with it. */
  readonly buildpackVersion: string;
  /** The step that builds the zip. */
  readonly zipStep: PlanStep;
  /** The zip, relative to the project root (inside zipStep's out dir). */
  readonly zipPath: string;
  /**
   * Release directory under artifacts/.
   * @default `buildpacks/<name>/release`
   */
  readonly releaseDir?: string;
}

/**
 * The BOSH release Cloud Controller installs a stack's ARM binary buildpack from (cf-deployment's
 * windows2019-cell.yml precedent: binary-buildpack-windows), and the plan step that adds the zip as a
 * blob and runs `bosh create-release --force --tarball`. The version holds the buildpack's version and a
 * hash of the release dir and the zip step's trigger, so a new zip is a new release version.
 */
export class BuildpackRelease extends Construct {
  readonly stack: string;
  readonly releaseName: string;
  readonly packageName: string;
  readonly jobName: string;
  readonly version: string;
  readonly releaseDir: string;
  readonly step: PlanStep;
  /** `<out>/<name>-<version>.tgz`, relative to the project root. */
  readonly releaseTarball: string;

  constructor(scope: Construct, id: string, props: BuildpackReleaseProps) {
    super(scope, id);
    this.stack = props.stack;
    this.releaseName = props.name;
    this.packageName = props.name;
    this.jobName = props.name;
    this.releaseDir = props.releaseDir ?? `buildpacks/${props.name}/release`;
    const store = ArtifactStore.of(this);
    for (const [rel, f] of renderBuildpackReleaseFiles({ name: props.name, stack: props.stack })) store.add(`${this.releaseDir}/${rel}`, f.content, f.mode);
    const identity = createHash('sha256').update(`${store.digest([this.releaseDir])}\n${props.zipStep.trigger}\n`).digest('hex');
    this.version = `${props.buildpackVersion.replace(/^v/, '')}+arm.${identity.slice(0, 12)}`;
    this.step = createReleaseStep(this, 'create', {
      description: `bosh create-release ${props.name}: the ${props.stack} binary buildpack zip as a package, for Cloud Controller's install_buildpacks`,
      source: { kind: 'release-dir', dir: { artifact: this.releaseDir } },
      name: this.releaseName,
      version: this.version,
      inputs: [this.releaseDir],
      blobs: [{ file: props.zipPath, blobPath: buildpackBlobPath(props.stack, props.buildpackVersion) }],
      dependsOn: [props.zipStep],
      providesKey: PROVIDES.buildpackRelease(props.stack),
    });
    this.releaseTarball = releaseTarballPath(this.step, this.releaseName, this.version);
  }
}
