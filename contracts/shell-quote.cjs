// @ts-check
'use strict';
// How plan commands and printed director commands spell an argument for /bin/sh: the synth's step
// commands (constructs/plan/plan-graph.ts) and the commands bosh-deploy prints use the same rule.

/**
 * Quotes a value for /bin/sh only when it needs it; the values are paths, names and flags, never secrets.
 * @param {string} v
 * @returns {string}
 */
function shellQuote(v) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

module.exports = { shellQuote };
