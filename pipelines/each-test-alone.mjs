#!/usr/bin/env node
// npm run test:alone [-- <dir or file> ...] [--randomize]: runs every test file in its own `jest <file>`
// (default: test/unit and test/synth), so no file passes only because an earlier suite left build/ or
// dist/ behind; with --randomize it then runs all of them once more in one jest run, in a random order.
// Run it on a fresh clone after `npm ci`: that is the state a suite must cope with alone.
// Exits non-zero when any file fails; prints each file's result and seconds.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCommand } from './lib/step/step.mjs';
import { projectRoot } from './lib/step/tools.mjs';

const root = projectRoot();
const argv = process.argv.slice(2);
const randomize = argv.includes('--randomize');
const targets = argv.filter((a) => !a.startsWith('--'));
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');

/** @param {string} path @returns {string[]} */
function testFiles(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(join(path, e.name)) : e.name.endsWith('.test.ts') ? [join(path, e.name)] : []))
    .sort();
}

/** @param {string[]} args */
async function jest(args) {
  const started = Date.now();
  const r = await runCommand(process.execPath, [jestBin, '--ci', ...args], { cwd: root });
  return { ok: r.code === 0, seconds: (Date.now() - started) / 1000, output: `${r.stdout}${r.stderr}` };
}

const dirs = (targets.length > 0 ? targets : ['test/unit', 'test/synth']).map((t) => join(root, t));
const files = dirs.flatMap(testFiles).map((f) => relative(root, f));
/** @type {string[]} */
const failed = [];
for (const file of files) {
  const r = await jest([file]);
  process.stdout.write(`${r.ok ? 'pass' : 'FAIL'} ${file} (${r.seconds.toFixed(0)} s)\n`);
  if (!r.ok) {
    failed.push(file);
    process.stdout.write(`${r.output.split('\n').filter((l) => /●|Error|expect|Expected|Received/.test(l)).slice(0, 20).join('\n')}\n`);
  }
}
if (randomize) {
  const r = await jest(['--randomize', ...dirs.map((d) => relative(root, d))]);
  const seed = /Seed:\s*(-?\d+)/.exec(r.output)?.[1] ?? '?';
  process.stdout.write(`${r.ok ? 'pass' : 'FAIL'} jest --randomize ${dirs.map((d) => relative(root, d)).join(' ')} (seed ${seed}, ${r.seconds.toFixed(0)} s)\n`);
  if (!r.ok) {
    failed.push(`--randomize (seed ${seed})`);
    process.stdout.write(`${r.output.split('\n').filter((l) => /^(FAIL|\s+●)/.test(l)).slice(0, 30).join('\n')}\n`);
  }
}
process.stdout.write(`${files.length} file(s) alone${randomize ? ' + one randomized run' : ''}: ${failed.length === 0 ? 'all passed' : `failed: ${failed.join(', ')}`}\n`);
process.exit(failed.length === 0 ? 0 : 1);
