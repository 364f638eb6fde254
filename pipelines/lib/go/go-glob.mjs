// BOSH package `files:` globs, relative to a release's src/: `*` and `?` stay inside one path
// element, `**/` spans any number of directories, and dot-files are never matched (Ruby Dir.glob).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StepError } from '../step/step.mjs';

/** @param {string} glob */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      re += '(?:[^/.][^/]*/)*';
      i += 2;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/**
 * Every file under `root` (relative, sorted), skipping dot-files and dot-directories as BOSH does.
 * @param {string} root
 * @param {string} [rel]
 * @returns {string[]}
 */
export function walkFiles(root, rel = '') {
  /** @type {string[]} */
  const out = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walkFiles(root, p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/**
 * The files a spec's globs select from a file list. A glob that selects nothing is an error, as it is
 * for `bosh create-release`: it means the spec and the source tree disagree.
 * @param {string[]} files
 * @param {readonly string[]} globs
 * @returns {string[]}
 */
export function selectFiles(files, globs) {
  const picked = new Set();
  for (const g of globs) {
    const re = globToRegExp(g);
    const hits = files.filter((f) => re.test(f));
    if (hits.length === 0) throw new StepError(`spec files glob ${g} matches no file under src/`);
    for (const h of hits) picked.add(h);
  }
  return [...picked].sort();
}

/**
 * The files under `root` that any of `globs` could match, walking only the globs' literal leading
 * directories (a release tree is large; a package reads a small part of it). Relative, sorted.
 * @param {string} root
 * @param {readonly string[]} globs
 * @returns {string[]}
 */
export function walkGlobRoots(root, globs) {
  const prefixes = [...new Set(globs.map((g) => {
    const parts = g.split('/');
    const lit = [];
    for (const p of parts.slice(0, -1)) {
      if (/[*?[{]/.test(p)) break;
      lit.push(p);
    }
    return lit.join('/');
  }))].sort();
  // A prefix inside another one is walked with it.
  const tops = prefixes.filter((p, i) => !prefixes.slice(0, i).some((q) => q === '' || p === q || p.startsWith(`${q}/`)));
  const out = new Set();
  for (const t of tops) {
    if (t !== '' && !existsSync(join(root, t))) continue;
    for (const f of walkFiles(root, t)) out.add(f);
  }
  return [...out].sort();
}
