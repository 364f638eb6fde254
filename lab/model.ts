import { CELL_ARCHES, HOST_ARCH, cellArch, cellArchNamed } from '../contracts/arches.cjs';
import type { GoTarget } from '../contracts/go-build-plan';
export type { GoTarget };

/**
 * The typed, frozen Lab: the single source of truth every construct reads.
 * Produced only by `loadLab` (lab/load.ts) after schema and cross-field validation.
 */

/** A cell arch: a key of the one per-arch table (contracts/arches.cjs). */
export type Arch = keyof typeof CELL_ARCHES;

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
  /**
   * Release, package and job name of the stack's ARM binary buildpack.
   * @default binary-buildpack-<stack> (buildpackPackageFor)
   */
  readonly buildpackPackage?: string;
}

/** The buildpack release/package/job name of a stack: the lab's buildpack_package, else binary-buildpack-<stack>, as upstream names binary-buildpack-cflinuxfs4. */
export function buildpackPackageFor(stack: Pick<StackSpec, 'name' | 'buildpackPackage'>): string {
  return stack.buildpackPackage ?? `binary-buildpack-${stack.name}`;
}

/** An isolation segment the plan makes exist (CF API v3), with its org entitlements and space assignments. */
export interface IsolationSegment {
  /** The segment's name: the placement tag Cloud Controller gives the work of its spaces. */
  readonly name: string;
  readonly orgs: readonly string[];
  readonly spaces: ReadonlyArray<{ readonly org: string; readonly space: string }>;
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
/** A release a cell runs beside the rep (bpm, garden-runc, loggregator-agent, bosh-dns), as the lab states it. */
export interface CellReleaseChoice {
  /**
   * A version other than the paired one (cf-deployment's, or the DNS runtime config's for bosh-dns).
   * @default undefined (the paired version)
   */
  readonly version?: string;
  /** Why the version differs; required with `version`. @default undefined */
  readonly reason?: string;
  /** The lab puts this release, compiled for every cell stemcell, on the director; the plan does not build it. */
  readonly supplied: boolean;
}

/** What the lab says about the cells' runtime releases, by BOSH release name (absent: paired and built). */
export type CellReleaseChoices = Readonly<Partial<Record<'bosh-dns' | 'bpm' | 'garden-runc' | 'loggregator-agent', CellReleaseChoice>>>;

/** The arch an os name states (debian-bookworm-armhf, ubuntu-noble-arm64, ...); undefined when it says none. */
export function stemcellArchOf(os: string): StemcellArch | undefined {
  const tokens = os.toLowerCase().split(/[-_.]/);
  for (const t of tokens) {
    const cell = cellArchNamed(t);
    if (cell) return cell;
  }
  if (tokens.some((t) => t === HOST_ARCH.debian || t === 'x86' || HOST_ARCH.aliases.includes(t))) return 'amd64';
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
  readonly cellReleases: CellReleaseChoices;
  /**
   * bosh-dns version of the director's DNS runtime config.
   * @default undefined (the one bosh-deployment paired with the lab's cf-deployment, when known)
   */
  readonly dnsRuntimeConfig?: { readonly boshDns: string };
  readonly cells: readonly Cell[];
  readonly networks: readonly Network[];
  readonly stemcells: readonly Stemcell[];
  /**
   * Isolation segments for the cells' placement tags.
   * @default [] (no placement tags: the stack alone keeps ARM apps on the Pis)
   */
  readonly isolationSegments?: readonly IsolationSegment[];
}

export function goTargetFor(arch: Arch, goarm?: 6 | 7): GoTarget {
  const f = cellArch(arch);
  return f.goarm !== undefined ? { goos: 'linux', goarch: f.goarch, goarm: goarm ?? f.goarm } : { goos: 'linux', goarch: f.goarch };
}

/** Docker platform string of an arch (what `docker build --platform` takes). */
export function dockerPlatformFor(arch: Arch): string {
  return cellArch(arch).platform;
}

/** Debian architecture name (mmdebstrap --arch). */
export function debianArchFor(arch: Arch): string {
  return cellArch(arch).debian;
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
