import { upstreamDirOf } from '../../contracts/upstream-dir.cjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { isRunning, writeFileAtomic } from '../../contracts/atomic-dir.cjs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { LabError } from '../../lab/errors';
import { runCli } from '../cli';
import { findProjectRoot } from '../project-root';
import { synthLab } from '../synth';
import { synthBase } from './base-synth';
import { deploymentsOf } from './deployments';
import { diffPlans, PlanDiff, readSynth, SynthTree, withoutBase } from './plan-diff';
import { redact, secretValues } from './redact';
import { DEFAULT_BUDGET, markerFor, PreviewFacts, renderPreview, summaryOf } from './render-markdown';
import { riskWarnings, RiskWarning } from './warnings';

/**
 * npm run preview [-- --base=<git ref>] [--out=<file>] [--json[=<file>]] [--budget=<chars>] [--cache=<dir>]:
 * synthesizes the working tree and the base ref, and writes, as a PR comment in Markdown, which plan
 * steps `cdktf deploy` would run and why. A lab that does not validate still gets a comment (its
 * errors), and the exit code is then non-zero. --json writes the same facts for machines.
 */
function main(): void {
  const root = findProjectRoot(__dirname);
  const args = parseArgs(process.argv.slice(2));
  const labFile = relative(root, resolve(root, process.env.STACK_ELEVATOR_LAB ?? 'lab.yaml')) || 'lab.yaml';
  const budget = args.budget === undefined ? DEFAULT_BUDGET : Number(args.budget);
  if (!Number.isInteger(budget) || budget < 0) throw new LabError('command line', '--budget', `'${args.budget}'`, 'a whole number of characters (0: no limit)');
  const secrets = secretValues(process.env);
  removeStaleWork(tmpdir());
  const work = mkdtempSync(join(tmpdir(), `se-preview-${process.pid}-`));
  try {
    const p = preview({
      root,
      labFile,
      baseRef: args.base ?? defaultBase(root),
      upstreamDir: upstreamDirOf(root, process.env),
      cacheDir: resolve(root, args.cache ?? join('build', 'preview-cache')),
      work,
      secrets,
    });
    const { markdown, cut } = renderPreview(p.facts, { fileDiffs: p.fileDiffs, headSteps: p.headSteps, budget });
    const md = redact(markdown, secrets);
    const json = redact(`${JSON.stringify({ ...p.facts, cut }, null, 2)}\n`, secrets);
    if (args.out) writeAtomic(resolve(args.out), md);
    if (args.json !== undefined && args.json !== '') writeAtomic(resolve(args.json), json);
    process.stdout.write(args.json === '' ? json : md);
    process.exitCode = p.exitCode;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface PreviewInput {
  readonly root: string;
  readonly labFile: string;
  readonly baseRef: string;
  readonly upstreamDir: string;
  readonly cacheDir: string;
  /** Scratch directory the head is synthesized into. */
  readonly work: string;
  readonly secrets: readonly string[];
}

interface Preview {
  readonly facts: Omit<PreviewFacts, 'cut'>;
  readonly fileDiffs: ReadonlyMap<string, string>;
  readonly headSteps: SynthTree['steps'];
  readonly exitCode: number;
}

/** Synthesizes the head; a lab that does not synthesize still gets facts (its errors) and a non-zero exit code. */
function preview(input: PreviewInput): Preview {
  const { root, labFile } = input;
  const base: PreviewFacts['base'] = { ref: input.baseRef, status: 'ok', cached: false };
  let head: { tree: SynthTree; stackDir: string };
  try {
    const res = synthLab({ projectRoot: root, labFile, outdir: join(input.work, 'head'), upstreamDir: input.upstreamDir });
    head = { tree: readSynth(res.stackDir), stackDir: res.stackDir };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    const errors = err.message.split(`${root}/`).join('').split('\n');
    const failure = err instanceof LabError ? 'lab-invalid' : 'internal-error';
    const facts: Preview['facts'] = { marker: markerFor(labFile), lab: labFile, status: 'failed', failure, errors, base, summary: { artifactSteps: 0, directorSteps: 0, warnings: 0 }, steps: [], warnings: [], files: [] };
    return { facts, fileDiffs: new Map(), headSteps: [], exitCode: err instanceof LabError ? 2 : 1 };
  }
  return { ...compareWithBase(input, base, head), headSteps: head.tree.steps, exitCode: 0 };
}

/** The head's steps against the base ref's (or all of them, when the base does not synthesize), with file diffs. */
function compareWithBase(input: PreviewInput, base: PreviewFacts['base'], head: { tree: SynthTree; stackDir: string }): Pick<Preview, 'facts' | 'fileDiffs'> {
  const b = synthBase({ root: input.root, ref: input.baseRef, labFile: input.labFile, upstreamDir: input.upstreamDir, cacheDir: input.cacheDir });
  const fileDiffs = new Map<string, string>();
  let diff: PlanDiff;
  let warnings: RiskWarning[] = [];
  if (b.status === 'ok') {
    const baseTree = readSynth(b.stackDir);
    diff = diffPlans(baseTree, head.tree);
    warnings = riskWarnings(deploymentsOf(baseTree, b.stackDir), deploymentsOf(head.tree, head.stackDir));
    for (const f of diff.files) {
      const d = fileDiff(join(b.stackDir, 'artifacts', f.path), join(head.stackDir, 'artifacts', f.path));
      if (d.trim() !== '') fileDiffs.set(f.path, redact(d, input.secrets));
    }
  } else {
    diff = withoutBase(head.tree);
  }
  const facts: Preview['facts'] = {
    marker: markerFor(input.labFile),
    lab: input.labFile,
    status: 'ok',
    errors: [],
    base: { ...base, status: b.status, cached: b.cached, ...(b.status === 'failed' ? { error: b.error } : {}) },
    summary: summaryOf(diff.steps, warnings),
    steps: diff.steps,
    warnings,
    files: diff.files,
  };
  return { facts, fileDiffs };
}

function parseArgs(argv: string[]): Record<string, string | undefined> {
  const known = new Set(['base', 'out', 'json', 'budget', 'cache']);
  const out: Record<string, string | undefined> = {};
  for (const a of argv) {
    const [k, ...v] = a.replace(/^--/, '').split('=');
    if (!a.startsWith('--') || !known.has(k)) throw new LabError('command line', a, 'an unknown option', `one of ${[...known].map((x) => `--${x}`).join(', ')}`);
    out[k] = v.join('=');
  }
  return out;
}

function defaultBase(root: string): string {
  const hasOriginMain = spawnSync('git', ['rev-parse', '--verify', '-q', 'origin/main'], { cwd: root }).status === 0;
  return hasOriginMain ? 'origin/main' : 'HEAD';
}

/** A unified diff body without git's header lines (they name temporary paths; the list item names the file). */
function fileDiff(a: string, b: string): string {
  const d = spawnSync('git', ['diff', '--no-index', '--no-color', '-U2', '--', existsSync(a) ? a : '/dev/null', existsSync(b) ? b : '/dev/null'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const all = (d.stdout ?? '').split('\n');
  const hunk = all.findIndex((l) => l.startsWith('@@'));
  return hunk < 0 ? '' : all.slice(hunk).join('\n').trimEnd();
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text);
}

/** Removes the scratch folders of previews that were killed (their pid no longer runs). */
function removeStaleWork(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = Number(/^se-preview-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

runCli(main);
