import { createHash } from 'node:crypto';
import { OVERLAY_FORMAT } from '../../contracts/overlay-format.cjs';

/**
 * A release overlay is data: an ordered list of edits applied to a copy of a pinned upstream release
 * tree at step time by pipelines/lib/release/overlay.mjs (the one implementation; this file only types and
 * renders it). Keeping it data means synth never needs the upstream tree, and the step fails loudly
 * when the tree it meets lacks what an edit patches.
 */
export { OVERLAY_FORMAT };

export type { SetFinalName, AddPackage, PatchJobSpec, DropJobPackages, KeepJobs, RetargetGoPackage, CheckGoRetargeted, ApplyPatch, Substitution, ReplacePackage, BlobSource, AddBlob, OverlayEdit, EditFieldLists, OverlayUpstream, ReleaseOverlay } from '../../contracts/release-overlay';
import type { OverlayEdit, ReleaseOverlay } from '../../contracts/release-overlay';

/** Canonical JSON (sorted keys, two-space indent, trailing LF): the overlay.json artifact bytes. */
export function renderOverlay(overlay: ReleaseOverlay): string {
  return `${JSON.stringify(sortKeys(overlay), null, 2)}\n`;
}

/**
 * `<upstream version without v>+arm.<12 hex>`: derived from the upstream pin, the edits and the bytes
 * of every file the edits pull in, so it changes exactly when the release contents can, and can never
 * be mistaken for an upstream version.
 */
export function overlayReleaseVersion(upstreamVersion: string, edits: readonly OverlayEdit[], inputsDigest: string): string {
  const hash = createHash('sha256').update(JSON.stringify(sortKeys(edits))).update('\0').update(upstreamVersion).update('\0').update(inputsDigest).digest('hex');
  return `${upstreamVersion.replace(/^v/, '')}+arm.${hash.slice(0, 12)}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
