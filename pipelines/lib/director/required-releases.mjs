// The cells deploy step's check that the director has each release the lab supplies (bpm, garden,
// the loggregator agent), compiled for the cells' stemcell, before `bosh deploy` runs.
import yaml from 'js-yaml';

/** @typedef {import('../release/release-mf.mjs').BoshJson} BoshJson */

/**
 * Which required releases the director lacks compiled for their stemcell, from each `bosh inspect-release
 * --json` (undefined output: the release is not there at all). A release only in source form would be
 * compiled on the cells' ARM compilation VMs, which is what compiled releases avoid.
 * @param {{ release: string, stemcell: string }[]} required
 * @param {Map<string, string>} inspected release -> its `bosh inspect-release --json` output
 */
export function missingReleases(required, inspected) {
  return required
    .filter((r) => {
      const out = inspected.get(r.release);
      if (out === undefined) return true;
      const rows = (/** @type {BoshJson} */ (JSON.parse(out)).Tables ?? []).find((t) => t.Content === 'packages')?.Rows ?? [];
      return !rows.some((row) => Object.values(row).some((v) => String(v).trim() === r.stemcell));
    })
    .map((r) => `${r.release} compiled for ${r.stemcell}`);
}


/**
 * Which `<name>/<version>` the director's default runtime config does not name at that version, from
 * `bosh runtime-config` (its YAML). The cells get bosh-dns from there, not from their manifest.
 * @param {string[]} required e.g. ["bosh-dns/1.39.0"]
 * @param {string | undefined} runtimeConfigYaml undefined: the director has no runtime config
 */
export function runtimeConfigProblems(required, runtimeConfigYaml) {
  const doc = runtimeConfigYaml === undefined ? undefined : /** @type {any} */ (yaml.load(runtimeConfigYaml));
  const releases = Array.isArray(doc?.releases) ? doc.releases : [];
  return required.flatMap((spec) => {
    const [name, version] = spec.split('/');
    const found = releases.find((/** @type {any} */ r) => r?.name === name);
    if (!found) return [`the runtime config names no ${name} release (the cells need ${spec} from it)`];
    if (String(found.version) !== version) return [`the runtime config names ${name} ${found.version}, the plan built ${spec} for the cells`];
    return [];
  });
}
