// Where an overlay's upstream release tree comes from, in order of precedence:
//   --upstream=<dir>          an existing release tree (a checkout the lab or user already has)
//   --upstream-fixture=<dir>  a spec-only fixture: a test tree is materialized from it in the work dir
//                             (only where a synth-level test asks for it explicitly)
//   (neither)                 the pinned source tree (pipelines/lib/upstream/upstream-source.mjs): the lock's
//                             tarball or a tree in --upstream-dir, else a clone of the tag
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addedPackageDirs } from '../release/overlay.mjs';
import { materializeTestTree } from './upstream-fixture.mjs';
import { resolveSourceTree } from './upstream-source.mjs';
import { StepError } from '../step/step.mjs';

/**
 * @param {object} o
 * @param {string} o.root project root (caches live under build/)
 * @param {import('../../../contracts/release-overlay.ts').ReleaseOverlay} o.overlay validated overlay (its upstream pin names the tree)
 * @param {string} [o.upstream] --upstream, resolved against the working directory
 * @param {string} [o.fixture] --upstream-fixture, resolved against the working directory
 * @param {string} [o.upstreamDir] --upstream-dir, where the pinned tarball or tree is looked for
 * @param {string} o.workDir scratch dir of this step (the fixture tree is built in it)
 * @param {string} o.sourceDir artifacts dir (for the overlay's added packages, whose files need placeholders)
 * @param {(msg: string) => void} [o.log] progress lines of a clone or an extraction
 * @returns {Promise<{dir: string, source: 'dir' | 'fixture' | 'git' | 'tarball', from?: string}>}
 */
export async function resolveUpstreamTree({ root, overlay, upstream, fixture, upstreamDir, workDir, sourceDir, log }) {
  if ([upstream, fixture, upstreamDir].filter(Boolean).length > 1) throw new StepError('give one of --upstream, --upstream-fixture, --upstream-dir');
  if (upstream) {
    const dir = resolve(upstream);
    if (!existsSync(dir)) throw new StepError(`--upstream=${upstream}: no such directory (${dir})`);
    return { dir, source: 'dir' };
  }
  if (fixture) {
    const fixtureDir = resolve(fixture);
    if (!existsSync(fixtureDir)) throw new StepError(`--upstream-fixture=${fixture}: no such directory (${fixtureDir})`);
    const dir = join(workDir, 'upstream');
    materializeTestTree({ fixtureDir, destDir: dir, extraPackageDirs: addedPackageDirs(overlay, sourceDir) });
    return { dir, source: 'fixture' };
  }
  const found = await resolveSourceTree({ root, upstreamDir: upstreamDir ? resolve(upstreamDir) : undefined, pin: overlay.upstream, log });
  return { dir: found.dir, source: found.kind, from: found.from };
}
