// The overlay.json shapes (constructs/diego/overlay.ts writes them, pipelines/lib/release/overlay.mjs applies them):
// types only, shared by both sides so that no step imports a construct file. docs/contracts.md.
import type { OVERLAY_FORMAT } from './overlay-format.cjs';
import type { SourcePin } from './go-build-plan';

export interface SetFinalName {
  readonly op: 'set-final-name';
  readonly name: string;
}

/** Adds a package dir (spec + packaging) from the artifacts dir; fails if upstream has that package. */
export interface AddPackage {
  readonly op: 'add-package';
  readonly name: string;
  /** Relative to the synth's artifacts/ directory. */
  readonly from: string;
}

/** Appends packages to a job spec's `packages:`; fails if the job is gone or already lists them. */
export interface PatchJobSpec {
  readonly op: 'patch-job-spec';
  readonly job: string;
  readonly addPackages: readonly string[];
}

/** Removes packages from a job spec's `packages:`; fails if the job no longer lists them. */
export interface DropJobPackages {
  readonly op: 'drop-job-packages';
  readonly job: string;
  readonly dropPackages: readonly string[];
}

/** Drops every other job and every package outside the kept jobs' dependency closure. */
export interface KeepJobs {
  readonly op: 'keep-jobs';
  readonly jobs: readonly string[];
}

/**
 * Replaces an upstream Go package's packaging with one that builds for another arch. Fails if the
 * package is gone, no longer depends on golangPackage, or no longer ships a main package's sources.
 */
export interface RetargetGoPackage {
  readonly op: 'retarget-go-package';
  readonly package: string;
  readonly golangPackage: string;
  /** Relative to the synth's artifacts/ directory. */
  readonly packaging: string;
  readonly mainPackages: readonly string[];
}

/** Fails if any remaining package depends on a golang-*-linux package and was not retargeted. */
export interface CheckGoRetargeted {
  readonly op: 'check-go-retargeted';
}

/**
 * Applies a unified diff (`patch -p1`, paths relative to the release root) to the copy. Fails naming
 * the patch and the files it touches when it no longer applies (a new upstream version).
 */
export interface ApplyPatch {
  readonly op: 'apply-patch';
  /** Relative to the synth's artifacts/ directory. */
  readonly patch: string;
  /** The upstream file:line the patch changes, e.g. `src/guardian/rundmc/nstar/nstar.c:83-97`. */
  readonly upstreamRef: string;
  /** Why the ARM build needs it (one line). */
  readonly why: string;
}

/** What upstream builds a package from and what the ARM build uses instead. */
export interface Substitution {
  readonly upstream: string;
  readonly arm: string;
  readonly why: string;
}

/**
 * Replaces a package's packaging script and `files:` with the ARM build's, for a package whose upstream
 * packaging cannot run for ARM (it builds C from blobs with the host compiler, or ships an x86 binary).
 * Fails if the package is gone; its dependencies stay upstream's.
 */
export interface ReplacePackage {
  readonly op: 'replace-package';
  readonly package: string;
  /** Relative to the synth's artifacts/ directory. */
  readonly packaging: string;
  /** The new spec `files:` (globs under src/ or blobs/), or null for upstream's. */
  readonly files: readonly string[] | null;
  /** The new spec `dependencies:` (build tools of the replaced build drop out), or null for upstream's. */
  readonly dependencies: readonly string[] | null;
  readonly substitution: Substitution;
}

/** A file an ARM package is built from instead of an upstream blob: pinned by sha256, fetched at step time. */
export type BlobSource =
  /** A source tarball in the upstream directory (STACK_ELEVATOR_UPSTREAM), e.g. runc-v1.2.1-src.tgz. */
  | { readonly kind: 'upstream'; readonly file: string; readonly sha256: string }
  /** A Debian binary package of the target arch (`apt-get download <package>:<arch>=<version>`). */
  | { readonly kind: 'debian'; readonly package: string; readonly version: string; readonly arch: string; readonly sha256: string }
  /** A file of a Debian source package (orig tarball, debian tarball), from the machine's Debian mirror's pool. */
  | { readonly kind: 'debian-source'; readonly package: string; readonly version: string; readonly poolPath: string; readonly sha256: string };

/** Adds a blob (`bosh add-blob <file> <path>`) that a replaced package lists in its files. */
export interface AddBlob {
  readonly op: 'add-blob';
  /** Blob path, e.g. `runc/runc-v1.2.1-src.tgz` or `debian/iptables_1.8.9-2_armhf.deb`. */
  readonly path: string;
  readonly source: BlobSource;
}

export type OverlayEdit = SetFinalName | AddPackage | PatchJobSpec | DropJobPackages | KeepJobs | RetargetGoPackage | CheckGoRetargeted | ApplyPatch | ReplacePackage | AddBlob;

/** The type of the step's per-op field lists (EDIT_KEYS in contracts/overlay-format.cjs): every op, only its fields. */
export type EditFieldLists = { readonly [Op in OverlayEdit['op']]: readonly Exclude<keyof Extract<OverlayEdit, { op: Op }>, 'op'>[] };

/** The pinned release tree an overlay applies to: the cross-compile steps' pin, less the Go version (an overlay compiles nothing). */
export type OverlayUpstream = Omit<SourcePin, 'go'>;

export interface ReleaseOverlay {
  readonly format: typeof OVERLAY_FORMAT;
  readonly variant: string;
  readonly upstream: OverlayUpstream;
  readonly release: { readonly name: string; readonly version: string };
  readonly edits: readonly OverlayEdit[];
}
