// The base image a rootfs Dockerfile starts FROM. For an mmdebstrap recipe: bootstrap the suite for
// the target arch (under qemu), cache the tarball content-addressed under build/cache/rootfs-base/ so
// later runs skip the slow part, and import it as `FROM scratch` + `ADD base.tar /` built with
// --platform (docker import would label the image amd64). For an image reference: pull it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../step/hash.mjs';
import { atomicOutput, removeScratch, runCommand, scratchBeside, StepError } from '../step/step.mjs';
import { machineSources, mirrorLinesFor } from './rootfs-mirror.mjs';

/**
 * base.json, as the rootfs construct writes it (contracts/rootfs-base-recipe.ts).
 * @typedef {import('../../../contracts/rootfs-base-recipe.ts').MmdebstrapRecipe} MmdebstrapRecipe
 * @typedef {import('../../../contracts/rootfs-base-recipe.ts').BaseRecipe} BaseRecipe
 */

/**
 * Cache key of a base tarball: everything mmdebstrap's output depends on, mirror included.
 * @param {MmdebstrapRecipe} recipe
 * @param {string[]} mirrorLines
 * @param {number} epoch
 */
export function baseCacheKey(recipe, mirrorLines, epoch) {
  const { kind, suite, variant, arch, include } = recipe;
  return createHash('sha256')
    .update(JSON.stringify({ kind, suite, variant, arch, include, mirrorLines, epoch }))
    .digest('hex')
    .slice(0, 24);
}

/**
 * Returns { tarball, sha256, mirrorLines, cached } for an mmdebstrap recipe.
 * @param {{ recipe: MmdebstrapRecipe, epoch: number, root: string, log: (msg: string) => void }} o
 */
export async function ensureBaseTarball({ recipe, epoch, root, log }) {
  const mirrorLines = mirrorLinesFor(recipe.suite, machineSources());
  const key = baseCacheKey(recipe, mirrorLines, epoch);
  const dir = join(root, 'build', 'cache', 'rootfs-base', key);
  const meta = join(dir, 'base.json');
  if (existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    log(`base tarball cached: build/cache/rootfs-base/${key} (sha256 ${m.sha256.slice(0, 16)})`);
    return { tarball: join(dir, 'base.tar'), sha256: m.sha256, mirrorLines, cached: true };
  }
  log(`bootstrapping ${recipe.suite}/${recipe.variant} for ${recipe.arch} with mmdebstrap (a few minutes under qemu)`);
  const started = Date.now();
  const result = await atomicOutput(dir, async (tmp) => {
    const argv = [
      `--arch=${recipe.arch}`,
      `--variant=${recipe.variant}`,
      ...(recipe.include.length > 0 ? [`--include=${recipe.include.join(',')}`] : []),
      recipe.suite,
      join(tmp, 'base.tar'),
      ...mirrorLines,
    ];
    // Its chroot (with proc, sys and dev mounted) goes in a scratch folder beside the cache entry: a killed
    // bootstrap's is unmounted and removed by the next one, where in the temp folder it stayed mounted.
    const scratch = scratchBeside(dir, 'mmdebstrap');
    let run;
    try {
      run = await runCommand('mmdebstrap', argv, {
        env: { SOURCE_DATE_EPOCH: String(epoch), TMPDIR: scratch },
        onLine: (l) => log(`mmdebstrap: ${l}`),
      });
    } finally {
      removeScratch(scratch);
    }
    if (run.code !== 0) {
      const tail = run.lines.filter((l) => /^E:|error/i.test(l)).slice(-10).join('\n  ');
      throw new StepError(`mmdebstrap ${recipe.suite} ${recipe.arch} failed (exit ${run.code}):\n  ${tail || run.lines.slice(-10).join('\n  ')}`);
    }
    const sha256 = await sha256File(join(tmp, 'base.tar'));
    writeFileSync(join(tmp, 'Dockerfile'), 'FROM scratch\nADD base.tar /\n');
    writeFileSync(join(tmp, 'base.json'), `${JSON.stringify({ recipe, mirrorLines, epoch, sha256 }, null, 2)}\n`);
    return { sha256 };
  });
  log(`base tarball ready in ${((Date.now() - started) / 1000).toFixed(0)} s (sha256 ${result.sha256.slice(0, 16)})`);
  return { tarball: join(dir, 'base.tar'), sha256: result.sha256, mirrorLines, cached: false };
}

/**
 * @param {string} tag
 * @param {string} label
 */
async function imageLabel(tag, label) {
  const r = await runCommand('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${label}"}}`, tag]);
  return r.code === 0 ? r.lines.join('').trim() : undefined;
}

const BASE_LABEL = 'org.stack-elevator.base-sha256';

/**
 * Makes sure `recipe.tag` names the base image for the target platform. Returns what it used.
 * @param {{ recipe: BaseRecipe, epoch: number, root: string, log: (msg: string) => void }} o
 */
export async function ensureBaseImage({ recipe, epoch, root, log }) {
  if (recipe.kind === 'image') {
    const have = await runCommand('docker', ['image', 'inspect', recipe.ref]);
    if (have.code !== 0) {
      log(`pulling ${recipe.ref} for ${recipe.platform}`);
      const pull = await runCommand('docker', ['pull', '--platform', recipe.platform, recipe.ref], { onLine: (l) => log(`pull: ${l}`) });
      if (pull.code !== 0) throw new StepError(`docker pull ${recipe.ref} failed: ${pull.lines.slice(-3).join(' ')}`);
    }
    return { tag: recipe.ref };
  }
  const base = await ensureBaseTarball({ recipe, epoch, root, log });
  // A cold rebuild (STACK_ELEVATOR_NO_CACHE=1) imports the base again, without the layer cache.
  const cold = process.env.STACK_ELEVATOR_NO_CACHE === '1';
  if (!cold && (await imageLabel(recipe.tag, BASE_LABEL)) === base.sha256) {
    log(`base image ${recipe.tag} is current`);
    return { tag: recipe.tag, sha256: base.sha256, cached: base.cached };
  }
  log(`importing the base tarball as ${recipe.tag} (${recipe.platform})`);
  const build = await runCommand(
    'docker',
    ['build', '--platform', recipe.platform, ...(cold ? ['--no-cache'] : []), '--label', `${BASE_LABEL}=${base.sha256}`, '-t', recipe.tag, join(base.tarball, '..')],
    { env: { DOCKER_BUILDKIT: '0' }, onLine: (l) => log(`base: ${l}`) },
  );
  if (build.code !== 0) throw new StepError(`importing the base tarball failed: ${build.lines.slice(-3).join(' ')}`);
  return { tag: recipe.tag, sha256: base.sha256, cached: base.cached };
}
