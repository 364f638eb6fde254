// @ts-check
// More real plan steps as cases of the crash harness (pipelines/crash-check.mjs), in the manner of
// crash-plan-steps.mjs: the lab's artifact plan, each step run as its local-exec runs it into an output
// path of the harness's work folder, two variants whose results differ. Here: the binary buildpack build
// and compile-release (whose input, a created release, is made first by the plan's own create step).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { caseDirs, identityHash, linkLeftovers, planStep, planVariant, runOnce, tmpLeftovers } from './crash-plan-steps.mjs';

/**
 * @typedef {import('./crash-plan-steps.mjs').CrashCase} CrashCase
 * @typedef {import('./crash-plan-steps.mjs').CaseContext} CaseContext
 */

/**
 * build-buildpack as the plan runs it (pinned binary-buildpack source, two Go builds for linux/arm,
 * a reproducible zip); the variants differ in --source-date-epoch (a day apart), so the zips' entry times
 * and sha256 differ. The Go build cache is warm after the clean runs.
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function buildpackCase(work, ctx) {
  const id = 'lab-buildpack-rpifs-build';
  const { parent, target, tmp } = caseDirs(ctx, work, id);
  const epoch = Number(planStep(ctx, work, id).args['source-date-epoch']);
  const env = { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent };
  const variant = (/** @type {number} */ e) => planVariant(ctx, work, id, target, { name: `epoch=${e}`, override: { 'source-date-epoch': String(e) }, env });
  return {
    name: 'buildpack', parent, target, timed: 10,
    variants: [variant(epoch), variant(epoch + 86400)],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp)],
  };
}

/**
 * The rootfs release as the plan creates it (`lab-rootfs-release-rpifs-create`), with a small stand-in
 * for the rootfs tarball blob, into `dir`: the source a compile-release variant reads.
 * @param {CaseContext} ctx @param {string} work @param {string} name @param {string} dir
 */
function sourceRelease(ctx, work, name, dir) {
  const id = 'lab-rootfs-release-rpifs-create';
  const blobPath = planStep(ctx, work, id).args.blob.split(':')[1];
  const blob = join(work, `rootfs-${name}.tgz`);
  writeFileSync(blob, gzipSync(`stand-in rootfs tarball ${name}\n`));
  const v = planVariant(ctx, work, id, dir, { name, override: { blob: `${blob}:${blobPath}` } });
  runOnce(v, `creating the source release ${name} for compile-release`);
  return dir;
}

/**
 * compile-release of the rootfs release for the Pi stemcell as the plan runs it
 * (`lab-compiled-rootfs-rpifs-rpi-compile`: unpack, run the packaging script for the stemcell's arch,
 * pack a compiled release, `bosh inspect-local-release` it). Its input is a created release: two are made
 * first by the plan's create step from two stand-in blobs, and the variants compile one each, so the
 * compiled package's sha1 differs. Its scratch folder is beside the output (a killed run's is one of the
 * leftovers the next run must remove); it used to be `build/.compile-release-*` of the project, which no
 * run removed after a kill, so those are looked for too.
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function compileReleaseCase(work, ctx) {
  const id = 'lab-compiled-rootfs-rpifs-rpi-compile';
  const { parent, target, tmp } = caseDirs(ctx, work, id);
  const sources = join(work, 'compile-sources');
  const env = { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent };
  const variant = (/** @type {string} */ name) => {
    const source = sourceRelease(ctx, work, name, join(sources, name));
    return planVariant(ctx, work, id, target, { name: `source ${name}`, override: { source }, env });
  };
  const build = join(ctx.root, 'build');
  const scratch = () => (existsSync(build) ? readdirSync(build) : []).filter((n) => n.startsWith('.compile-release-')).map((n) => `build/${n}`);
  return {
    name: 'compile-release', parent, target, timed: ctx.budget === 'full' ? 20 : 10,
    variants: [variant('a'), variant('b')],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp), ...scratch()],
  };
}
