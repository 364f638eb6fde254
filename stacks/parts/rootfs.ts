import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import type { Construct } from 'constructs';
import type { PlanStep } from '../../constructs/plan';
import { DEFAULT_SOURCE_DATE_EPOCH, pinsFromLock, RootfsImage, RootfsRelease } from '../../constructs/rootfs';
import type { LabContext } from '../context';

/** Per lab stack: the rootfs BOSH release the cells deploy. */
export interface RootfsPart {
  readonly stack: string;
  readonly releaseName: string;
  /** Dev release version the step creates (content-addressed), for the cells manifest's releases block. */
  readonly version: string;
  /** Step that leaves `<out>/<release>.tgz` (bosh create-release --tarball). */
  readonly releaseStep: PlanStep;
  /** `<out>/<release>.tgz` relative to the project root. */
  readonly releaseTarball: string;
  /** Job name of the rootfs-setup job, e.g. rpifs-rootfs-setup. */
  readonly setupJob: string;
  /** Job property for extra CAs, e.g. rpifs-rootfs.trusted_certs. */
  readonly certsProperty: string;
}

/** lab.lock.json tools key pinning the kreuzwerker/docker version that `terraform init` installs. */
export const DOCKER_PROVIDER_TOOL = 'terraform-provider-docker';

export function addRootfs(ctx: LabContext): ReadonlyMap<string, RootfsPart> {
  const parts = new Map<string, RootfsPart>();
  // The docker_image resource needs the kreuzwerker/docker provider at `terraform init`; a lab whose
  // lock pins it (the default lab does: npm run setup builds it into Terraform's implied local mirror)
  // gets the image built by the provider. A lock without the pin keeps the plan terraform_data only,
  // initializable with no provider at all, and a plan step builds the image.
  const declareImage = ctx.lock.tools[DOCKER_PROVIDER_TOOL] !== undefined;
  if (declareImage && ctx.lab.stacks.length > 0) ensureDockerProvider(ctx.scope);
  for (const spec of ctx.lab.stacks) {
    const lock = ctx.lock.rootfs[spec.name];
    const epoch = lock?.sourceDateEpoch;
    const image = new RootfsImage(ctx.scope, `rootfs-${spec.name}`, {
      stack: spec.name,
      arch: spec.arch,
      base: spec.base,
      packages: spec.packages,
      pinnedVersions: pinsFromLock(spec.name, lock),
      locales: spec.locales,
      sourceDateEpoch: typeof epoch === 'number' ? epoch : DEFAULT_SOURCE_DATE_EPOCH,
      declareImage,
    });
    const release = new RootfsRelease(ctx.scope, `rootfs-release-${spec.name}`, {
      stack: spec.name,
      tarballStep: image.exportStep,
      tarballPath: image.tarballPath,
    });
    parts.set(spec.name, {
      stack: spec.name,
      releaseName: release.releaseName,
      version: release.version,
      releaseStep: release.step,
      releaseTarball: release.releaseTarball,
      setupJob: release.jobName,
      certsProperty: release.certsProperty,
    });
  }
  return parts;
}

/** One docker provider per Terraform stack, configured from DOCKER_HOST like the docker CLI. */
function ensureDockerProvider(scope: Construct): void {
  if (scope.node.tryFindChild('docker') === undefined) new DockerProvider(scope, 'docker', {});
}
