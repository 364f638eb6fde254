// @ts-check
// Upstream's own final builds (.final_builds/packages/<name>/index.yml): the fingerprints of every package
// upstream ever released. A release that keeps upstream's version must consist of exactly those
// packages, or a director holding upstream's x86 release of that version would refuse ours beside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// Releases cut by the old Ruby CLI wrote fingerprints as `!binary` base64 scalars, keys included
// (diego-release's consul and others): decode them so they compare with what the Go CLI prints.
// js-yaml cannot read a tag on a block mapping key; the yaml library can.
/** @type {import('yaml').ScalarTag} */
const RUBY_BINARY = { tag: '!binary', resolve: (str) => Buffer.from(str.replace(/\s+/g, ''), 'base64').toString('utf8') };

/** @param {string} file */
function readIndex(file) {
  const doc = /** @type {{ builds?: Record<string, unknown> } | undefined} */ (parse(readFileSync(file, 'utf8'), { customTags: [RUBY_BINARY] }));
  return doc?.builds ?? {};
}

/**
 * Package name -> the fingerprints upstream built it with (empty when the tree has no final builds).
 * @param {string} releaseDir
 * @returns {Map<string, Set<string>>}
 */
export function finalBuildFingerprints(releaseDir) {
  const dir = join(releaseDir, '.final_builds', 'packages');
  const out = new Map();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const index = join(dir, name, 'index.yml');
    if (!existsSync(index)) continue;
    out.set(name, new Set(Object.keys(readIndex(index))));
  }
  return out;
}

/**
 * The packages of a created release whose fingerprint upstream never released, less those the overlay
 * changed on purpose (retargeted, replaced, added) and the Go toolchain stand-ins.
 * @param {{ name: string, fingerprint: string }[]} packages from `bosh inspect-local-release`
 * @param {Map<string, Set<string>>} upstream
 * @param {Set<string>} changed
 * @param {RegExp} toolchain
 */
export function unreleasedPackages(packages, upstream, changed, toolchain) {
  return packages.filter((p) => !changed.has(p.name) && !toolchain.test(p.name) && upstream.has(p.name) && !upstream.get(p.name)?.has(p.fingerprint)).map((p) => `${p.name}/${p.fingerprint}`);
}
