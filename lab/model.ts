/**
 * The typed, frozen Lab: the single source of truth every construct reads.
 * Produced only by `loadLab` (lab/load.ts) after schema and cross-field validation.
 */

/** Cell/stack architectures stack-elevator can target. */
export type Arch = 'armhf' | 'arm64';

export interface MmdebstrapBase {
  readonly kind: 'mmdebstrap';
  readonly suite: string;
  readonly variant: 'minbase' | 'buildd' | 'essential' | 'apt' | 'required' | 'important' | 'standard';
  /** Extra packages baked into the base tarball (mmdebstrap --include). */
  readonly include: readonly string[];
}

export interface ImageBase {
  readonly kind: 'image';
  /** An image reference pullable from the lab's registry, pinned by digest in real labs. */
  readonly ref: string;
}

export type RootfsBase = MmdebstrapBase | ImageBase;

export interface StackSpec {
  readonly name: string;
  readonly description: string;
  readonly arch: Arch;
  readonly base: RootfsBase;
  /** Package names installed with --no-install-recommends, sorted and unique. */
  readonly packages: readonly string[];
  /** Where the package list came from (a path relative to the lab file, or 'inline'). */
  readonly packagesSource: string;
  readonly locales: readonly string[];
  /** URL path the file server serves the ARM buildpack lifecycle at, e.g. buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz */
  readonly lifecycleBundle: string;
}

export interface Network {
  readonly name: string;
  readonly cidr: string;
  readonly gateway: string;
  readonly dns: readonly string[];
  /** Inclusive static ranges ("a.b.c.d-a.b.c.e" or single IPs) BOSH may hand out as static IPs. */
  readonly static: readonly string[];
  readonly cloudProperties: Readonly<Record<string, unknown>>;
}

/** Architectures a stemcell can be for (the control plane's x86 ones included). */
export type StemcellArch = Arch | 'amd64';

export interface Stemcell {
  readonly alias: string;
  readonly os: string;
  readonly version: string;
  /** The lab's explicit `arch`, else what the os name tells (stemcellArchOf); undefined when neither does. */
  readonly arch?: StemcellArch;
}

/** A release the Pi cells need that the pipeline does not build; the lab supplies it compiled for each cell stemcell. */
export interface SuppliedRelease {
  readonly name: string;
  readonly version: string;
}

/** Releases of the cells' non-Diego jobs, by the job they provide. */
export interface CellReleases {
  readonly bpm: SuppliedRelease;
  readonly garden: SuppliedRelease;
  readonly loggregatorAgent: SuppliedRelease;
}

/** The arch an os name states (debian-bookworm-armhf, ubuntu-noble-arm64, ...); undefined when it says none. */
export function stemcellArchOf(os: string): StemcellArch | undefined {
  const tokens = os.toLowerCase().split(/[-_.]/);
  if (tokens.some((t) => t === 'armhf' || t === 'armv7' || t === 'armv7l')) return 'armhf';
  if (tokens.some((t) => t === 'arm64' || t === 'aarch64')) return 'arm64';
  if (tokens.some((t) => t === 'amd64' || t === 'x86' || t === 'x86_64')) return 'amd64';
  return undefined;
}

export interface Cell {
  readonly name: string;
  readonly arch: Arch;
  /** GOARM for armhf cells (6 or 7); undefined for arm64. */
  readonly goarm?: 6 | 7;
  readonly stack: string;
  readonly network: string;
  readonly ip: string;
  readonly az: string;
  readonly vmType: string;
  readonly stemcell: string;
  readonly placementTags: readonly string[];
}

export interface ControlPlane {
  /** BOSH deployment name of the vSphere control plane. */
  readonly deployment: string;
  /** 'cf-deployment': ops-files over upstream cf-deployment; 'interpolated': a full manifest rendered by us. */
  readonly mode: 'cf-deployment' | 'interpolated';
  readonly network: string;
  readonly az: string;
  readonly stemcell: string;
  readonly systemDomain: string;
}

export interface Director {
  readonly name: string;
  /** BOSH variable names that carry secrets; values only ever come from the environment or CredHub. */
  readonly variables: readonly string[];
}

export interface Upstream {
  readonly cfDeployment: string;
  readonly diegoRelease: string;
  readonly cflinuxfs4Release: string;
}

export interface Lab {
  /** Path of the lab file relative to the project root (for error messages and nothing else). */
  readonly file: string;
  readonly name: string;
  readonly director: Director;
  readonly upstream: Upstream;
  readonly stacks: readonly StackSpec[];
  readonly controlPlane: ControlPlane;
  readonly cellsDeployment: string;
  readonly cellReleases: CellReleases;
  readonly cells: readonly Cell[];
  readonly networks: readonly Network[];
  readonly stemcells: readonly Stemcell[];
}

/** Go target of a cell arch: the one target type of the Go packages (constructs/golang, and the cell Diego variant through it). */
export interface GoTarget {
  readonly goos: 'linux';
  readonly goarch: 'arm' | 'arm64';
  readonly goarm?: 6 | 7;
}

export function goTargetFor(arch: Arch, goarm?: 6 | 7): GoTarget {
  return arch === 'armhf' ? { goos: 'linux', goarch: 'arm', goarm: goarm ?? 7 } : { goos: 'linux', goarch: 'arm64' };
}

/** Docker platform string of an arch (what `docker build --platform` takes). */
export function dockerPlatformFor(arch: Arch): string {
  return arch === 'armhf' ? 'linux/arm/v7' : 'linux/arm64';
}

/** Debian architecture name (mmdebstrap --arch). */
export function debianArchFor(arch: Arch): string {
  return arch;
}

/** Default file-server package that carries an arch's buildpack lifecycle bundle. */
export function lifecyclePackageFor(arch: Arch): string {
  return `buildpack_app_lifecycle_${arch}`;
}

export function defaultLifecycleBundle(arch: Arch): string {
  return `${lifecyclePackageFor(arch)}/buildpack_app_lifecycle.tgz`;
}

/** Absolute path, on the cell, of a stack's preloaded rootfs (what the rep advertises). */
export function preloadedRootfsPath(stack: string): string {
  return `/var/vcap/packages/${stack}/rootfs.tar`;
}
