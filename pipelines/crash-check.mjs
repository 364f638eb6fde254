#!/usr/bin/env node
// npm run crash-check [-- --budget=small|full] [--only=synth,preview,step,create-release,cross-compile,buildpack,compile-release,export-rootfs,package-check,try-app] [--kills=N] [--seed=S] [--self-test=leaked-process]
//
// Crash-consistency harness (docs/crash-consistency.md). For each command it measures a clean run, then
// SIGKILLs the command's whole process group at many moments spread over that duration (seeded, the seed
// is printed for replay) and, through a preload used only here (pipelines/lib/step/crash-hook.cjs), just
// before every file-system step of the output swap. After each kill it checks:
//   - the output path holds the complete old result or the complete new one (content hashes of clean runs;
//     for real plan steps, the identity a rebuild compares: pipelines/lib/checks/crash-plan-steps.mjs);
//   - no process of this run is left (every process carries STACK_ELEVATOR_RUN_OWNER=<token>);
//   - the next, unkilled run gives the same result as a never-killed run and leaves no temp files/folders
//     (nor, for the steps that make Docker containers, any container).
// Cases synth, preview, step, create-release and compile-release run in both budgets; the slower real plan
// steps (cross-compile, buildpack, export-rootfs, package-check, try-app) in full only.
// Prints a table command x kills x outcomes and exits 1 on any violation, naming the moment and the fault.
// child_process needed: each command starts detached in its own process group, so the kill reaches the
// whole group at a chosen millisecond, and its pid is what the kill and the leftover checks name.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildpackCase, compileReleaseCase } from './lib/checks/crash-artifact-steps.mjs';
import { createReleaseCase, crossCompileCase } from './lib/checks/crash-plan-steps.mjs';
import { exportRootfsCase, packageCheckCase, tryAppCase } from './lib/checks/crash-rootfs-steps.mjs';
import { isRunning } from '../contracts/atomic-dir.cjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CASE_NAMES = 'synth,preview,step,create-release,cross-compile,buildpack,compile-release,export-rootfs,package-check,try-app';
const HOOK = join(root, 'pipelines', 'lib', 'step', 'crash-hook.cjs');
const USAGE = `use --budget=small|full, --only=${CASE_NAMES}, --kills=N, --seed=S, --self-test=leaked-process`;
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const m = /^--(budget|only|kills|seed|self-test|help)(?:=(.*))?$/.exec(a);
  if (!m) return fail(`crash-check: unknown argument '${a}' (${USAGE})`);
  return [m[1], m[2] ?? ''];
}));
if (args.help !== undefined) {
  process.stdout.write(`npm run crash-check [-- options]: kills each command at many moments and checks its output is the old or the new one\n  ${USAGE}\n  --self-test=leaked-process: the step case's demo leaves a process that escaped the kill (setsid); the check must report it\n`);
  process.exit(0);
}
if (args['self-test'] !== undefined && args['self-test'] !== 'leaked-process') fail(`crash-check: --self-test='${args['self-test']}': the one self-test is leaked-process`);
const budget = args.budget ?? 'small';
if (!['small', 'full'].includes(budget)) fail(`crash-check: --budget='${budget}': use small or full`);
const seed = args.seed !== undefined ? Number(args.seed) : randomBytes(4).readUInt32LE(0);
const only = args.only ? args.only.split(',') : undefined;
const owner = `crash-check-${process.pid}-${randomBytes(3).toString('hex')}`;

/** @param {string} msg @returns {never} */
function fail(msg) {
  process.stderr.write(`${msg}\n`);
  process.exit(2);
}

/**
 * mulberry32: a small seeded generator, so a run's kill moments can be replayed with --seed.
 * @param {number} s
 */
function rng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Content hash of a tree read through links: relative path, mode and bytes of every file; 'absent' if none.
 * @param {string} path
 */
export function treeHash(path) {
  if (!existsSync(path)) return 'absent';
  const h = createHash('sha256');
  /** @param {string} dir @param {string} rel */
  const walk = (dir, rel) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) { h.update(`d ${rel}${name}\n`); walk(p, `${rel}${name}/`); }
      else h.update(`f ${rel}${name} ${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}\n`);
    }
  };
  if (statSync(path).isDirectory()) walk(path, ''); else h.update(readFileSync(path));
  return h.digest('hex').slice(0, 16);
}

/** Processes still running (not zombies) that carry this harness's run-owner token. */
function ownedProcesses() {
  const left = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`STACK_ELEVATOR_RUN_OWNER=${owner}`) && isRunning(Number(pid))) left.push(pid);
    } catch { /* gone or not ours */ }
  }
  return left;
}

/** @param {string[]} pids */
function killOwned(pids) {
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch { /* gone */ }
  }
}

/**
 * The owned processes still running once a killed group has had time to die. SIGKILL reaches every
 * member of the group at once, but on a loaded machine a member that does not hold the output pipes
 * (a tar or git under bosh) may be scheduled to die only after the pipes closed; a process that left
 * the group (setsid) never dies and is still there after the grace.
 * @param {number} graceMs
 */
async function processesLeftAfter(graceMs) {
  const until = Date.now() + graceMs;
  let left = ownedProcesses();
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = ownedProcesses();
  }
  return left;
}

/**
 * Runs argv (in `cwd`, default the project) in its own process group; kills the group after `killAfterMs` if given.
 * @param {string[]} argv
 * @param {Record<string, string>} env
 * @param {number | undefined} killAfterMs
 * @param {string} [cwd]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, killed: boolean, out: string, ms: number }>}
 */
function run(argv, env, killAfterMs, cwd = root) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env, STACK_ELEVATOR_RUN_OWNER: owner }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
      killed = true;
      try { process.kill(-(child.pid ?? 0), 'SIGKILL'); } catch { /* already gone */ }
    }, killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, killed: killed || signal === 'SIGKILL', out, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** @typedef {import('./lib/checks/crash-plan-steps.mjs').CrashCase} CrashCase */

/**
 * A command under test: two variants (old and new results differ), the output path, and which entries
 * may stay beside it after a clean run.
 */
/** @param {string} work @returns {CrashCase} */
function synthCase(work) {
  const parent = join(work, 'out');
  const target = join(parent, 'cdktf.out');
  const variant = (/** @type {string} */ scope) => ({ name: scope, argv: [process.execPath, '--require', HOOK, join(root, 'dist', 'stacks', 'main.js')], env: { CDKTF_OUTDIR: target, STACK_ELEVATOR_SCOPE: scope, STACK_ELEVATOR_CRASH_DIR: parent } });
  return {
    name: 'synth', parent, target, timed: budget === 'full' ? 40 : 20,
    variants: [variant('all'), variant('artifacts')],
    /** After a clean run: the link, the folder it points at, nothing else. */
    leftovers: () => {
      const keep = new Set(['cdktf.out']);
      if (existsSync(target) && lstatSync(target).isSymbolicLink()) keep.add(readlinkSync(target));
      return readdirSync(parent).filter((n) => !keep.has(n));
    },
  };
}

/** @param {string} work @returns {CrashCase} */
function previewCase(work) {
  const parent = join(work, 'preview');
  const target = join(parent, 'comment.md');
  const cache = join(work, 'preview-cache');
  const tmp = join(work, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const variant = (/** @type {number} */ budgetChars) => ({ name: `budget=${budgetChars}`, argv: [process.execPath, '--require', HOOK, join(root, 'dist', 'stacks', 'preview', 'main.js'), '--base=HEAD', `--out=${target}`, `--cache=${cache}`, `--budget=${budgetChars}`], env: { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent } });
  return {
    name: 'preview', parent, target, timed: budget === 'full' ? 20 : 6,
    variants: [variant(0), variant(400)],
    leftovers: () => [
      ...readdirSync(parent).filter((n) => n !== 'comment.md'),
      ...readdirSync(tmp).filter((n) => !n.startsWith('v8-compile-cache')).map((n) => `tmp/${n}`), // node's own cache
      ...(existsSync(cache) ? readdirSync(cache).filter((n) => n.startsWith('.')).map((n) => `cache/${n}`) : []),
    ],
  };
}

/**
 * The output swap every plan step shares (atomicOutput of pipelines/lib/step/step.mjs), driven by a small step
 * written in the skeleton that writes its files over ~1 s and runs a child process meanwhile (so a
 * process left behind by a killed step would show).
 */
/** @param {string} work @returns {CrashCase} */
function stepCase(work) {
  const parent = join(work, 'build', 'demo-step');
  const target = join(parent, '0123456789abcdef');
  const script = join(work, 'demo-step.mjs');
  writeFileSync(script, `
// child_process needed: the self-test's process must leave the step's group at once, which runCommand would wait for
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicOutput, PLAN_ARGS, required, runCommand, step } from ${JSON.stringify(join(root, 'pipelines', 'lib', 'step', 'step.mjs'))};
await step({
  name: 'crash-demo',
  args: { ...PLAN_ARGS, variant: required() },
  main: async ({ args, paths }) => {
    await atomicOutput(paths.out, async (tmp) => {
      for (let i = 0; i < 10; i += 1) {
        writeFileSync(join(tmp, 'part-' + i), args.variant + ' ' + i + '\\n');
        await runCommand('sleep', ['0.05']);
        // --self-test=leaked-process: a process that leaves the step's process group, so no kill reaches it
        if (i === 5 && process.env.STACK_ELEVATOR_CRASH_SELF_TEST === 'leaked-process') spawn('setsid', ['sleep', '47'], { detached: true, stdio: 'ignore' }).unref();
      }
    });
  },
});
`);
  /** @type {Record<string, string>} */
  const selfTest = args['self-test'] ? { STACK_ELEVATOR_CRASH_SELF_TEST: args['self-test'] } : {};
  const variant = (/** @type {string} */ name) => ({ name, argv: [process.execPath, '--require', HOOK, script, `--out=${target}`, `--variant=${name}`], env: { STACK_ELEVATOR_CRASH_DIR: parent, ...selfTest } });
  return {
    name: 'step (skeleton)', parent, target, timed: budget === 'full' ? 40 : 20,
    variants: [variant('old'), variant('new')],
    leftovers: () => {
      const keep = new Set([basename(target)]);
      if (existsSync(target) && lstatSync(target).isSymbolicLink()) keep.add(readlinkSync(target));
      return readdirSync(parent).filter((n) => !keep.has(n));
    },
  };
}

/**
 * @param {CrashCase} c
 * @param {() => number} random
 */
async function check(c, random) {
  mkdirSync(c.parent, { recursive: true });
  /** @type {{ kills: number, old: number, neu: number, violations: string[], duration?: number, steps?: number }} */
  const rows = { kills: 0, old: 0, neu: 0, violations: [] };
  // Clean runs: reference hashes of both variants and the duration the kill moments are spread over.
  const ref = /** @type {Record<string, string>} */ ({});
  const hash = c.hash ?? treeHash;
  let duration = 0;
  for (const v of c.variants) {
    const r = await run(v.argv, v.env, undefined, v.cwd);
    if (r.code !== 0) throw new Error(`${c.name} (${v.name}) failed on a clean run:\n${r.out}`);
    ref[v.name] = hash(c.target);
    duration = Math.max(duration, r.ms);
  }
  if (ref[c.variants[0].name] === ref[c.variants[1].name]) throw new Error(`${c.name}: both variants give the same output; old and new could not be told apart`);
  // How many file-system steps touch the output's folder in one run: each is a moment to kill just before.
  const countFile = join(c.parent, '..', `${c.name}.count`);
  let state = c.variants[1];
  const other = () => (state === c.variants[0] ? c.variants[1] : c.variants[0]);
  await run(other().argv, { ...other().env, STACK_ELEVATOR_CRASH_COUNT: countFile }, undefined, other().cwd);
  state = other();
  const steps = Number(readFileSync(countFile, 'utf8'));
  const moments = [];
  for (let i = 1; i <= steps; i += 1) moments.push({ label: `before fs step ${i}/${steps} of the swap`, env: { STACK_ELEVATOR_CRASH_AT: String(i) } });
  for (let i = 0; i < c.timed; i += 1) {
    const ms = Math.round(duration * (0.1 + 0.95 * ((i + random()) / c.timed)));
    moments.push({ label: `at ${ms} ms of ~${Math.round(duration)} ms`, killAfterMs: ms });
  }
  for (const m of moments) {
    const next = other();
    const before = ref[state.name];
    const r = await run(next.argv, { ...next.env, ...(m.env ?? {}) }, m.killAfterMs, next.cwd);
    rows.kills += 1;
    const got = hash(c.target);
    const where = `${c.name} killed ${m.label} (${state.name} -> ${next.name}, exit ${r.signal ?? r.code})`;
    if (got === before) rows.old += 1;
    else if (got === ref[next.name]) rows.neu += 1;
    else rows.violations.push(`${where}: output path is ${got === 'absent' ? 'absent' : `neither old nor new (hash ${got})`}`);
    if (!r.killed && r.code !== 0) rows.violations.push(`${where}: the run failed by itself:\n${r.out}`);
    const procs = await processesLeftAfter(5000);
    if (procs.length) rows.violations.push(`${where}: processes left running: ${procs.join(' ')}`);
    killOwned(procs); // reported; they must not count again at the next kill or outlive the check
    // The next run: finishes, same bytes as a never-killed run, no temp files or folders left.
    const again = await run(next.argv, next.env, undefined, next.cwd);
    if (again.code !== 0) rows.violations.push(`${where}: the next run failed:\n${again.out}`);
    else if (hash(c.target) !== ref[next.name]) rows.violations.push(`${where}: the next run's output differs from a never-killed run's`);
    const left = c.leftovers();
    if (left.length) rows.violations.push(`${where}: left behind after the next run: ${left.join(', ')}`);
    state = next;
  }
  rows.duration = duration;
  rows.steps = steps;
  return rows;
}

const started = Date.now();
process.stdout.write(`crash-check: budget=${budget} seed=${seed} (replay: npm run crash-check -- --budget=${budget} --seed=${seed})\n`);
const random = rng(seed);
const ctx = { root, hook: HOOK, budget };
/** Each case with the budgets it runs in (--only runs a case in any budget). @type {[string, (work: string) => CrashCase, string[]][]} */
const allCases = [
  ['synth', synthCase, ['small', 'full']],
  ['preview', previewCase, ['small', 'full']],
  ['step', stepCase, ['small', 'full']],
  ['create-release', (w) => createReleaseCase(w, ctx), ['small', 'full']],
  ['cross-compile', (w) => crossCompileCase(w, ctx), ['full']],
  ['buildpack', (w) => buildpackCase(w, ctx), ['full']],
  ['compile-release', (w) => compileReleaseCase(w, ctx), ['small', 'full']],
  ['export-rootfs', (w) => exportRootfsCase(w, ctx), ['full']],
  ['package-check', (w) => packageCheckCase(w, ctx), ['full']],
  ['try-app', (w) => tryAppCase(w, ctx), ['full']],
];
const unknown = (only ?? []).filter((n) => !allCases.some(([name]) => name === n));
if (unknown.length) fail(`crash-check: --only=${unknown.join(',')}: no such case (cases: ${CASE_NAMES})`);
const cases = allCases.filter(([n, , budgets]) => (only ? only.includes(n) : budgets.includes(budget)));
const work = mkdtempSync(join(tmpdir(), 'crash-check-'));
/** @type {(string | number)[][]} */
const table = [];
let bad = 0;
try {
  for (const [name, make] of cases) {
    const c = make(work);
    if (args.kills) c.timed = Number(args.kills);
    const t0 = Date.now();
    const rows = await check(c, random);
    table.push([name, rows.kills, `${rows.steps} swap steps + ${c.timed} timed`, rows.old, rows.neu, rows.violations.length, `${Math.round(rows.duration ?? 0)} ms`, `${((Date.now() - t0) / 1000).toFixed(0)} s`]);
    for (const v of rows.violations) process.stdout.write(`VIOLATION ${v}\n`);
    bad += rows.violations.length;
  }
} finally {
  killOwned(ownedProcesses());
  rmSync(work, { recursive: true, force: true });
}
const head = ['command', 'kills', 'moments', 'old intact', 'new complete', 'violation', 'clean run', 'took'];
const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[i]).length)));
const line = (/** @type {(string | number)[]} */ r) => r.map((x, i) => String(x).padEnd(widths[i])).join(' | ');
process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${table.map(line).join('\n')}\n`);
process.stdout.write(`crash-check: ${bad === 0 ? 'ok' : `${bad} violation(s)`} in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})\n`);
process.exit(bad === 0 ? 0 : 1);
