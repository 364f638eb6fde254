'use strict';
// Atomic replacement of an output directory (docs/crash-consistency.md).
//
// The output path is a symlink to a real folder `.<name>.v-<pid>-<rand>` beside it. A new output is
// written into a fresh real folder; it is published by creating a fresh link `.<name>.l-<pid>-<rand>`
// and renaming it over the output path: rename(2) replaces the old link in one step, so at every instant
// the path resolves to the complete previous output or the complete new one. The previous real folder is
// removed afterwards; whatever a killed run leaves (real folders, links, temp files) carries its pid and
// is removed by the next run once that pid no longer runs.
//
// Functions are called through the `fs` module object (not destructured) so that the crash harness's
// preload (pipelines/lib/step/crash-hook.cjs) sees every step of a swap.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

function rand() {
  return crypto.randomBytes(4).toString('hex');
}

/**
 * True when process `pid` still runs (EPERM: it runs under another user); a zombie does not.
 * @param {number} pid
 */
function isRunning(pid) {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process that no one has reaped yet (an orphan waits for pid 1, which may take seconds on a
 * loaded machine) still answers kill(pid, 0), but runs no more: its leftovers are fair game.
 * @param {number} pid
 */
function isZombie(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Prefixes of the entries beside `target` that belong to its swaps.
 * @param {string} target
 */
function prefixes(target) {
  const name = path.basename(target);
  return { real: `.${name}.v-`, link: `.${name}.l-`, aside: `.${name}.a-`, file: `.${name}.w-` };
}

/**
 * Removes the real folders, links and temp files beside `target` left by runs that no longer run,
 * except the folder `target` points at. Returns the names removed.
 * @param {string} target
 * @returns {string[]}
 */
function cleanLeftovers(target) {
  const parent = path.dirname(target);
  if (!fs.existsSync(parent)) return [];
  const p = prefixes(target);
  let current;
  try {
    current = path.basename(fs.readlinkSync(target));
  } catch {
    current = undefined;
  }
  const removed = [];
  for (const entry of fs.readdirSync(parent)) {
    const prefix = [p.real, p.link, p.aside, p.file].find((x) => entry.startsWith(x));
    if (!prefix || entry === current) continue;
    const pid = Number(/^(\d+)-/.exec(entry.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) continue;
    fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/**
 * Cleans leftovers, then creates and returns a fresh real folder beside `target` to write a new output into.
 * @param {string} target
 * @returns {string}
 */
function prepareDir(target) {
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  cleanLeftovers(target);
  const dir = path.join(parent, `${prefixes(target).real}${process.pid}-${rand()}`);
  fs.mkdirSync(dir);
  return dir;
}

/**
 * Publishes `dir` (from prepareDir) as `target` with one rename of a fresh link over the old one, then
 * removes the previous real folder. A `target` that is still a real folder (made before outputs were
 * links) is renamed aside first: that one-time migration is the only moment the path is absent.
 * @param {string} target
 * @param {string} dir
 * @returns {string}
 */
function commitDir(target, dir) {
  const parent = path.dirname(target);
  const p = prefixes(target);
  if (path.dirname(dir) !== parent || !path.basename(dir).startsWith(p.real)) {
    throw new Error(`commitDir: ${dir} is not a folder prepareDir made for ${target}`);
  }
  let previous;
  let st;
  try {
    st = fs.lstatSync(target);
  } catch {
    st = undefined;
  }
  if (st && st.isSymbolicLink()) {
    previous = path.join(parent, path.basename(fs.readlinkSync(target)));
  } else if (st) {
    previous = path.join(parent, `${p.aside}${process.pid}-${rand()}`);
    fs.renameSync(target, previous);
  }
  const link = path.join(parent, `${p.link}${process.pid}-${rand()}`);
  fs.symlinkSync(path.basename(dir), link);
  fs.renameSync(link, target);
  if (previous && previous !== dir) fs.rmSync(previous, { recursive: true, force: true });
  return target;
}

/**
 * Removes `target` (link and the real folder it points at, or a plain folder).
 * @param {string} target
 */
function removeDir(target) {
  let st;
  try {
    st = fs.lstatSync(target);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) {
    const real = path.join(path.dirname(target), path.basename(fs.readlinkSync(target)));
    fs.unlinkSync(target);
    fs.rmSync(real, { recursive: true, force: true });
  } else {
    fs.rmSync(target, { recursive: true, force: true });
  }
}

/**
 * Builds a new output with `build(dir)` and swaps it in; on failure the previous output stays.
 * @template T
 * @param {string} target
 * @param {(dir: string) => T} build
 * @returns {T}
 */
function replaceDir(target, build) {
  const dir = prepareDir(target);
  try {
    const result = build(dir);
    commitDir(target, dir);
    return result;
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Writes a file by writing a temp file `.<name>.w-<pid>-<rand>` beside it and renaming it over the file;
 * temp files of killed writers are removed first.
 * @param {string} file
 * @param {string | NodeJS.ArrayBufferView} data
 * @param {import('node:fs').WriteFileOptions} [options]
 */
function writeFileAtomic(file, data, options) {
  cleanLeftovers(file);
  const tmp = path.join(path.dirname(file), `${prefixes(file).file}${process.pid}-${rand()}`);
  try {
    fs.writeFileSync(tmp, data, options);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

module.exports = { prepareDir, commitDir, replaceDir, removeDir, cleanLeftovers, writeFileAtomic, isRunning };
