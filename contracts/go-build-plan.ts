// The Go build plans the synth writes and the cross-compile and fidelity steps read (their artifacts'
// shapes): types only, shared by both sides so that no step imports a construct file. docs/contracts.md.

/** Go target of a cell arch: the one target type of the Go packages (constructs/golang, and the cell Diego variant through it). */
export interface GoTarget {
  readonly goos: 'linux';
  readonly goarch: 'arm' | 'arm64';
  readonly goarm?: 6 | 7;
}

/** What a target's binaries' ELF headers must say: the facts the packaging script's check_elf judges. */
export interface ElfExpectation {
  /** 1 = ELFCLASS32, 2 = ELFCLASS64. */
  readonly elfClass: 1 | 2;
  /** e_machine (contracts/arches.cjs). */
  readonly machine: number;
  /** 32-bit ARM binaries must carry EABI version 5 in e_flags (what `file` prints as "EABI5"). */
  readonly armEabi5: boolean;
  /** Human form, e.g. "ELF 32-bit ARM EABI5". */
  readonly describe: string;
}

/** One executable of a package: the file name it is installed as and the Go import path of its main package. */
export interface GoBinary {
  readonly name: string;
  readonly importPath: string;
}

/** A binary taken from a dependency package's install dir into a bundle (e.g. healthcheck into the lifecycle). */
export interface BundledBinary {
  readonly fromPackage: string;
  readonly binary: string;
}

export interface Bundle {
  /** File written into BOSH_INSTALL_TARGET, e.g. buildpack_app_lifecycle.tgz. */
  readonly file: string;
  readonly include: readonly BundledBinary[];
}

/** A BOSH package spec: name, the packages it needs at compile time, and file globs relative to the release's src/. */
export interface BoshPackageSpec {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly files: readonly string[];
}

/** The pinned release tree the step builds from (lab.lock.json upstream.<release>); overlays carry it too. */
export interface SourcePin {
  /** Directory stem and error-message name, e.g. diego-release. */
  readonly release: string;
  /** Git tag, as pinned in lab.lock.json, e.g. v2.105.0. */
  readonly version: string;
  readonly repo: string;
  /**
   * Git commit the tag resolved to.
   * @default undefined (not known: the tag alone names the tree)
   */
  readonly sha?: string;
  /**
   * sha256 of `<release>-<version>-src.tgz`, checked before a tarball is extracted.
   * @default undefined (no tarball is pinned; a tarball is refused)
   */
  readonly tarballSha256?: string;
  /**
   * Go version the lock records the build with; another Go is reported, not refused.
   * @default undefined (no Go version is recorded)
   */
  readonly go?: string;
  /**
   * Submodule name (under the module dir) -> commit the tag pins.
   * @default undefined (no submodule commit is checked)
   */
  readonly submodules?: Readonly<Record<string, string>>;
}

/** What the cross-compile step needs to know about a package besides its spec and packaging script. */
export interface CompilePlanEntry {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly binaries: readonly GoBinary[];
  readonly target: GoTarget;
  readonly elf: ElfExpectation;
  /** @default undefined (the binaries are installed loose) */
  readonly bundle?: Bundle;
  /** Submodules of the release tree (paths under the module dir) the package's sources live in. */
  readonly submodules: readonly string[];
}

/**
 * The build plan artifact of a CrossCompileStep: what pipelines/cross-compile.mjs reads (typed there
 * through JSDoc) to build the step's packages from the pinned release tree.
 */
export interface CrossCompilePlan {
  /**
   * Cell arch name recorded in the step's manifest, e.g. armhf.
   * @default undefined (the step names no arch)
   */
  readonly arch?: string;
  /** The Linux Go BOSH package the packages compile with, e.g. golang-1.23-linux. */
  readonly golangPackage: string;
  /** Directory under src/ holding go.mod and vendor/. */
  readonly moduleDir: string;
  /** The pin, with only the submodule commits this step's packages build from. */
  readonly upstream: SourcePin;
  /**
   * Earlier steps whose install dirs provide packages this step's packages depend on.
   * @default undefined (every dependency is built in this step)
   */
  readonly fromSteps?: readonly CompilePlanStepInput[];
  /** In build order. */
  readonly packages: readonly CompilePlanEntry[];
  /**
   * The package whose install dir holds the bundle file.
   * @default undefined (the step makes no bundle)
   */
  readonly bundle?: { readonly package: string; readonly file: string };
}

/** An earlier cross-compile step and the packages of its output this step mounts. */
export interface CompilePlanStepInput {
  readonly step: string;
  /** Its output directory, relative to the project root. */
  readonly out: string;
  readonly packages: readonly string[];
}

/** What pipelines/fidelity.mjs reads: which tree, which target, which source modules' suites. */
export interface FidelityPlan {
  readonly release: string;
  readonly arch: string;
  /**
   * GOARM of the lab's cells of this arch (armhf).
   * @default undefined (the arch table's, contracts/arches.cjs)
   */
  readonly goarm?: number;
  readonly moduleDir: string;
  /** Submodules (under the module dir) whose test suites the gate runs: the sources of the ARM packages. */
  readonly roots: readonly string[];
  readonly upstream: SourcePin;
  /** The expectations file as checked in (named in the gate's messages). */
  readonly expectationsSource: string;
  /**
   * Artifact paths of the patches the variant applies to the tree (-p1 from the release root): the tests build with them.
   * @default undefined (the tests build from the tree as it is)
   */
  readonly patches?: readonly string[];
}
