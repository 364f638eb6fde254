// `npm run rebuild -- --cold`: a rebuild that may reuse no cache, so its bytes prove the lock alone makes
// them. Cold means: no mmdebstrap base tarball (build/cache/rootfs-base), the base image imported again,
// no Docker layer cache for the rootfs image, and an empty Go build cache.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Environment of a cold rebuild's steps; rootfs-base.mjs reads STACK_ELEVATOR_NO_CACHE.
 * @param {string} root
 */
export function coldEnv(root) {
  return { STACK_ELEVATOR_NO_CACHE: '1', GOCACHE: join(root, 'build', 'rebuild', 'cold-gocache') };
}

/**
 * Removes the caches a rebuild would otherwise start from.
 * @param {string} root
 */
export function dropCaches(root) {
  rmSync(join(root, 'build', 'cache', 'rootfs-base'), { recursive: true, force: true });
  rmSync(coldEnv(root).GOCACHE, { recursive: true, force: true });
}

/**
 * Makes every docker_image of a synthesized stack build without the layer cache. Only the rebuild's own
 * synth output is changed: the lab's plan stays as it is.
 * @param {string} stackDir
 */
export function withoutLayerCache(stackDir) {
  const file = join(stackDir, 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(file, 'utf8'));
  const images = Object.values(stack.resource?.docker_image ?? {});
  for (const image of images) image.build = { ...image.build, no_cache: true };
  writeFileSync(file, `${JSON.stringify(stack, null, 2)}\n`);
  return images.length;
}
