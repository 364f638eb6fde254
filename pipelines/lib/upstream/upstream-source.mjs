// The pinned diego-release source tree, the only source of every Go package the lab builds. Looked up
// at step time, in this order:
//   1. <upstream dir>/<release>-<version>-src.tgz   sha256 checked against the lock before extraction,
//                                                   extracted once into build/upstream/ (content-addressed)
//   2. <upstream dir>/<release>-<version>/          when it holds sources (src/<module dir>/go.mod)
//   3. git clone --recurse-submodules of the tag    into build/upstream/ (pipelines/lib/upstream/upstream-git.mjs)
// A spec-only folder (specs, no src/) is never a source tree: only a synth-level test asks for one, and
// it says so explicitly (--upstream-fixture of create-release).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkPinnedTarball } from './pinned-tarball.mjs';
import { checkoutUpstream } from './upstream-git.mjs';
import { runCommandSync, StepError } from '../step/step.mjs';

export const MODULE_DIR = 'code.cloudfoundry.org';

/**
 * A release tree pin, as a cross-compile plan (constructs/golang) or an overlay (without `go`) carries it.
 * @typedef {import('../../../contracts/go-build-plan.ts').SourcePin} TreePin
 */

/**
 * @param {object} o
 * @param {string} o.root project root (caches live under build/upstream)
 * @param {string} [o.upstreamDir] where tarballs and trees are looked for (STACK_ELEVATOR_UPSTREAM at synth)
 * @param {TreePin} o.pin
 * @param {(msg: string) => void} [o.log]
 * @returns {Promise<{ dir: string, kind: 'tarball' | 'dir' | 'git', from: string }>}
 */
export async function resolveSourceTree({ root, upstreamDir, pin, log = () => {} }) {
  const stem = `${pin.release}-${pin.version}`;
  const looked = [];
  if (upstreamDir) {
    const tarball = join(upstreamDir, `${stem}-src.tgz`);
    looked.push(tarball);
    if (existsSync(tarball)) return { dir: await extractTarball({ root, tarball, pin, log }), kind: 'tarball', from: tarball };
    const dir = join(upstreamDir, stem);
    looked.push(`${dir}/src/${MODULE_DIR}/go.mod`);
    if (existsSync(join(dir, 'src', MODULE_DIR, 'go.mod'))) return { dir, kind: 'dir', from: dir };
  }
  if (!pin.repo) throw new StepError(`no ${stem} source tree: looked for ${looked.join(', ')}, and no repository to clone`);
  try {
    log(`no source tarball or tree (looked for ${looked.join(', ') || 'none: no upstream dir'}); git clone --recurse-submodules ${pin.repo} ${pin.version}`);
    const dir = checkoutUpstream({ root, repo: pin.repo, name: pin.release, version: pin.version, sha: pin.sha });
    return { dir, kind: 'git', from: `${pin.repo}@${pin.version}` };
  } catch (err) {
    throw new StepError(
      `no ${stem} source tree: looked for ${looked.length ? looked.join(', ') : '(no upstream dir given)'}, then ${err.message} ` +
        `(fix: set STACK_ELEVATOR_UPSTREAM to a directory holding ${stem}-src.tgz or ${stem}/ with its submodules, and synth again; or give this machine network for the clone)`,
    );
  }
}

/**
 * Checks the tarball against the lock first (nothing is extracted from a tarball the lock does not
 * name), then extracts it once: concurrent steps and warm re-runs reuse the same directory.
 * @param {{ root: string, tarball: string, pin: TreePin, log: (msg: string) => void }} o
 */
async function extractTarball({ root, tarball, pin, log }) {
  const stem = `${pin.release}-${pin.version}`;
  const actual = await checkPinnedTarball(tarball, pin.tarballSha256, {
    unpinned: (found) => new Error(`${tarball}: the lock pins no tarballSha256 for ${pin.release} ${pin.version} (found sha256 ${found}; fix: add "tarballSha256": "${found}" to upstream.${pin.release} in lab.lock.json once you trust it)`),
    mismatch: (found) => new Error(`${tarball}: sha256 ${found} differs from the lock's ${pin.tarballSha256} (upstream.${pin.release}.tarballSha256 in lab.lock.json); refused before extracting anything`),
  });
  const cache = join(root, 'build', 'upstream');
  const dir = join(cache, `${stem}-src-${actual.slice(0, 16)}`);
  if (existsSync(dir)) return dir;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, `.${stem}-src-`));
  try {
    log(`extracting ${tarball} (sha256 ${actual})`);
    const r = runCommandSync('tar', ['-xzf', tarball, '-C', tmp, '--no-same-owner']);
    if (r.code !== 0) throw new StepError(`tar -xzf ${tarball} failed: ${(r.stderr || '').trim()}`);
    const top = readdirSync(tmp);
    if (top.length !== 1 || top[0] !== stem) throw new StepError(`${tarball}: expected one top folder ${stem}/, found ${top.join(', ') || 'nothing'}`);
    try {
      renameSync(join(tmp, stem), dir);
    } catch (err) {
      if (!existsSync(dir)) throw err; // another step extracted the same bytes first
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A submodule a package needs, missing or empty in the tree (a clone without --recurse-submodules):
 * the error names its path and the commit the tag pins.
 * @param {string} tree release tree
 * @param {readonly string[]} submodules paths under src/<module dir>, e.g. ["healthcheck"]
 * @param {TreePin} pin
 * @param {string} who e.g. "package healthcheck_armhf"
 */
export function checkSubmodules(tree, submodules, pin, who) {
  for (const name of submodules) {
    const dir = join(tree, 'src', MODULE_DIR, name);
    if (existsSync(dir) && readdirSync(dir).length > 0) continue;
    const commit = pin.submodules?.[name] ?? gitlink(tree, `src/${MODULE_DIR}/${name}`);
    throw new StepError(
      `${who} needs submodule src/${MODULE_DIR}/${name}, which is ${existsSync(dir) ? 'empty' : 'missing'} in ${tree} ` +
        `(${pin.release} ${pin.version} pins it at commit ${commit ?? '(unknown: the lock records none)'}; ` +
        `fix: git submodule update --init src/${MODULE_DIR}/${name}, or use a tree cloned with --recurse-submodules)`,
    );
  }
}

/**
 * @param {string} tree
 * @param {string} path
 */
function gitlink(tree, path) {
  let r;
  try {
    r = runCommandSync('git', ['-C', tree, 'ls-tree', 'HEAD', path]);
  } catch {
    return undefined; // no git: the error names the commit as unknown
  }
  const m = /^160000 commit ([0-9a-f]{40})\t/.exec(r.stdout ?? '');
  return m ? m[1] : undefined;
}
