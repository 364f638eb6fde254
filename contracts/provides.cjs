// @ts-check
'use strict';
// The names under which a plan step declares an output (plan.json `provides`: key -> path inside the
// step's output directory). Producers (the constructs) and consumers (try-app, the preview, the receipt)
// build keys with these functions only, so an output is found by what it is, never by a file-name guess.

const PROVIDES = Object.freeze({
  /** The stack's normalized rootfs tarball (export-rootfs). @param {string} stack */
  rootfsTarball: (stack) => `rootfs-tarball/${stack}`,
  /** The cell arch's buildpack app lifecycle bundle (its cross-compile step). @param {string} arch */
  lifecycleBundle: (arch) => `lifecycle-bundle/${arch}`,
  /** The cell arch's diego-sshd binary. @param {string} arch */
  diegoSshd: (arch) => `diego-sshd/${arch}`,
  /** The cell arch's healthcheck binary. @param {string} arch */
  healthcheck: (arch) => `healthcheck/${arch}`,
  /** The stack's ARM binary buildpack zip (build-buildpack). @param {string} stack */
  buildpackZip: (stack) => `buildpack-zip/${stack}`,
  /** The BOSH release holding the stack's buildpack zip (create-release). @param {string} stack */
  buildpackRelease: (stack) => `buildpack-release/${stack}`,
});

/** File names the producing step writes, so the declared path and the written file are one fact. */
const OUTPUT_FILES = Object.freeze({
  rootfsTarball: 'rootfs.tgz',
  /** @param {string} stack @param {string} version */
  buildpackZip: (stack, version) => `binary_buildpack-${stack}-${version}.zip`,
});

module.exports = { OUTPUT_FILES, PROVIDES };
