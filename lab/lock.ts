/**
 * lab.lock.json: every pinned input of a lab, so a rebuild months later gets the same bits.
 * Each area of the pipeline owns one section; unknown sections are kept as they are.
 */
export interface UpstreamPin {
  readonly version: string;
  /** Git commit the tag resolved to, when known. */
  readonly sha?: string;
  /** sha256 of `<name>-<version>-src.tgz`, the source tarball a step may use instead of a clone. */
  readonly tarballSha256?: string;
  /** Go version (`go env GOVERSION`) the release's Go packages were built and recorded with. */
  readonly go?: string;
  /** Submodule path (under src/code.cloudfoundry.org) -> the commit the tag pins. */
  readonly submodules?: Readonly<Record<string, string>>;
}

export interface LabLock {
  readonly lockVersion: 1;
  readonly upstream: Readonly<Record<string, UpstreamPin>>;
  readonly tools: Readonly<Record<string, string>>;
  /** Per stack: the base recipe's mirror snapshot and the resolved package versions after a build. */
  readonly rootfs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly stemcells: Readonly<Record<string, string>>;
}
