#!/usr/bin/env node
// npm run mutation: proves the tests can fail. In a scratch copy of the checkout it applies each
// deliberate break of lib/checks/mutants.mjs alone, runs only the test files aimed at it, and requires them to
// fail ("killed"). Before the breaks, the same files must pass on the unbroken copy, or a "kill" would
// prove nothing. Exits non-zero when a mutant survives or its code can no longer be found.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MUTANTS } from './lib/checks/mutants.mjs';
import { runCommandSync } from './lib/step/step.mjs';
import { projectRoot } from './lib/step/tools.mjs';

const root = projectRoot();

/** @typedef {import('./lib/checks/mutants.mjs').Mutant} Mutant */

/** A reason the check cannot pass; main() cleans up the scratch copy, then reports it. */
class CheckFailed extends Error {}
/**
 * @param {string} msg
 * @returns {never}
 */
function fail(msg) {
  throw new CheckFailed(msg);
}

/** The tracked files as they are now (edits included), beside a link to shared/ as CI lays it out. */
function scratchCopy() {
  const parent = mkdtempSync(join(tmpdir(), 'se-mutation-'));
  const dir = join(parent, 'repo');
  const ls = runCommandSync('git', ['ls-files', '-z'], { cwd: root });
  if (ls.code !== 0) fail(`git ls-files failed in ${root}: ${ls.stderr}`);
  for (const f of ls.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(root, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(root, f), join(dir, f));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  if (existsSync(join(root, '.tools'))) symlinkSync(join(root, '.tools'), join(dir, '.tools'));
  if (existsSync(join(root, '..', 'shared'))) symlinkSync(join(root, '..', 'shared'), join(parent, 'shared'));
  return { parent, dir };
}

/** @param {string} dir @param {string[]} files @param {string} [only] a jest -t pattern: just the tests named */
function jest(dir, files, only) {
  const started = Date.now();
  const filter = only ? ['-t', only] : [];
  const r = runCommandSync(process.execPath, [join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--bail', ...filter, ...files], { cwd: dir, env: { CI: 'true' } });
  return { status: r.code, output: `${r.stdout}${r.stderr}`, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

/**
 * The -t pattern a test file's baseline may be cut to: when every mutant aimed at it names the tests that
 * kill it (`only`), the rest of a slow e2e file need not run; else undefined (the whole file).
 * @param {string} file
 */
function baselinePattern(file) {
  const aimed = MUTANTS.filter((m) => m.tests.includes(file));
  return aimed.every((m) => m.only) ? aimed.map((m) => `(?:${m.only})`).join('|') : undefined;
}

/**
 * Runs the aimed files unbroken: whole files in one jest, cut ones each with its pattern.
 * @param {string} dir
 * @param {string[]} files
 */
function baselineRuns(dir, files) {
  const whole = files.filter((f) => !baselinePattern(f));
  const runs = whole.length ? [{ what: `${whole.length} whole test files`, r: jest(dir, whole) }] : [];
  for (const f of files.filter((f) => baselinePattern(f))) {
    const r = jest(dir, [f], baselinePattern(f));
    // a pattern that names no test would pass vacuously and make every kill of that file meaningless
    if (r.status === 0 && !/Tests:.*\b[1-9]\d* passed/.test(r.output)) fail(`the \`only\` pattern of the mutants aimed at ${f} names no test in it (fix: pipelines/lib/checks/mutants.mjs)`);
    runs.push({ what: `${f} -t ${baselinePattern(f)}`, r });
  }
  return runs;
}

/**
 * Replaces the mutant's snippet, which must occur exactly once; returns the original text to restore.
 * @param {string} dir
 * @param {Mutant} m
 */
function applyMutant(dir, m) {
  const file = join(dir, m.file);
  if (!existsSync(file)) fail(`mutant "${m.name}": ${m.file} does not exist (fix: update pipelines/lib/checks/mutants.mjs)`);
  const original = readFileSync(file, 'utf8');
  const count = original.split(m.find).length - 1;
  if (count !== 1) fail(`mutant "${m.name}": expected its snippet exactly once in ${m.file}, found ${count} (fix: update pipelines/lib/checks/mutants.mjs)\n  snippet: ${JSON.stringify(m.find)}`);
  writeFileSync(file, original.replace(m.find, () => m.replace));
  return original;
}

function main() {
  const started = Date.now();
  const { parent, dir } = scratchCopy();
  try {
    // dist/ built from the unbroken code: a test that ran a stale build would miss the breaks below.
    const build = runCommandSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir });
    if (build.code !== 0) fail(`the unbroken copy does not build:\n${build.stdout}${build.stderr}`);

    const allFiles = [...new Set(MUTANTS.flatMap((m) => m.tests))].sort();
    for (const f of allFiles) if (!existsSync(join(dir, f))) fail(`test file ${f} named in pipelines/lib/checks/mutants.mjs does not exist`);
    for (const { what, r } of baselineRuns(dir, allFiles)) {
      if (r.status !== 0) fail(`the aimed tests fail without any break (${what}, ${r.seconds}s), so no kill would mean anything:\n${r.output.slice(-4000)}`);
      process.stdout.write(`baseline: ${what} pass unbroken (${r.seconds}s)\n`);
    }

    const survivors = [];
    for (const m of MUTANTS) {
      const snapshot = m.after ? snapshotProfiles(dir) : undefined;
      const original = applyMutant(dir, m);
      try {
        if (m.after) {
          const r = runCommandSync(m.after[0], m.after.slice(1), { cwd: dir });
          if (r.code !== 0) fail(`mutant "${m.name}": its follow-up command failed:\n${r.stdout}${r.stderr}`);
        }
        const r = jest(dir, m.tests, m.only);
        // a break that no longer compiles or loads kills nothing: the tests never ran against it
        if (/Test suite failed to run|error TS\d+/.test(r.output)) fail(`mutant "${m.name}" does not compile or load, so it tests nothing (fix: pipelines/lib/checks/mutants.mjs):\n${r.output.slice(-3000)}`);
        const killed = r.status !== 0;
        process.stdout.write(`${killed ? 'killed  ' : 'SURVIVED'} ${m.name} (${m.tests.join(', ')}; ${r.seconds}s)\n`);
        if (!killed) survivors.push(m.name);
      } finally {
        writeFileSync(join(dir, m.file), original);
        if (snapshot) snapshot.restore();
      }
    }
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    if (survivors.length > 0) fail(`${survivors.length} of ${MUTANTS.length} mutants survived (${minutes} min): ${survivors.join('; ')}`);
    process.stdout.write(`mutation check: all ${MUTANTS.length} mutants killed (${minutes} min)\n`);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

/**
 * The generated profile modules, to put back after a mutant whose follow-up rewrote them.
 * @param {string} dir
 */
function snapshotProfiles(dir) {
  const profilesDir = join(dir, 'constructs', 'cf', 'profiles');
  const saved = readdirSync(profilesDir).map((f) => [join(profilesDir, f), readFileSync(join(profilesDir, f), 'utf8')]);
  return { restore: () => saved.forEach(([f, text]) => writeFileSync(f, text)) };
}

try {
  main();
} catch (err) {
  process.stderr.write(`mutation-check: ${err instanceof CheckFailed ? err.message : err.stack}\n`);
  process.exit(1);
}
