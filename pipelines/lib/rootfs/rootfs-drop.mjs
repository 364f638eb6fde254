// What apt, dpkg and the image build leave behind in a rootfs that is state of the build, not of the
// stack: logs, caches, package lists and backup files. They differ between two builds of the same
// recipe, so they are dropped from the exported tarball (the Dockerfile's cleanup removes them too).
/** @type {{ why: string, test: (path: string, entry: { type: string }) => boolean }[]} */
export const DROP_RULES = [
  { why: 'apt logs', test: (p) => p.startsWith('var/log/apt/') },
  { why: 'dpkg and bootstrap logs', test: (p) => ['var/log/dpkg.log', 'var/log/alternatives.log', 'var/log/bootstrap.log'].includes(p) },
  { why: 'apt caches', test: (p) => /^var\/cache\/apt\/(?:[^/]+\.bin|archives\/[^/]+\.deb|archives\/partial\/.+)$/.test(p) },
  { why: 'apt package lists', test: (p, e) => p.startsWith('var/lib/apt/lists/') && e.type !== '5' && p !== 'var/lib/apt/lists/lock' },
  { why: 'debconf and dpkg backups', test: (p) => /^var\/cache\/debconf\/[^/]+-old$/.test(p) || /^var\/lib\/dpkg\/[^/]+-old$/.test(p) },
  { why: 'account file backups', test: (p) => /^etc\/(?:passwd|group|shadow|gshadow|subuid|subgid)-$/.test(p) },
  { why: 'ldconfig cache', test: (p) => p === 'var/cache/ldconfig/aux-cache' },
  { why: 'docker marker', test: (p) => p === '.dockerenv' },
];

/**
 * The drop predicate normalizeTar takes.
 * @param {string} path
 * @param {{ type: string }} entry
 */
export function dropApt(path, entry) {
  return DROP_RULES.some((r) => r.test(path, entry));
}

/**
 * Why a path is dropped (for the export's dropped.txt), or undefined.
 * @param {string} path
 * @param {{ type: string }} entry
 */
export function dropReason(path, entry) {
  return DROP_RULES.find((r) => r.test(path, entry))?.why;
}
