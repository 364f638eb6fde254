// sha256 of a file, the one way every step checksums its outputs.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';

/**
 * Streams the file, for tarballs too large to hold in memory twice.
 * @param {string} path
 * @returns {Promise<string>}
 */
export function sha256File(path) {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** @param {string} path */
export function sha256FileSync(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
