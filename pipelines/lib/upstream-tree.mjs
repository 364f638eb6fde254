// Where an overlay's upstream release tree comes from, in order of precedence:
//   --upstream=<dir>          an existing release tree (a checkout the lab or user already has)
//   --upstream-fixture=<dir>  a spec-only fixture: a test tree is materialized from it in the work dir
//   (neither)                 a git clone of overlay.upstream.repo at overlay.upstream.version
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addedPackageDirs } from './overlay.mjs';
import { materializeTestTree } from './upstream-fixture.mjs';
import { checkoutUpstream } from './upstream-git.mjs';

/**
 * @param {object} o
 * @param {string} o.root project root (git cache lives under build/)
 * @param {object} o.overlay validated overlay (upstream.release, upstream.version, upstream.repo, upstream.sha)
 * @param {string} [o.upstream] --upstream, resolved against the working directory
 * @param {string} [o.fixture] --upstream-fixture, resolved against the working directory
 * @param {string} o.workDir scratch dir of this step (the fixture tree is built in it)
 * @param {string} o.sourceDir artifacts dir (for the overlay's added packages, whose files need placeholders)
 * @returns {{dir: string, source: 'dir' | 'fixture' | 'git'}}
 */
export function resolveUpstreamTree({ root, overlay, upstream, fixture, workDir, sourceDir }) {
  if (upstream && fixture) throw new Error('give --upstream or --upstream-fixture, not both');
  if (upstream) {
    const dir = resolve(upstream);
    if (!existsSync(dir)) throw new Error(`--upstream=${upstream}: no such directory (${dir})`);
    return { dir, source: 'dir' };
  }
  if (fixture) {
    const fixtureDir = resolve(fixture);
    if (!existsSync(fixtureDir)) throw new Error(`--upstream-fixture=${fixture}: no such directory (${fixtureDir})`);
    const dir = join(workDir, 'upstream');
    materializeTestTree({ fixtureDir, destDir: dir, extraPackageDirs: addedPackageDirs(overlay, sourceDir) });
    return { dir, source: 'fixture' };
  }
  const { repo, release, version, sha } = overlay.upstream;
  if (!repo) throw new Error(`overlay ${overlay.release.name} names no upstream repo and no --upstream/--upstream-fixture was given`);
  return { dir: checkoutUpstream({ root, repo, name: release, version, sha }), source: 'git' };
}
