// @ts-check
'use strict';
// The one definition of the overlay.json format, shared by the synth that writes it (constructs/diego/
// overlay.ts; the edit types these lists are checked against are in release-overlay.ts) and the step that applies it
// (pipelines/lib/release/overlay.mjs, which refuses any other format or field).

/** Bumped when overlay.json changes shape: a step never applies an overlay written for another format. */
const OVERLAY_FORMAT = 1;

/**
 * The fields each edit op carries besides `op`. Typed as the edit interfaces' fields, so an op or a
 * field the TypeScript types lack is a type error here.
 * @type {import('./release-overlay.ts').EditFieldLists}
 */
const EDIT_KEYS = {
  'set-final-name': ['name'],
  'add-package': ['name', 'from'],
  'patch-job-spec': ['job', 'addPackages'],
  'drop-job-packages': ['job', 'dropPackages'],
  'keep-jobs': ['jobs'],
  'retarget-go-package': ['package', 'golangPackage', 'packaging', 'mainPackages'],
  'check-go-retargeted': [],
  'apply-patch': ['patch', 'upstreamRef', 'why'],
  'replace-package': ['package', 'packaging', 'files', 'dependencies', 'substitution'],
  'add-blob': ['path', 'source'],
};

module.exports = { OVERLAY_FORMAT, EDIT_KEYS };
