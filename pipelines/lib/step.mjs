// What every plan-step script shares: the --key=value command line (run from cdktf.out/stacks/<stack>,
// --root points back at the project), path resolution (--out/--artifacts relative to the working
// directory, other paths relative to --root), atomic output directories, streamed progress lines and
// the one clear error a failed step ends with.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { minimist } from 'zx';

/** A failure the user can act on: printed as one message, without a stack trace. */
export class StepError extends Error {}

export function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (const a of argv) {
    const m = /^--([A-Za-z0-9-]+)(?:=(.*))?$/s.exec(a);
    if (!m) throw new StepError(`unexpected argument ${a} (expected --key=value)`);
    args[m[1]] = m[2] ?? 'true';
  }
  return args;
}

export function required(args, key) {
  const v = args[key];
  if (v === undefined || v === '') throw new StepError(`missing --${key}=...`);
  return v;
}

/** Resolves the directories and paths of a plan step's command line. */
export function stepPaths(args) {
  const root = resolve(args.root ?? '.');
  const artifacts = resolve(args.artifacts ?? 'artifacts');
  return {
    root,
    artifacts,
    out: args.out ? resolve(args.out) : undefined,
    /** A path argument: absolute as is, otherwise relative to the project root. */
    fromRoot: (p) => (isAbsolute(p) ? p : resolve(root, p)),
    fromArtifacts: (p) => (isAbsolute(p) ? p : resolve(artifacts, p)),
  };
}

/**
 * Runs `fill(tmpDir)` and renames the directory into place only when it succeeds, so a killed or failed
 * step never leaves a half-written output directory. An existing output (a forced rerun) is replaced.
 */
export async function atomicOutput(out, fill) {
  if (!out) throw new StepError('missing --out=<dir>');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = mkdtempSync(join(dirname(out), `.${basename(out)}.tmp-`));
  try {
    const result = await fill(tmp);
    chmodSync(tmp, 0o755); // mkdtemp makes it private; outputs are for every user of the checkout
    if (existsSync(out)) {
      const old = `${tmp}.old`;
      renameSync(out, old);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, out);
    }
    return result;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export function logger(prefix) {
  return (msg) => process.stdout.write(`[${prefix}] ${msg}\n`);
}

/**
 * Runs a command and streams its output line by line through `onLine` (which prints progress) while
 * keeping the lines for diagnosis. Resolves with { code, lines }; never rejects on a non-zero exit.
 * @param {string} cmd
 * @param {string[]} argv
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, onLine?: (line: string) => void, stdin?: string | Buffer }} [options]
 * @returns {Promise<{ code: number, lines: string[] }>}
 */
export function streamCommand(cmd, argv, { env, cwd, onLine, stdin } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    /** @type {string[]} */
    const lines = [];
    /** @param {import('node:stream').Readable} stream */
    const split = (stream) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.search(/[\r\n]/)) !== -1) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line === '') continue;
          lines.push(line);
          onLine?.(line);
        }
      });
      stream.on('end', () => {
        if (buf !== '') {
          lines.push(buf);
          onLine?.(buf);
        }
      });
    };
    // stdout and stderr are pipes (stdio above), never null
    split(/** @type {import('node:stream').Readable} */ (child.stdout));
    split(/** @type {import('node:stream').Readable} */ (child.stderr));
    if (stdin) {
      child.stdin?.end(stdin);
    }
    child.on('error', (/** @type {NodeJS.ErrnoException} */ err) => reject(err.code === 'ENOENT' ? new StepError(`${cmd} not found on PATH (fix: npm run setup)`) : err));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, lines }));
  });
}

/** Runs a step's main function and turns a StepError into one clear message and exit code 1. */
export async function runStep(name, main) {
  try {
    await main();
  } catch (err) {
    const step = process.env.STACK_ELEVATOR_STEP ? ` (plan step ${process.env.STACK_ELEVATOR_STEP})` : '';
    if (err instanceof StepError) {
      process.stderr.write(`${name}${step} failed: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${name}${step} failed unexpectedly:\n${err?.stack ?? err}\n`);
    process.exit(1);
  }
}

/**
 * The command line of a step script: --root/--out/--artifacts made absolute; other flags as given.
 * @typedef {{ root: string, out: string | undefined, artifacts: string, abs: { (p: string): string, (p: string | undefined): string | undefined }, _: string[], [flag: string]: any }} StepArgs
 */

/**
 * minimist-style arguments (for scripts that take repeated or boolean flags) with absolute --root/--out/--artifacts.
 * @returns {StepArgs}
 */
export function stepArgs(argv = process.argv.slice(2)) {
  const args = minimist(argv, { string: ['root', 'out', 'artifacts'] });
  const abs = (p) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(process.cwd(), p));
  return { ...args, root: abs(args.root ?? '.'), out: abs(args.out), artifacts: abs(args.artifacts ?? 'artifacts'), abs };
}

export function progress(step, msg) {
  process.stdout.write(`[${step}] ${msg}\n`);
}

/** Prints a step failure as one clear line and exits non-zero; Terraform then taints the step. */
export function failStep(step, err) {
  process.stderr.write(`[${step}] FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
