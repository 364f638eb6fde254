// @ts-check
'use strict';
// The environment a BOSH director comes from (the bosh CLI reads these itself): the step runner and
// bosh-deploy refuse to start director work without all of them, and the synth refuses to render the
// value of a secret one into a manifest (constructs/bosh/secrets.ts).

/** Director credentials: their values must never reach a manifest, a log or a command line. */
const DIRECTOR_SECRET_ENV = /** @type {const} */ (['BOSH_CLIENT_SECRET', 'BOSH_CA_CERT']);

/** Everything a director step needs set, in the order error messages list them. */
const DIRECTOR_ENV = /** @type {const} */ (['BOSH_ENVIRONMENT', 'BOSH_CLIENT', ...DIRECTOR_SECRET_ENV]);

module.exports = { DIRECTOR_ENV, DIRECTOR_SECRET_ENV };
