// What every plan-step script shares: its standard arguments and an atomic output directory.
// Terraform runs each script from cdktf.out/stacks/<stack>; --root points back at the project.
import { existsSync, mkdirSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import { dirname, basename, join, resolve, isAbsolute } from 'node:path';
import { minimist } from 'zx';

/** Parses --root/--out/--artifacts (+ the step's own flags); relative paths resolve against the cwd. */
export function stepArgs(argv = process.argv.slice(2)) {
  const args = minimist(argv, { string: ['root', 'out', 'artifacts'] });
  const cwd = process.cwd();
  const abs = (p) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(cwd, p));
  return { ...args, root: abs(args.root ?? '.'), out: abs(args.out), artifacts: abs(args.artifacts ?? 'artifacts'), abs };
}

/**
 * Runs `produce(tmpDir)` and renames tmpDir onto `out` only if it succeeds, so a killed or failed step
 * leaves no half-written output where the next step would look.
 */
export async function atomicOutput(out, produce) {
  if (!out) throw new Error('missing --out=<dir>');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = mkdtempSync(join(dirname(out), `.${basename(out)}.tmp-`));
  try {
    const result = await produce(tmp);
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    return result;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function progress(step, msg) {
  process.stdout.write(`[${step}] ${msg}\n`);
}

/** Prints a step failure as one clear line (plus detail) and exits non-zero; Terraform then taints the step. */
export function failStep(step, err) {
  process.stderr.write(`[${step}] FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

export { existsSync };
