// The cells deploy step's check that the director has each release the lab supplies (bpm, garden,
// the loggregator agent), compiled for the cells' stemcell, before `bosh deploy` runs.

/**
 * Which required releases the director lacks compiled for their stemcell, from each `bosh inspect-release
 * --json` (undefined output: the release is not there at all). A release only in source form would be
 * compiled on the cells' ARM compilation VMs, which is what compiled releases avoid.
 */
export function missingReleases(required, inspected) {
  return required
    .filter((r) => {
      const out = inspected.get(r.release);
      if (out === undefined) return true;
      const rows = (JSON.parse(out).Tables ?? []).find((t) => t.Content === 'packages')?.Rows ?? [];
      return !rows.some((row) => Object.values(row).some((v) => String(v).trim() === r.stemcell));
    })
    .map((r) => `${r.release} compiled for ${r.stemcell}`);
}

