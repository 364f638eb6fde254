// @ts-check
// The one skeleton every step script (and run-step, rebuild, try-app) is written in:
//   step({ name, args, main }) reads the declared arguments (unknown ones refused with the allowed list),
//   hands main() a logger with phases and times, and turns any failure into one line and an exit code;
//   runCommand()/runCommandSync() start processes through zx `$`; atomicOutput() writes an output directory whole or not at all.
// Plan steps run from cdktf.out/stacks/<stack> with --root pointing back at the project; --out and
// --artifacts resolve against the working directory, other paths against --root (stepPaths).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { $, minimist } from 'zx';
import { commitDir, isRunning, prepareDir } from '../../../contracts/atomic-dir.cjs';
import { mountsUnder } from './mounts.mjs';

/** A failure the user can act on: printed as one line (message, then the fix), without a stack trace. */
export class StepError extends Error {
  /**
   * @param {string} message what is wrong, naming the file, path or argument
   * @param {{ fix?: string, exitCode?: number }} [opts] how to put it right; the exit code (default 1)
   */
  constructor(message, { fix, exitCode = 1 } = {}) {
    super(fix ? `${message} (fix: ${fix})` : message);
    this.exitCode = exitCode;
  }
}

/**
 * @typedef {{ type: 'string' | 'boolean', required: boolean }} ArgSpec
 * @typedef {Record<string, ArgSpec>} ArgSpecs
 */

/** @returns {{ type: 'string', required: true }} a --name=value the step cannot run without */
export const required = () => ({ type: 'string', required: true });
/** @returns {{ type: 'string', required: false }} a --name=value the step may be given */
export const optional = () => ({ type: 'string', required: false });
/** @returns {{ type: 'boolean', required: false }} a --name switch (also --name=true / --name=false) */
export const flag = () => ({ type: 'boolean', required: false });

/** What the plan passes every step (constructs/plan/plan-graph.ts). */
export const PLAN_ARGS = { root: optional(), artifacts: optional(), out: optional() };

/**
 * The values of declared arguments: a required string is a string, an optional one may be undefined,
 * a flag is a boolean.
 * @template {ArgSpecs} S
 * @typedef {{ [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K]['required'] extends true ? string : string | undefined }} ArgValues
 */

/**
 * Reads `argv` against the declared arguments, as minimist does (`--k=v` and `--k v`; a flag alone or
 * `--flag=false`). Refuses an undeclared argument (naming every allowed one), a missing or empty required
 * one, a repeated one and more positional arguments than `positionals`. With `forward`, undeclared
 * arguments are not refused but handed back, in order, for the script this one runs (run-step.mjs).
 * @template {ArgSpecs} S
 * @param {S} specs
 * @param {string[]} argv
 * @param {{ positionals?: number, forward?: boolean }} [opts]
 * @returns {{ args: ArgValues<S>, positionals: string[], forwarded: string[] }}
 */
export function readArgs(specs, argv, { positionals = 0, forward = false } = {}) {
  const names = Object.keys(specs);
  /** @type {string[]} */
  const forwarded = [];
  if (forward) {
    const own = [];
    let bare = 0;
    for (let i = 0; i < argv.length; i++) {
      const m = /^--([^=]+)(=.*)?$/s.exec(argv[i]);
      if (m && names.includes(m[1])) {
        own.push(argv[i]);
        const takesNext = !m[2] && specs[m[1]].type === 'string' && i + 1 < argv.length && !argv[i + 1].startsWith('-');
        if (takesNext) own.push(argv[++i]);
      } else if (!argv[i].startsWith('-') && bare < positionals) {
        own.push(argv[i]);
        bare++;
      } else {
        forwarded.push(argv[i]);
      }
    }
    argv = own;
  }
  const strings = names.filter((n) => specs[n].type === 'string');
  const booleans = names.filter((n) => specs[n].type === 'boolean');
  const parsed = minimist(argv, { string: strings, boolean: booleans });
  // minimist reads --no-x as x=false; a declared `no-x` switch is meant literally.
  for (const n of booleans.filter((b) => b.startsWith('no-'))) {
    const negated = n.slice(3);
    if (!names.includes(negated) && parsed[negated] === false) {
      parsed[n] = true;
      delete parsed[negated];
    }
  }
  const allowed = () => names.map((n) => `--${n}`).join(' ');
  const unknown = Object.keys(parsed).filter((k) => k !== '_' && !names.includes(k));
  if (unknown.length > 0) {
    throw new StepError(`unknown argument(s) ${unknown.map((k) => `--${k}`).join(' ')}; allowed: ${allowed() || '(none)'}`);
  }
  const extra = parsed._.map(String);
  if (extra.length > positionals) {
    throw new StepError(`unexpected argument(s) ${extra.slice(positionals).join(' ')} (arguments are --name=value; allowed: ${allowed() || '(none)'})`);
  }
  /** @type {Record<string, string | boolean | undefined>} */
  const args = {};
  for (const n of names) {
    const v = parsed[n];
    if (Array.isArray(v)) throw new StepError(`--${n} given ${v.length} times; give it once`);
    if (specs[n].required && (v === undefined || v === '')) throw new StepError(`missing --${n}=...`);
    args[n] = specs[n].type === 'boolean' ? v === true : v === undefined || v === '' ? undefined : String(v);
  }
  return { args: /** @type {ArgValues<S>} */ (/** @type {unknown} */ (args)), positionals: extra, forwarded };
}

/** Resolves the directories and paths of a plan step's command line. */
/** @param {{ root?: string, artifacts?: string, out?: string }} args */
export function stepPaths(args) {
  const root = resolve(args.root ?? '.');
  const artifacts = resolve(args.artifacts ?? 'artifacts');
  return {
    root,
    artifacts,
    out: args.out ? resolve(args.out) : undefined,
    /** A path argument: absolute as is, otherwise relative to the project root. @param {string} p */
    fromRoot: (p) => (isAbsolute(p) ? p : resolve(root, p)),
    /** A path argument: absolute as is, otherwise relative to --artifacts. @param {string} p */
    fromArtifacts: (p) => (isAbsolute(p) ? p : resolve(artifacts, p)),
  };
}

/**
 * @typedef {((msg: string) => void) & { phase: <T>(title: string, fn: () => T | Promise<T>) => Promise<T> }} Logger
 */

/**
 * One line per message on stdout, each led by `label` (e.g. `[build-rootfs rpifs]`). `phase` announces a
 * phase, runs it and says whether it passed, with its wall time.
 * @param {string} label
 * @returns {Logger}
 */
export function logger(label) {
  /** @param {string} msg */
  const log = (msg) => {
    process.stdout.write(`${label} ${msg}\n`);
  };
  return Object.assign(log, {
    /**
     * @template T
     * @param {string} title
     * @param {() => T | Promise<T>} fn a synchronous phase too: its result is awaited
     * @returns {Promise<T>}
     */
    phase: async (title, fn) => {
      const t0 = Date.now();
      const seconds = () => ((Date.now() - t0) / 1000).toFixed(1);
      log(`${title} ...`);
      try {
        const result = await fn();
        log(`${title}: passed in ${seconds()} s`);
        return result;
      } catch (err) {
        log(`${title}: FAILED after ${seconds()} s`);
        throw err;
      }
    },
  });
}

/**
 * The failure line and exit code of an error: a StepError (or an error of a class the step declares as
 * the user's to fix) is its message on one line; anything else is a bug, shown with its stack.
 * @param {unknown} err
 * @param {string} label leads the line, e.g. `create-release:` or `[lab-bosh-cells-deploy] FAILED:`
 * @param {Function[]} userErrors
 * @returns {{ text: string, exitCode: number }}
 */
export function failureOf(err, label, userErrors = []) {
  const exitCode = err instanceof StepError ? err.exitCode : 1;
  if (err instanceof Error && (err instanceof StepError || userErrors.some((c) => err instanceof c))) {
    return { text: `${label} ${err.message}\n`, exitCode };
  }
  // A bug, not a user error: the same first line, then where it happened.
  return { text: `${label} ${err instanceof Error ? `${err.message}\n${err.stack}` : String(err)}\n`, exitCode };
}

/**
 * @template {ArgSpecs} S
 * @typedef {object} StepContext
 * @property {ArgValues<S>} args
 * @property {string[]} positionals
 * @property {string[]} forwarded undeclared arguments, with `forward` only
 * @property {ReturnType<typeof stepPaths>} paths
 * @property {Logger} log
 * @property {string} stepId the plan step's id (STACK_ELEVATOR_STEP), else the script's name
 */

/**
 * @template {ArgSpecs} S
 * @typedef {object} StepDefinition
 * @property {string} name the script's name
 * @property {S} args its declared arguments (a plan step spreads PLAN_ARGS in)
 * @property {number} [positionals] how many bare arguments it takes (default none)
 * @property {boolean} [forward] hand undeclared arguments to main as `forwarded` instead of refusing them
 * @property {(args: Partial<ArgValues<S>>, stepId: string, positionals: string[]) => string} [logLabel] default `[name]`
 * @property {(args: Partial<ArgValues<S>>, stepId: string, positionals: string[]) => string} [failLabel] default `name (plan step id) failed:`
 * @property {Function[]} [userErrors] error classes besides StepError whose message is the whole story
 * @property {(ctx: StepContext<S>) => Promise<void>} main
 */

/**
 * Runs a step script: reads its arguments, runs main, and on any failure writes one line to stderr and
 * exits non-zero. Outputs are written through atomicOutput, so a failed step leaves none behind.
 * @template {ArgSpecs} S
 * @param {StepDefinition<S>} def
 * @param {string[]} [argv]
 * @returns {Promise<void>}
 */
export async function step(def, argv = process.argv.slice(2)) {
  if (process.env[DESCRIBE_STEP_ENV]) return recordDeclaration(def);
  const stepId = process.env.STACK_ELEVATOR_STEP ?? def.name;
  const inPlan = process.env.STACK_ELEVATOR_STEP ? ` (plan step ${process.env.STACK_ELEVATOR_STEP})` : '';
  /** @type {Partial<ArgValues<S>>} */
  let known = {};
  /** @type {string[]} */
  let bare = [];
  try {
    const read = readArgs(def.args, argv, { positionals: def.positionals ?? 0, forward: def.forward });
    known = read.args;
    bare = read.positionals;
    const log = logger(def.logLabel ? def.logLabel(known, stepId, bare) : `[${def.name}]`);
    await def.main({ args: read.args, positionals: read.positionals, forwarded: read.forwarded, paths: stepPaths(read.args), log, stepId });
  } catch (err) {
    const label = def.failLabel ? def.failLabel(known, stepId, bare) : `${def.name}${inPlan} failed:`;
    const { text, exitCode } = failureOf(err, label, def.userErrors);
    process.stderr.write(text);
    process.exit(exitCode);
  }
}

/** Set while lib/step/step-declarations.mjs imports the step scripts: step() records, runs nothing. */
export const DESCRIBE_STEP_ENV = 'STACK_ELEVATOR_DESCRIBE_STEP';
const DECLARATIONS = Symbol.for('stack-elevator.step-declarations');

/**
 * @typedef {{ name: string, args: Record<string, ArgSpec>, positionals: number, forward: boolean }} StepDeclaration
 */

/** @param {{ name: string, args: Record<string, ArgSpec>, positionals?: number, forward?: boolean }} def */
function recordDeclaration(def) {
  const g = /** @type {Record<symbol, StepDeclaration[]>} */ (/** @type {unknown} */ (globalThis));
  (g[DECLARATIONS] ??= []).push({ name: def.name, args: def.args, positionals: def.positionals ?? 0, forward: def.forward ?? false });
}

/** The declarations step() recorded in this process, in import order. @returns {StepDeclaration[]} */
export function recordedDeclarations() {
  return /** @type {Record<symbol, StepDeclaration[]>} */ (/** @type {unknown} */ (globalThis))[DECLARATIONS] ?? [];
}

/**
 * Runs `fill(dir)` in a fresh folder beside `out` and, only when it succeeds, makes `out` a link to it
 * with one rename of a new link over the old (contracts/atomic-dir.cjs): at every instant `out` is the
 * complete previous output or the complete new one, whether the step fails or is killed. What a killed
 * step left beside `out` is removed by the next run of the step.
 * @template T
 * @param {string | undefined} out
 * @param {(tmp: string) => Promise<T>} fill
 * @returns {Promise<T>}
 */
export async function atomicOutput(out, fill) {
  if (!out) throw new StepError('missing --out=<dir>');
  const dir = prepareDir(out);
  try {
    const result = await fill(dir);
    chmodSync(dir, 0o755); // outputs are for every user of the checkout
    commitDir(out, dir);
    return result;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A scratch folder `.<name>.<tag>-<pid>-<rand>` beside the output `out` (work too big for the temp folder
 * stays on the output's file system), made after removing the ones a killed run of the step left there
 * (their pid no longer runs). The caller removes its own.
 * @param {string} out
 * @param {string} tag
 * @returns {string}
 */
export function scratchBeside(out, tag) {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.${tag}-`;
  mkdirSync(parent, { recursive: true });
  for (const name of readdirSync(parent).filter((n) => n.startsWith(prefix))) {
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) removeScratch(join(parent, name));
  }
  return mkdtempSync(join(parent, `${prefix}${process.pid}-`));
}

/**
 * Removes a scratch folder, first unmounting what a killed tool left mounted in it (mmdebstrap's chroot
 * mounts): removing through a mount would walk /proc and /sys, and fail on the mount points.
 * @param {string} dir
 */
export function removeScratch(dir) {
  const abs = resolve(dir);
  for (const m of mountsUnder(abs)) runCommandSync('umount', ['--lazy', m]); // a submount goes with its parent: its own umount may fail
  const left = mountsUnder(abs);
  if (left.length > 0) throw new StepError(`${dir}: ${left.length} mount(s) left by a killed run cannot be unmounted: ${left.join(', ')}`, { fix: `umount --lazy ${left[0]} as root, then run the step again` });
  rmSync(abs, { recursive: true, force: true });
}

/**
 * @typedef {object} RunOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env] added to (not replacing) this process's environment
 * @property {string} [input] written to the command's stdin
 * @property {(line: string, from: 'stdout' | 'stderr') => void} [onLine] each non-empty line of stdout and stderr, as it comes
 * @property {import('node:child_process').StdioOptions} [stdio] e.g. 'inherit', or file descriptors
 * @property {number} [timeoutMs] kill the command after this long (runCommand only: the timer needs the event loop)
 *
 * @typedef {{ code: number, stdout: string, stderr: string, lines: string[] }} RunResult
 */

/** bash's exit code for a command it cannot find or execute. */
const NOT_FOUND = 127;

/** @param {string} cmd @param {{ exitCode: number | null, stderr: string }} o */
function notFound(cmd, o) {
  if (o.exitCode === NOT_FOUND && /command not found|No such file or directory/.test(o.stderr)) {
    return new StepError(`${cmd} not found on PATH`, { fix: 'npm run setup' });
  }
  return undefined;
}

/** @param {string} text @returns {string[]} */
const splitLines = (text) => text.split(/[\r\n]+/).filter((l) => l !== '');

/**
 * @param {RunOptions} opts
 * @param {boolean} sync
 */
const zxOptions = ({ cwd, env, input, stdio, timeoutMs }, sync) => ({
  cwd,
  ...(timeoutMs && !sync ? { timeout: timeoutMs } : {}),
  env: { ...process.env, ...env },
  input,
  sync,
  stdio: stdio ?? (input === undefined ? /** @type {const} */ (['ignore', 'pipe', 'pipe']) : 'pipe'),
  quiet: true,
  verbose: false,
  nothrow: true,
});

/**
 * Runs `cmd argv...` through zx `$` (every argument quoted), streaming its lines to `onLine` while keeping
 * them for diagnosis. Resolves with the exit code and output; never rejects on a non-zero exit. A command
 * that is not installed is a StepError naming it and the fix.
 * @param {string} cmd
 * @param {string[]} argv
 * @param {RunOptions} [opts]
 * @returns {Promise<RunResult>}
 */
export async function runCommand(cmd, argv, opts = {}) {
  const p = $(zxOptions(opts, false))`${cmd} ${argv}`;
  const lines = /** @type {string[]} */ ([]);
  /** @param {string} l @param {'stdout' | 'stderr'} from */
  const take = (l, from) => {
    lines.push(l);
    opts.onLine?.(l, from);
  };
  for (const [from, stream] of /** @type {const} */ ([['stdout', p.stdout], ['stderr', p.stderr]])) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (/** @type {string} */ chunk) => {
      const parts = (rest + chunk).split(/[\r\n]/);
      rest = parts.pop() ?? '';
      for (const l of parts.filter((x) => x !== '')) take(l, from);
    });
    stream?.on('end', () => rest !== '' && take(rest, from));
  }
  const o = await p;
  const missing = notFound(cmd, o);
  if (missing) throw missing;
  return { code: o.exitCode ?? 1, stdout: o.stdout, stderr: o.stderr, lines };
}

/**
 * runCommand(), synchronously (zx `$.sync`): for the steps whose work is a sequence of short commands.
 * @param {string} cmd
 * @param {string[]} argv
 * @param {Omit<RunOptions, 'onLine' | 'timeoutMs'>} [opts]
 * @returns {RunResult}
 */
export function runCommandSync(cmd, argv, opts = {}) {
  // zx's types give every `$` call a ProcessPromise; with sync: true it returns the ProcessOutput itself.
  const o = /** @type {import('zx').ProcessOutput} */ (/** @type {unknown} */ ($(zxOptions(opts, true))`${cmd} ${argv}`));
  const missing = notFound(cmd, o);
  if (missing) throw missing;
  return { code: o.exitCode ?? 1, stdout: o.stdout, stderr: o.stderr, lines: [...splitLines(o.stdout), ...splitLines(o.stderr)] };
}
