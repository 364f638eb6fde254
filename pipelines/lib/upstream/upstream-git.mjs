// A real lab's upstream tree: a git checkout of the release at its pinned tag, submodules included
// (diego-release keeps its Go sources in submodules under src/). Cached under build/upstream so the
// two Diego variants share one clone; created atomically so concurrent steps never see half a clone.
import { runCommandSync, StepError } from '../step/step.mjs';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {object} o
 * @param {string} o.root project root
 * @param {string} o.repo e.g. https://github.com/cloudfoundry/diego-release
 * @param {string} o.name directory stem, e.g. diego-release
 * @param {string} o.version git tag, e.g. v2.105.0
 * @param {string} [o.sha] the commit the lock pins the tag to; a moved tag is an error
 * @returns {string} the checkout directory
 */
export function checkoutUpstream({ root, repo, name, version, sha }) {
  const cacheDir = join(root, 'build', 'upstream');
  const dir = join(cacheDir, `${name}-${version}`);
  if (existsSync(dir)) {
    verifyHead(dir, version, sha);
    return dir;
  }
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, `.${name}-${version}-`));
  try {
    git(['-c', 'advice.detachedHead=false', 'clone', '--quiet', '--depth=1', `--branch=${version}`, '--recurse-submodules', '--shallow-submodules', repo, join(tmp, 'tree')]);
    verifyHead(join(tmp, 'tree'), version, sha);
    try {
      renameSync(join(tmp, 'tree'), dir);
    } catch (err) {
      // Another step finished the same clone first: theirs is as good as ours.
      if (!existsSync(dir)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * @param {string} dir
 * @param {string} version
 * @param {string | undefined} sha
 */
function verifyHead(dir, version, sha) {
  if (!sha) return;
  const head = git(['-C', dir, 'rev-parse', 'HEAD']).trim();
  if (!head.startsWith(sha) && !sha.startsWith(head)) {
    throw new StepError(`${dir}: tag ${version} is at ${head}, but lab.lock.json pins ${sha} (the tag moved upstream, or the lock is stale)`);
  }
}

/** @param {string[]} args */
function git(args) {
  const r = runCommandSync('git', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.code !== 0) throw new StepError(`git ${args.join(' ')} failed with exit code ${r.code}`);
  return r.stdout;
}
