// Reading and writing BOSH spec files for overlays. Specs are re-rendered, not text-patched, so the
// same overlay on the same upstream always gives the same bytes (the job fingerprint depends on them).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';

/**
 * The fields of BOSH release YAML (job and package specs, config/final.yml) that the steps read. It is
 * upstream data: any of them may be absent, and each reader checks what it relies on.
 * @typedef {{ name?: string, final_name?: string, packages?: string[], dependencies?: string[], files?: string[], templates?: Record<string, string>, builds?: Record<string, unknown> }} ReleaseYaml
 */

/**
 * @param {string} file a spec or config file of a BOSH release tree
 * @returns {ReleaseYaml | undefined}
 */
export function readYaml(file) {
  return /** @type {ReleaseYaml | undefined} */ (yaml.load(readFileSync(file, 'utf8'), { filename: file }));
}

/**
 * Upstream key order is kept (it carries meaning for humans); no wrapping, no anchors.
 * @param {unknown} doc
 */
export function renderYaml(doc) {
  return `---\n${yaml.dump(doc, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}

/**
 * Replaces a file by rename, never in place: the copy of an upstream tree may share inodes with it.
 * @param {string} file
 * @param {unknown} doc
 */
export function writeYamlReplacing(file, doc) {
  writeFileReplacing(file, renderYaml(doc));
}

/**
 * @param {string} file
 * @param {string | Buffer} content
 */
export function writeFileReplacing(file, content, mode = 0o644) {
  const tmp = `${file}.overlay-tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}
