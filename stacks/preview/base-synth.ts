import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { isRunning } from '../../contracts/atomic-dir.cjs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { LabError } from '../../lab/errors';
import { LAB_STACK_ID } from '../synth';

export interface BaseSynthOptions {
  readonly root: string;
  readonly ref: string;
  /** Lab file, relative to the project root. */
  readonly labFile: string;
  /** Upstream directory (absolute) both synths read, so base and head see the same upstream material. */
  readonly upstreamDir: string;
  /** Where synthesized bases are kept, one entry per base tree. */
  readonly cacheDir: string;
}

export type BaseSynth =
  | { readonly status: 'ok'; readonly stackDir: string; readonly cached: boolean }
  | { readonly status: 'failed'; readonly error: string; readonly cached: boolean };

/**
 * Synthesizes the base ref with the base commit's own code (never head's), caching the result by the
 * base tree's hash: repeated previews against one base pay only for the head. A base that fails to
 * compile or synthesize is a result too (cached with its error), not an exception.
 */
export function synthBase(opts: BaseSynthOptions): BaseSynth {
  const tree = git(opts.root, ['rev-parse', '--verify', '-q', `${opts.ref}^{tree}`]);
  if (tree.status !== 0) throw new LabError('git', opts.ref, 'a ref git cannot resolve', 'a git ref to compare against', undefined, 'pass --base=<ref> and fetch it (CI: fetch-depth 0)');
  const key = createHash('sha256').update(`preview-base v1\0${tree.stdout.trim()}\0${opts.labFile}\0${opts.upstreamDir}`).digest('hex').slice(0, 32);
  const entry = join(opts.cacheDir, key);
  const cached = readEntry(entry, true);
  if (cached) return cached;

  mkdirSync(opts.cacheDir, { recursive: true });
  // A killed preview leaves its `.base-<pid>-*` scratch folder; the entry itself appears by one rename.
  for (const name of readdirSync(opts.cacheDir)) {
    const pid = Number(/^\.base-(\d+)-/.exec(name)?.[1] ?? (name.startsWith('.base-') ? 0 : NaN));
    if (pid === 0 || (pid > 0 && !isRunning(pid))) rmSync(join(opts.cacheDir, name), { recursive: true, force: true });
  }
  const work = mkdtempSync(join(opts.cacheDir, `.base-${process.pid}-`));
  try {
    const src = join(work, 'tree');
    mkdirSync(src);
    const archive = spawnSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', opts.ref, src], { cwd: opts.root, encoding: 'utf8' });
    if (archive.status !== 0) throw new Error(`git archive ${opts.ref} failed: ${archive.stderr.trim()}`);
    const result = join(work, 'entry');
    mkdirSync(result);
    const error = synthFromSources(opts, src, join(work, 'out'));
    if (error === undefined) renameSync(join(work, 'out', 'stacks', LAB_STACK_ID), join(result, 'stack'));
    else writeFileSync(join(result, 'error.txt'), `${error.split(`${src}/`).join('')}\n`);
    // Another preview may have filled the entry meanwhile; either copy is the same synth.
    if (!existsSync(entry)) renameSync(result, entry);
    return readEntry(entry, false)!;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readEntry(entry: string, cached: boolean): BaseSynth | undefined {
  if (existsSync(join(entry, 'stack', 'plan.json'))) return { status: 'ok', stackDir: join(entry, 'stack'), cached };
  if (existsSync(join(entry, 'error.txt'))) return { status: 'failed', error: readFileSync(join(entry, 'error.txt'), 'utf8').trim(), cached };
  return undefined;
}

/**
 * Runs the base tree's own synth from its TypeScript sources, transpiled on load (no type-check: the base
 * was checked when it was merged, and a full compile costs several times the synth). Returns the error
 * text when it fails.
 */
function synthFromSources(opts: BaseSynthOptions, src: string, outdir: string): string | undefined {
  symlinkSync(join(opts.root, 'node_modules'), join(src, 'node_modules'));
  if (!existsSync(join(src, 'stacks', 'main.ts'))) return 'the base has no stacks/main.ts';
  const env = { ...process.env, STACK_ELEVATOR_LAB: opts.labFile, CDKTF_OUTDIR: outdir, STACK_ELEVATOR_UPSTREAM: opts.upstreamDir, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: join(src, 'tsconfig.json') };
  const register = join(opts.root, 'node_modules', 'ts-node', 'register');
  const synth = spawnSync(process.execPath, ['-r', register, 'stacks/main.ts'], { cwd: src, encoding: 'utf8', env });
  if (synth.status !== 0) return lastLines(synth.stderr || synth.stdout || `synth exited ${synth.status}`, 10);
  return existsSync(join(outdir, 'stacks', LAB_STACK_ID, 'plan.json')) ? undefined : `the base synth wrote no stacks/${LAB_STACK_ID}/plan.json`;
}

function git(cwd: string, args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '' };
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
