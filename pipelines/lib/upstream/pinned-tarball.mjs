// @ts-check
// The one check of a pinned upstream tarball against the sha256 the lock records, made before anything
// is extracted from it. Each caller keeps its own wording (it names its lock key and its fix).
import { sha256File } from '../step/hash.mjs';

/**
 * @param {string} file the tarball
 * @param {string | undefined} pinned the sha256 lab.lock.json records for it
 * @param {{ mismatch: (actual: string) => Error, unpinned?: (actual: string) => Error }} errors
 *   mismatch: the tarball's bytes are not the pinned ones; unpinned: the lock records no sha256 (without
 *   it, an unpinned tarball is a mismatch too)
 * @returns {Promise<string>} the tarball's sha256 (the pinned one)
 */
export async function checkPinnedTarball(file, pinned, { mismatch, unpinned = mismatch }) {
  const actual = await sha256File(file);
  if (!pinned) throw unpinned(actual);
  if (actual !== pinned) throw mismatch(actual);
  return actual;
}
