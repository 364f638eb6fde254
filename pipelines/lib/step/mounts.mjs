// @ts-check
// Mount points under a folder, read from /proc/self/mountinfo. mmdebstrap mounts proc, sys, dev/pts and
// dev/shm into its chroot; a run killed with SIGKILL leaves them mounted in its temp folder, which cannot
// be removed (nor safely walked) before they are unmounted.
import { readFileSync } from 'node:fs';

/** mountinfo writes space, tab, newline and backslash in a path as a backslash and three octal digits. */
const unescapeMountPath = (/** @type {string} */ s) => s.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));

/**
 * The mount points at or under `dir` (absolute), the last mounted first, so unmounting in this order
 * takes each mount off before the one it sits on.
 * @param {string} dir
 * @param {string} [mountinfo] the text of /proc/self/mountinfo (read when not given)
 * @returns {string[]}
 */
export function mountsUnder(dir, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')) {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .reverse();
}
