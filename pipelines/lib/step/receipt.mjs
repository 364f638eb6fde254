// What "the same bits" means for a step's output directory, shared by the receipt step and
// `npm run rebuild`: the sha256 of every output file, except
//  - files the step lists in `.volatile` (records such as a Docker image ID, which carries a creation
//    time; the artifact they describe is checksummed on its own), and
//  - a BOSH release tarball described by release.json: bosh stamps file times into it, so the release
//    counts by name, version and the job and package fingerprints bosh computes from their contents.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../../../contracts/atomic-dir.cjs';
import { sha256FileSync } from './hash.mjs';

const VOLATILE = '.volatile';

/**
 * Lists output files (relative to the step's output dir) that are records, not reproducible artifacts.
 * @param {string} outDir
 * @param {Iterable<string>} files
 */
export function markVolatile(outDir, files) {
  writeFileSync(join(outDir, VOLATILE), `${[...files].sort().join('\n')}\n`);
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/**
 * Path -> sha256 (or fingerprint list) of everything that must match for a rebuild to be the same.
 * @param {string} outDir
 * @returns {Record<string, string>}
 */
export function stepIdentity(outDir) {
  const volatilePath = join(outDir, VOLATILE);
  const skip = new Set(existsSync(volatilePath) ? readFileSync(volatilePath, 'utf8').split('\n').filter(Boolean) : []);
  skip.add(VOLATILE);
  /** @type {Record<string, string>} */
  const identity = {};
  const releaseJson = join(outDir, 'release.json');
  if (existsSync(releaseJson)) {
    const r = JSON.parse(readFileSync(releaseJson, 'utf8'));
    skip.add('release.json');
    skip.add(r.tarball);
    identity[`release ${r.name}/${r.version}`] = [...r.jobs, ...r.packages].map((x) => `${x.name}/${x.fingerprint}`).sort().join(' ');
  }
  for (const file of filesUnder(outDir)) {
    const rel = relative(outDir, file);
    if (!skip.has(rel)) identity[rel] = sha256FileSync(file);
  }
  return identity;
}

/**
 * Differences between a recorded and a rebuilt identity, one line each.
 * @param {string} stepId
 * @param {Record<string, string>} recorded
 * @param {Record<string, string>} rebuilt
 */
export function identityDrift(stepId, recorded, rebuilt) {
  const drift = [];
  for (const key of [...new Set([...Object.keys(recorded), ...Object.keys(rebuilt)])].sort()) {
    if (recorded[key] === rebuilt[key]) continue;
    const show = (/** @type {string | undefined} */ v) => (v === undefined ? 'missing' : String(v).slice(0, 16));
    drift.push(`${stepId}/${key}: recorded ${show(recorded[key])}, rebuilt ${show(rebuilt[key])}`);
  }
  return drift;
}

/**
 * Writes a receipt (npm run rebuild -- --record) whole or not at all: a temp file beside it is renamed
 * over it, so a killed recording leaves the previous receipt; its temp file goes on the next write.
 * @param {string} file @param {unknown} record
 */
export function writeReceiptFile(file, record) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}
