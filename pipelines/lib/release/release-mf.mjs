// release.MF of a BOSH release tarball (the layout `bosh create-release --tarball` and
// `bosh export-release` write): reading it, writing a compiled one with a stable key order, and the
// check that every sha1 it lists matches its file. The bosh CLI does not verify those sha1s when it
// inspects a tarball; a wrong one only fails at a director's upload, so the compile step checks itself.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { StepError } from '../step/step.mjs';

/** The Go toolchain package of a release (golang-1.23-linux): needed to compile, never installed on a cell. */
export const TOOLCHAIN_PACKAGE = /^golang-[0-9.]+-linux$/;

/**
 * A job, package or compiled package entry of release.MF, as the bosh CLI writes it.
 * @typedef {{ name: string, version: string, fingerprint?: string, sha1: string, packages?: string[], dependencies?: string[], stemcell?: string }} ReleaseMfEntry
 */
/**
 * release.MF (bosh's format; only name and version are checked on reading, the rest is as the CLI wrote it).
 * @typedef {object} ReleaseMf
 * @property {string} name
 * @property {string} version
 * @property {string} [commit_hash]
 * @property {boolean} [uncommitted_changes]
 * @property {ReleaseMfEntry[]} [jobs]
 * @property {ReleaseMfEntry[]} [packages]
 * @property {ReleaseMfEntry[]} [compiled_packages]
 * @property {{ version: string, fingerprint?: string, sha1: string }} [license]
 */

/**
 * What the bosh CLI prints with --json: tables of rows, each a column -> cell text.
 * @typedef {{ Tables?: { Content: string, Rows?: Record<string, string>[] }[] }} BoshJson
 */

/**
 * @param {string} dir an extracted release tarball
 * @returns {ReleaseMf}
 */
export function readReleaseMf(dir) {
  const file = join(dir, 'release.MF');
  if (!existsSync(file)) throw new StepError(`${file} not found: not a BOSH release tarball`);
  const mf = /** @type {Partial<ReleaseMf> | null} */ (load(readFileSync(file, 'utf8')));
  if (!mf || typeof mf !== 'object' || !mf.name || !mf.version) throw new StepError(`${file}: no name/version`);
  return /** @type {ReleaseMf} */ (mf);
}

/**
 * sha1 as release.MF spells it: plain hex (older releases) or `sha256:<hex>` (newer CLIs).
 * @param {string} file
 * @param {string} algo a node:crypto hash name
 */
export function digestOf(file, algo) {
  const hex = createHash(algo).update(readFileSync(file)).digest('hex');
  return algo === 'sha1' ? hex : `${algo}:${hex}`;
}

/**
 * @param {string} file
 * @param {unknown} recorded
 */
function matches(file, recorded) {
  const s = String(recorded ?? '');
  const algo = s.startsWith('sha256:') ? 'sha256' : 'sha1';
  return digestOf(file, algo) === s;
}

/**
 * Every jobs/, packages/, compiled_packages/ and license entry of an extracted release against its file.
 * Returns one line per problem (empty: all match).
 * @param {string} dir an extracted release
 */
export function releaseShaProblems(dir) {
  const mf = readReleaseMf(dir);
  /** @type {string[]} */
  const problems = [];
  /** @param {string} kind @param {string} folder @param {ReleaseMfEntry[] | undefined} refs */
  const check = (kind, folder, refs) => {
    for (const ref of refs ?? []) {
      const file = join(dir, folder, `${ref.name}.tgz`);
      if (!existsSync(file)) problems.push(`${kind} ${ref.name}: ${folder}/${ref.name}.tgz missing`);
      else if (!matches(file, ref.sha1)) problems.push(`${kind} ${ref.name}: sha1 ${ref.sha1} in release.MF does not match ${folder}/${ref.name}.tgz`);
    }
  };
  check('job', 'jobs', mf.jobs);
  check('package', 'packages', mf.packages);
  check('compiled package', 'compiled_packages', mf.compiled_packages);
  if (mf.license) {
    const file = join(dir, 'license.tgz');
    if (!existsSync(file)) problems.push('license: license.tgz missing');
    else if (!matches(file, mf.license.sha1)) problems.push(`license: sha1 ${mf.license.sha1} in release.MF does not match license.tgz`);
  }
  return problems;
}

/**
 * A compiled release.MF with the keys in bosh's own order, so the bytes depend only on the content.
 * @param {{ name: string, version: string, commitHash?: string, uncommittedChanges?: boolean, compiledPackages: (ReleaseMfEntry & { dependencies: string[] })[], jobs: ReleaseMfEntry[], license?: ReleaseMf['license'] }} o
 */
export function renderCompiledMf({ name, version, commitHash, uncommittedChanges, compiledPackages, jobs, license }) {
  const doc = {
    name,
    version,
    commit_hash: commitHash ?? '',
    uncommitted_changes: Boolean(uncommittedChanges),
    jobs: jobs.map((j) => ({ name: j.name, version: j.version, fingerprint: j.fingerprint, sha1: j.sha1, packages: [...(j.packages ?? [])] })),
    compiled_packages: compiledPackages.map((p) => ({
      name: p.name,
      version: p.version,
      fingerprint: p.fingerprint,
      sha1: p.sha1,
      stemcell: p.stemcell,
      dependencies: [...p.dependencies],
    })),
    ...(license ? { license: { version: license.version, fingerprint: license.fingerprint, sha1: license.sha1 } } : {}),
  };
  return dump(doc, { lineWidth: -1, noRefs: true });
}
