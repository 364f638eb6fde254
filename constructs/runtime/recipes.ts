import { gardenRuncRecipe } from './garden-runc-recipe';
import type { RuntimeReleaseRecipe } from './recipe';

/**
 * bpm (cf-deployment's addon on every VM). bpm itself is Go with vendor/ and builds with upstream's
 * packaging; runc and tini come from C blobs that upstream compiles with the compile VM's gcc.
 */
export const BPM: RuntimeReleaseRecipe = {
  name: 'bpm',
  upstreamRelease: 'bpm-release',
  repo: 'https://github.com/cloudfoundry/bpm-release',
  jobs: ['bpm'],
  dir: 'bpm',
  replacements: [
    {
      package: 'bpm-runc',
      files: ['runc/runc-v1.2.1-src.tgz'],
      blobs: [{ kind: 'upstream', path: 'runc/runc-v1.2.1-src.tgz', lockKey: 'runc' }],
      substitution: {
        upstream: 'runc 1.2.1 (runc-1.2.1.tar.xz) with libseccomp 2.5.1, gperf 3.1 and pkg-config 0.29.2 built from blobs by the compile VM gcc, dynamic PIE with an rpath to its own libseccomp',
        arm: 'runc 1.2.1 from runc-v1.2.1-src.tgz (same tag), cgo with the Debian cross compiler and libseccomp-dev:<arch> 2.5.4, static',
        why: 'the blobs are not obtainable offline and their packaging compiles C with the host gcc, which builds x86',
      },
    },
    {
      package: 'tini',
      files: ['tini/tini-v0.18.0-src.tgz'],
      blobs: [{ kind: 'upstream', path: 'tini/tini-v0.18.0-src.tgz', lockKey: 'tini' }],
      substitution: {
        upstream: 'tini 0.18.0 (tini-0.18.0.tar.gz) built with cmake and the compile VM gcc',
        arm: 'tini 0.18.0 from tini-v0.18.0-src.tgz (same tag), cmake with the Debian cross compiler',
        why: 'the blob is not obtainable offline and the host gcc builds x86',
      },
    },
  ],
};

/** The loggregator agent (cf-deployment's addon); Go with vendor/, built by upstream's packaging. */
export const LOGGREGATOR_AGENT: RuntimeReleaseRecipe = {
  name: 'loggregator-agent',
  upstreamRelease: 'loggregator-agent-release',
  repo: 'https://github.com/cloudfoundry/loggregator-agent-release',
  jobs: ['loggregator_agent'],
  dir: 'loggregator-agent',
};

/** BOSH DNS (the director's runtime config puts it on every VM); Go with vendor/, upstream's packaging. */
export const BOSH_DNS: RuntimeReleaseRecipe = {
  name: 'bosh-dns',
  upstreamRelease: 'bosh-dns-release',
  repo: 'https://github.com/cloudfoundry/bosh-dns-release',
  jobs: ['bosh-dns'],
  dir: 'bosh-dns',
};

/** garden-runc (the cell's container runtime): its data and reasons live in constructs/runtime/garden-runc/. */
export const GARDEN_RUNC: RuntimeReleaseRecipe = gardenRuncRecipe();

/** Every release a Pi cell runs beside the rep that the plan can build, by release name. */
export const RUNTIME_RECIPES: Readonly<Record<string, RuntimeReleaseRecipe>> = {
  [GARDEN_RUNC.name]: GARDEN_RUNC,
  [BPM.name]: BPM,
  [LOGGREGATOR_AGENT.name]: LOGGREGATOR_AGENT,
  [BOSH_DNS.name]: BOSH_DNS,
};
