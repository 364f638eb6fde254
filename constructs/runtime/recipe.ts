import type { Substitution } from '../diego/overlay';

/**
 * How one release a Pi cell runs beside the rep is built for ARM from its pinned upstream tree: which
 * jobs the cells use, the ARM fixes (patches) and the packages whose upstream packaging cannot run for
 * ARM, with what replaces them. Everything else (Go with vendor/) runs upstream's own packaging.
 */
export interface RuntimeReleaseRecipe {
  /** The BOSH release name (what cf-deployment's `releases:` and job `release:` fields say). */
  readonly name: string;
  /** Upstream repository name, e.g. bpm-release: lab.lock.json `upstream.<repo>` and `<repo>-<tag>-src.tgz`. */
  readonly upstreamRelease: string;
  readonly repo: string;
  /** Jobs the Pi cells run from it; the rest (test and Windows jobs) and their packages are dropped. */
  readonly jobs: readonly string[];
  /**
   * Overlay patches, in order: files under constructs/runtime/<dir>/patches/.
   * @default [] (upstream's sources as they are)
   */
  readonly patches?: readonly RecipePatch[];
  /**
   * Packages built otherwise than upstream does.
   * @default [] (every package runs upstream's packaging)
   */
  readonly replacements?: readonly PackageReplacement[];
  /** The folder under constructs/runtime/ holding its patches and packaging scripts. */
  readonly dir: string;
}

export interface RecipePatch {
  /** File name under patches/. */
  readonly file: string;
  /** The upstream file:line it changes. */
  readonly upstreamRef: string;
  readonly why: string;
}

export interface PackageReplacement {
  readonly package: string;
  /**
   * The spec's new `files:`: each blob path below must be listed (`<arch>` stands for the cells' Debian arch).
   * @default undefined (upstream's: the package builds from the release's own sources)
   */
  readonly files?: readonly string[];
  /**
   * The spec's new `dependencies:`.
   * @default undefined (upstream's)
   */
  readonly dependencies?: readonly string[];
  readonly blobs: readonly RecipeBlob[];
  readonly substitution: Substitution;
}

/** A blob an ARM package is built from, pinned in lab.lock.json. */
export type RecipeBlob =
  /** `<upstream dir>/<lockKey>-<version>-src.tgz`, pinned at `upstream.<lockKey>` (version, tarballSha256). */
  | { readonly kind: 'upstream'; readonly path: string; readonly lockKey: string }
  /** A Debian package of one arch (`<arch>` in path stands for it), pinned by version and sha256 per arch. */
  | { readonly kind: 'debian'; readonly path: string; readonly package: string; readonly version: string; readonly sha256: Readonly<Record<string, string>> }
  /** A file of a Debian source package, from the pool of the machine's Debian mirror. */
  | { readonly kind: 'debian-source'; readonly path: string; readonly package: string; readonly version: string; readonly poolPath: string; readonly sha256: string };
