// @ts-check
// Real plan steps as cases of the crash harness (pipelines/crash-check.mjs): the lab's artifact plan is
// synthesized once, and a step is run exactly as its local-exec runs it (cwd = the stack folder, --root,
// --artifacts, --out and the step's own arguments), with the harness's preload, into an output path of
// the harness's work folder. Two variants per step make the old and the new result differ.
// "The same result" is the project's own (pipelines/lib/step/receipt.mjs): every file's sha256 but the
// records the step marks volatile, and a BOSH release by its fingerprints (bosh stamps file times into
// the tarball); a tarball that does not match the sha256 its release.json records counts as torn.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { sha256FileSync } from '../step/hash.mjs';
import { stepIdentity } from '../step/receipt.mjs';
import { runCommandSync } from '../step/step.mjs';
import { upstreamDirOf } from '../../../contracts/upstream-dir.cjs';

/**
 * @typedef {{ name: string, argv: string[], env: Record<string, string>, cwd?: string }} Variant
 * @typedef {{ name: string, parent: string, target: string, timed: number, variants: Variant[], leftovers: () => string[], hash?: (path: string) => string, containers?: boolean }} CrashCase
 * @typedef {{ root: string, hook: string, budget: string }} CaseContext
 * @typedef {{ id: string, script: string, args: Record<string, string>, out: string, trigger: string, after?: string[] }} PlanStep
 */

/** Hash of a step output as a rebuild compares it; 'absent' if none, 'torn ...' if a tarball is cut. */
export function identityHash(/** @type {string} */ path) {
  if (!existsSync(path)) return 'absent';
  const releaseJson = join(path, 'release.json');
  if (existsSync(releaseJson)) {
    const r = JSON.parse(readFileSync(releaseJson, 'utf8'));
    const tarball = join(path, r.tarball);
    if (!existsSync(tarball) || sha256FileSync(tarball) !== r.sha256) return `torn (${r.tarball} does not match release.json)`;
  }
  return createHash('sha256').update(JSON.stringify(stepIdentity(path))).digest('hex').slice(0, 16);
}

/** Entries beside a link-swapped output after a clean run: anything but the link and its folder. */
export function linkLeftovers(/** @type {string} */ parent, /** @type {string} */ target) {
  const keep = new Set([basename(target)]);
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) keep.add(readlinkSync(target));
  return readdirSync(parent).filter((n) => !keep.has(n));
}

/** Files left in a folder the runs use as TMPDIR (node's own compile cache aside). */
export function tmpLeftovers(/** @type {string} */ tmp) {
  return readdirSync(tmp).filter((n) => !n.startsWith('v8-compile-cache')).map((n) => `tmp/${n}`);
}

/** @type {Map<string, { stackDir: string, steps: PlanStep[] }>} */
const plans = new Map();

/** The lab's artifact plan (synthesized once per work folder): its stack folder and steps. */
export function labPlan(/** @type {string} */ work, /** @type {string} */ root) {
  const known = plans.get(work);
  if (known) return known;
  const outdir = join(work, 'plan', 'cdktf.out');
  const env = { CDKTF_OUTDIR: outdir, STACK_ELEVATOR_SCOPE: 'artifacts', STACK_ELEVATOR_UPSTREAM: upstreamDirOf(root, process.env) };
  const r = runCommandSync(process.execPath, [join(root, 'dist', 'stacks', 'main.js')], { cwd: root, env });
  if (r.code !== 0) throw new Error(`crash-check: synth of the lab's artifact plan failed:\n${r.stdout}${r.stderr}`);
  const stackDir = join(outdir, 'stacks', 'lab');
  const plan = { stackDir, steps: /** @type {PlanStep[]} */ (JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')).steps) };
  plans.set(work, plan);
  return plan;
}

/**
 * A variant running plan step `id` into `target`, with `override` replacing some of its arguments.
 * @param {CaseContext} ctx @param {string} work @param {string} id @param {string} target
 * @param {{ name: string, override?: Record<string, string>, env?: Record<string, string> }} v
 * @returns {Variant}
 */
export function planVariant(ctx, work, id, target, v) {
  const { stackDir } = labPlan(work, ctx.root);
  const s = planStep(ctx, work, id);
  const rel = relative(stackDir, ctx.root);
  const args = Object.entries({ ...s.args, ...v.override }).map(([k, val]) => `--${k}=${val.split('{root}').join(rel)}`);
  const argv = [process.execPath, '--require', ctx.hook, join(ctx.root, 'pipelines', `${s.script}.mjs`), `--root=${rel}`, '--artifacts=artifacts', `--out=${target}`, ...args];
  return { name: v.name, argv, cwd: stackDir, env: { STACK_ELEVATOR_STEP: id, ...v.env } };
}

/**
 * Output folder, parent and TMPDIR of a case running plan step `id`: `build/<id>/<trigger16>` as the plan
 * names it, under the harness's work folder.
 * @param {CaseContext} ctx @param {string} work @param {string} id
 */
export function caseDirs(ctx, work, id) {
  const parent = join(work, 'build', id);
  const target = join(parent, basename(planStep(ctx, work, id).out));
  const tmp = join(work, `tmp-${id}`);
  mkdirSync(tmp, { recursive: true });
  return { parent, target, tmp };
}

/**
 * Runs a variant once, unkilled (a case's setup: the inputs its variants read); throws with its output if it fails.
 * @param {Variant} v @param {string} what
 */
export function runOnce(v, what) {
  const r = runCommandSync(v.argv[0], v.argv.slice(1), { cwd: v.cwd, env: v.env });
  if (r.code !== 0) throw new Error(`crash-check: ${what} failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Plan step `id` of the lab's artifact plan; refused if the plan has none.
 * @param {CaseContext} ctx @param {string} work @param {string} id @returns {PlanStep}
 */
export function planStep(ctx, work, id) {
  const s = labPlan(work, ctx.root).steps.find((p) => p.id === id);
  if (!s) throw new Error(`crash-check: the lab's plan has no step ${id}`);
  return s;
}

/**
 * create-release of the buildpack release as the plan runs it (`bosh create-release` of a release folder
 * plus one blob); the variants add different blob files, so their fingerprints differ.
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function createReleaseCase(work, ctx) {
  const parent = join(work, 'build', 'lab-buildpack-rpifs-release-create');
  const target = join(parent, '876f8a8bbe59d402');
  const tmp = join(work, 'tmp-create-release');
  mkdirSync(tmp, { recursive: true });
  const id = 'lab-buildpack-rpifs-release-create';
  const blobPath = labPlan(work, ctx.root).steps.find((p) => p.id === id)?.args.blob?.split(':')[1] ?? '';
  const variant = (/** @type {string} */ name) => {
    const file = join(work, `${name}.zip`);
    writeFileSync(file, `stand-in buildpack zip ${name}\n`);
    return planVariant(ctx, work, id, target, { name, override: { blob: `${file}:${blobPath}` }, env: { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent } });
  };
  return {
    name: 'create-release', parent, target, timed: ctx.budget === 'full' ? 40 : 20,
    variants: [variant('blob-a'), variant('blob-b')],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp)],
  };
}

/**
 * cross-compile of one lifecycle binary as the plan runs it (Go build cache warm after the clean runs);
 * the variants are the healthcheck and the diego-sshd plans built into the same output path.
 * STACK_ELEVATOR_FORCE=1: the step otherwise keeps an output already there (same trigger, same build).
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function crossCompileCase(work, ctx) {
  const parent = join(work, 'build', 'lab-lifecycle-armhf-compile');
  const target = join(parent, '95fabc5f4ae6b6a7');
  const tmp = join(work, 'tmp-cross-compile');
  mkdirSync(tmp, { recursive: true });
  const env = { TMPDIR: tmp, STACK_ELEVATOR_FORCE: '1', STACK_ELEVATOR_CRASH_DIR: parent };
  return {
    name: 'cross-compile', parent, target, timed: 5,
    variants: [
      planVariant(ctx, work, 'lab-lifecycle-armhf-healthcheck-compile', target, { name: 'healthcheck', env }),
      planVariant(ctx, work, 'lab-lifecycle-armhf-sshd-compile', target, { name: 'diego-sshd', env }),
    ],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp)],
  };
}
