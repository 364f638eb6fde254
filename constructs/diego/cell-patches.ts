import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolRoot } from '../plan/step-arguments';

/** A patch of upstream diego-release the cell variant applies (an overlay `apply-patch` edit). */
export interface CellPatch {
  /** File under stacks/patches/diego-release/ of this checkout. */
  readonly file: string;
  /** The upstream file:line the patch changes. */
  readonly upstreamRef: string;
  /** Why the ARM build needs it (one line). */
  readonly why: string;
  /**
   * The patch of the upstream test that found it (a `*_test.go`, not in the release's package sources):
   * the fidelity gate builds the tests with it.
   * @default undefined (the upstream test compiles and runs as is)
   */
  readonly testFile?: string;
}

/** Directory of the cell variant's patches, relative to this checkout. */
export const CELL_PATCH_DIR = 'stacks/patches/diego-release';

/**
 * Fidelity findings fixed in the cell variant (docs/fidelity.md). The fidelity gate builds the tests with
 * the same patches, so the test that found each one keeps running.
 */
export const CELL_PATCHES: readonly CellPatch[] = [
  {
    file: '01-rep-process-index-64bit.patch',
    upstreamRef: 'src/code.cloudfoundry.org/rep/conversion_helpers.go:46',
    testFile: '01-rep-process-index-64bit-test.patch',
    why: 'strconv.Atoi on 32-bit ARM turns a process index past MaxInt32 into ErrInvalidProcessIndex instead of ErrIntergerOverflow, and the test does not compile for GOARCH=arm (constant overflows int)',
  },
];

/** A patch file's bytes, read from this checkout. */
export function cellPatchText(file: string): string {
  return readFileSync(join(toolRoot(), CELL_PATCH_DIR, file), 'utf8');
}
