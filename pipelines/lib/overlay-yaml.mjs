// Reading and writing BOSH spec files for overlays. Specs are re-rendered, not text-patched, so the
// same overlay on the same upstream always gives the same bytes (the job fingerprint depends on them).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';

export function readYaml(file) {
  return yaml.load(readFileSync(file, 'utf8'), { filename: file });
}

/** Upstream key order is kept (it carries meaning for humans); no wrapping, no anchors. */
export function renderYaml(doc) {
  return `---\n${yaml.dump(doc, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}

/** Replaces a file by rename, never in place: the copy of an upstream tree may share inodes with it. */
export function writeYamlReplacing(file, doc) {
  writeFileReplacing(file, renderYaml(doc));
}

export function writeFileReplacing(file, content, mode = 0o644) {
  const tmp = `${file}.overlay-tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}
