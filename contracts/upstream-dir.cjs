// @ts-check
'use strict';
// Where the pinned upstream trees and tarballs are looked for: the one lookup the synth, setup and every
// pipeline share. A development checkout or CI names its fixtures through the environment; the product
// itself knows no path outside the project.
const { resolve } = require('node:path');

/** The environment variable naming the upstream directory (relative to the project root, or absolute). */
const UPSTREAM_ENV = 'STACK_ELEVATOR_UPSTREAM';

/**
 * `$STACK_ELEVATOR_UPSTREAM`, else `<root>/upstream`, as an absolute path.
 * @param {string} root the project root
 * @param {Record<string, string | undefined>} env
 */
function upstreamDirOf(root, env) {
  return resolve(root, env[UPSTREAM_ENV] || 'upstream');
}

module.exports = { UPSTREAM_ENV, upstreamDirOf };
