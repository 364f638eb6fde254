import type { SourcePin } from './cross-compile-step';
import type { CompilePlanEntry } from './go-cross-compiled-package';

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
