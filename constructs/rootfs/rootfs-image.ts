import { createHash } from 'node:crypto';
import { OUTPUT_FILES, PROVIDES } from '../../contracts/provides.cjs';
import { Image } from '@cdktf/provider-docker/lib/image';
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import { ArtifactStore } from '../plan/artifacts';
import { PlanStep, type StepNeed } from '../plan/plan-step';
import type { Arch, RootfsBase } from '../../lab/model';
import { dockerPlatformFor } from '../../lab/model';
import { InputError } from '../../lab/errors';
import { baseRecipeOf, type BaseRecipe } from './base-recipe';
import { renderImageContext } from './image-context';
import { localeGenLines } from './locales';
import { pinPackages } from './package-pins';

/** Image label carrying the image trigger, so the export can tell it has the image this plan built. */
export const IMAGE_TRIGGER_LABEL = 'org.stack-elevator.trigger';

/** uid/gid of `vcap` in cflinuxfs3/4: apps, droplets and buildpacks assume them. */
export const VCAP_ID = 2000;

/** A fixed default epoch (2025-05-20T00:00:00Z) so two synths of one lab render identical contexts. */
export const DEFAULT_SOURCE_DATE_EPOCH = 1747699200;

export interface RootfsImageProps {
  /** Stack name, e.g. rpifs: names the image, the tarball and (downstream) the BOSH release. */
  readonly stack: string;
  readonly arch: Arch;
  readonly base: RootfsBase;
  /** Debian package names installed with --no-install-recommends. */
  readonly packages: readonly string[];
  /**
   * Version pins (name -> version) applied to `packages`, usually from lab.lock.json.
   * @default {} (no pins: apt installs the candidate version)
   */
  readonly pinnedVersions?: Readonly<Record<string, string>>;
  /** Locale names (`en_US.UTF-8`, or bare `af_ZA` as in cflinuxfs4's list). */
  readonly locales: readonly string[];
  /**
   * uid of the `vcap` user.
   * @default VCAP_ID (2000, as in cflinuxfs4)
   */
  readonly vcapUid?: number;
  /**
   * gid of the `vcap` group.
   * @default VCAP_ID (2000, as in cflinuxfs4)
   */
  readonly vcapGid?: number;
  /**
   * PEM CA certificates added to the image's trust store at build time.
   * @default [] (no extra CAs; the Dockerfile gets no certificate step)
   */
  readonly trustedCaCerts?: readonly string[];
  /**
   * Clamp for every timestamp in the image and the tarball.
   * @default DEFAULT_SOURCE_DATE_EPOCH (1747699200, 2025-05-20T00:00:00Z)
   */
  readonly sourceDateEpoch?: number;
  /**
   * Artifact directory of the build context.
   * @default `rootfs/<stack>/image`
   */
  readonly contextDir?: string;
  /**
   * Network of the build's RUN steps. `host` because the engines this runs on often have no bridge NAT
   * (dockerd --iptables=false); a lab with a normal engine can say `default`.
   * @default 'host'
   */
  readonly buildNetwork?: string;
  /**
   * Build the image as a `docker_image` of the kreuzwerker/docker provider at deploy, after a plan
   * step that bootstraps the base. Off: one plan step (build-rootfs) builds base and image, for labs
   * whose `terraform init` cannot get the provider.
   * @default true
   */
  readonly declareImage?: boolean;
}

/**
 * A CF stack root filesystem as a Docker image for an ARM platform: renders the build context, declares
 * the `docker_image` Terraform tracks, and adds the plan steps that build it with the Docker Engine
 * (build-rootfs) and turn it into a reproducible tarball (export-rootfs).
 */
export class RootfsImage extends Construct {
  readonly stack: string;
  readonly platform: string;
  readonly base: BaseRecipe;
  /** Local tag of the built image, content-addressed by the build context and arguments. */
  readonly imageTag: string;
  readonly contextDir: string;
  /** The image the provider builds at deploy, when declared. */
  readonly image?: Image;
  /** sha256 of what the image is built from (context, arguments, base step); also an image label. */
  readonly imageTrigger?: string;
  /** The base image when the provider builds the image, else the whole build. */
  readonly buildStep: PlanStep;
  /** With the provider: the package list checked against the base before the image build. */
  readonly packagesStep?: PlanStep;
  readonly exportStep: PlanStep;
  /** Normalized rootfs tarball, relative to the project root. */
  readonly tarballPath: string;

  constructor(scope: Construct, id: string, props: RootfsImageProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.stack)) {
      throw InputError.ofConstruct(this.node.path, 'stack', `'${props.stack}'`, 'a stack name of lower-case letters, digits and dashes', 'rename the stack (stacks[].name in the lab)');
    }
    const epoch = props.sourceDateEpoch ?? DEFAULT_SOURCE_DATE_EPOCH;
    const network = props.buildNetwork ?? 'host';
    this.stack = props.stack;
    this.platform = dockerPlatformFor(props.arch);
    this.base = baseRecipeOf(props.base, props.arch, epoch);
    this.contextDir = props.contextDir ?? `rootfs/${props.stack}/image`;
    const buildArgs = { BASE_IMAGE: this.base.tag, SOURCE_DATE_EPOCH: String(epoch) };
    const build: ImageBuild = { epoch, network, buildArgs, identity: this.renderContext(props, buildArgs, network) };
    this.imageTag = `stack-elevator/${props.stack}:${build.identity.slice(0, 16)}`;

    if (props.declareImage ?? true) {
      const provider = this.addProviderBuild(props, build);
      this.buildStep = provider.baseStep;
      this.packagesStep = provider.packagesStep;
      this.imageTrigger = provider.imageTrigger;
      this.image = provider.image;
    } else {
      this.buildStep = new PlanStep(this, 'build', {
        script: 'build-rootfs',
        description: `build the ${props.stack} image for ${this.platform} with the Docker Engine`,
        args: { ...this.stepArgs(props, epoch), network, tag: this.imageTag },
        inputs: [this.contextDir],
        needs: this.buildNeeds(),
      });
    }
    this.exportStep = this.addExport(props, epoch);
    this.tarballPath = `${this.exportStep.outDir}/${OUTPUT_FILES.rootfsTarball}`;
  }

  /**
   * Adds the build context to the artifacts and returns its identity: the sha256 the image tag is
   * addressed by, so a changed recipe never overwrites (or reuses) the image of another one.
   */
  private renderContext(props: RootfsImageProps, buildArgs: ImageBuild['buildArgs'], network: string): string {
    const store = ArtifactStore.of(this);
    const context = renderImageContext({
      stack: props.stack,
      platform: this.platform,
      base: this.base,
      packages: pinPackages(props.packages, props.pinnedVersions),
      localeGen: localeGenLines(props.locales, this.node.path),
      vcapUid: props.vcapUid ?? VCAP_ID,
      vcapGid: props.vcapGid ?? VCAP_ID,
      trustedCaCerts: props.trustedCaCerts ?? [],
    });
    for (const [rel, f] of context) store.add(`${this.contextDir}/${rel}`, f.content, f.mode);
    return createHash('sha256')
      .update(JSON.stringify({ context: store.digest([this.contextDir]), platform: this.platform, buildArgs, network }))
      .digest('hex');
  }

  private buildNeeds(): StepNeed[] {
    return this.base.kind === 'mmdebstrap' ? ['docker', 'qemu', 'mmdebstrap'] : ['docker', 'qemu'];
  }

  private stepArgs(props: RootfsImageProps, epoch: number): Record<string, string> {
    return { context: this.contextDir, platform: this.platform, 'source-date-epoch': String(epoch), stack: props.stack };
  }

  /** The provider builds the image; the base (mmdebstrap under qemu, cached) is something it cannot do. */
  private addProviderBuild(props: RootfsImageProps, build: ImageBuild): { baseStep: PlanStep; packagesStep: PlanStep; imageTrigger: string; image: Image } {
    const baseStep = new PlanStep(this, 'bootstrap', {
      script: 'build-rootfs',
      description: `bootstrap the ${props.stack} base image for ${this.platform}`,
      args: { ...this.stepArgs(props, build.epoch), 'base-only': 'true' },
      inputs: [`${this.contextDir}/base.json`],
      needs: this.buildNeeds(),
    });
    // The provider's BuildKit error names only the failing RUN, never the package: check the list first.
    const packagesStep = new PlanStep(this, 'check', {
      script: 'check-rootfs-packages',
      description: `check that apt can install the ${props.stack} package list in the base`,
      args: { context: this.contextDir, network: build.network, platform: this.platform, stack: props.stack },
      inputs: [`${this.contextDir}/packages.txt`],
      dependsOn: [baseStep],
      needs: ['docker', 'qemu'],
    });
    const imageTrigger = createHash('sha256').update(`image ${build.identity}\nafter ${packagesStep.trigger}\n`).digest('hex');
    const image = new Image(this, 'image', {
      name: this.imageTag,
      keepLocally: true,
      platform: this.platform,
      triggers: { image_trigger: imageTrigger },
      buildAttribute: {
        context: `artifacts/${this.contextDir}`,
        dockerfile: 'Dockerfile',
        platform: this.platform,
        buildArgs: build.buildArgs,
        networkMode: build.network,
        forceRemove: true,
        labels: { [IMAGE_TRIGGER_LABEL]: imageTrigger },
      },
      // A whole package list under qemu takes a while; the provider's default would cut it off.
      timeouts: { create: '90m', update: '90m' },
      dependsOn: [packagesStep.resource],
    });
    return { baseStep, packagesStep, imageTrigger, image };
  }

  private addExport(props: RootfsImageProps, epoch: number): PlanStep {
    const step = new PlanStep(this, 'export', {
      script: 'export-rootfs',
      description: `export the ${props.stack} image to a reproducible rootfs tarball`,
      args: {
        image: this.imageTag,
        platform: this.platform,
        'source-date-epoch': String(epoch),
        stack: props.stack,
        ...(this.imageTrigger ? { 'image-trigger': this.imageTrigger } : {}),
      },
      provides: { [PROVIDES.rootfsTarball(props.stack)]: OUTPUT_FILES.rootfsTarball },
      dependsOn: [this.packagesStep ?? this.buildStep],
      needs: ['docker'],
    });
    // depends_on wants a bare reference: dependable() renders `docker_image.x`, fqn would be `${...}`.
    if (this.image) step.resource.dependsOn = [...(step.resource.dependsOn ?? []), dependable(this.image)];
    return step;
  }
}

/** What the image build is made of, besides the context files. */
interface ImageBuild {
  readonly epoch: number;
  readonly network: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** sha256 of the context, platform, build args and network. */
  readonly identity: string;
}
