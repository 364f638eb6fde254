/**
 * lab.lock.json: every pinned input of a lab, so a rebuild months later gets the same bits.
 * Each area of the pipeline owns one section; unknown sections are kept as they are.
 */
export interface UpstreamPin {
  readonly version: string;
  /** Git commit or tarball sha the version resolved to, when known. */
  readonly sha?: string;
}

export interface LabLock {
  readonly lockVersion: 1;
  readonly upstream: Readonly<Record<string, UpstreamPin>>;
  /** Go module path -> version (pseudo-versions for diego-release submodule commits). */
  readonly goModules: Readonly<Record<string, string>>;
  readonly tools: Readonly<Record<string, string>>;
  /** Per stack: the base recipe's mirror snapshot and the resolved package versions after a build. */
  readonly rootfs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly stemcells: Readonly<Record<string, string>>;
}
