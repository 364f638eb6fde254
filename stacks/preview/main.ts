import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LabError } from '../../lab/errors';
import { runCli } from '../cli';
import { findProjectRoot } from '../project-root';
import { LAB_STACK_ID, synthLab } from '../synth';
import { diffPlans, readSynth } from './plan-diff';
import { redact, secretValues } from './redact';
import { renderPreview } from './render-markdown';

/**
 * npm run preview [-- --base=<git ref>] [--out=<file>]: synthesizes the working tree and the base ref,
 * and prints, as a PR comment in Markdown, which plan steps `cdktf deploy` would run and why.
 */
function main(): void {
  const root = findProjectRoot(__dirname);
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, ...v]) => [k, v.join('=')]));
  const baseRef = args.base || defaultBase(root);
  const labFile = process.env.STACK_ELEVATOR_LAB ?? 'lab.yaml';
  const work = mkdtempSync(join(tmpdir(), 'se-preview-'));
  try {
    const head = synthLab({ projectRoot: root, labFile, outdir: join(work, 'head') });
    const baseStackDir = synthBase(root, baseRef, labFile, work);
    const headTree = readSynth(head.stackDir);
    const baseTree = baseStackDir ? readSynth(baseStackDir) : { steps: [], files: new Map<string, string>() };
    const diff = diffPlans(baseTree, headTree);
    const secrets = secretValues(process.env);
    const fileDiffs = new Map<string, string>();
    for (const f of diff.files) {
      const a = baseStackDir ? join(baseStackDir, 'artifacts', f.path) : '/dev/null';
      const b = join(head.stackDir, 'artifacts', f.path);
      const d = spawnSync('git', ['diff', '--no-index', '--no-color', '-U2', '--', existsSync(a) ? a : '/dev/null', existsSync(b) ? b : '/dev/null'], { encoding: 'utf8' });
      // Drop git's header lines: they name temporary paths, and the list item already names the file.
      const all = (d.stdout ?? '').split('\n');
      const hunk = all.findIndex((l) => l.startsWith('@@'));
      const body = hunk < 0 ? '' : all.slice(hunk).join('\n');
      if (body.trim() !== '') fileDiffs.set(f.path, redact(body, secrets));
    }
    const md = redact(renderPreview(diff, { baseRef, headRef: 'working tree', fileDiffs }), secrets);
    process.stdout.write(md);
    if (args.out) writeFileSync(resolve(args.out), md);
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', join(work, 'base-tree')], { cwd: root });
    rmSync(work, { recursive: true, force: true });
  }
}

function defaultBase(root: string): string {
  const hasOriginMain = spawnSync('git', ['rev-parse', '--verify', '-q', 'origin/main'], { cwd: root }).status === 0;
  return hasOriginMain ? 'origin/main' : 'HEAD';
}

/** Synthesizes the base ref in a detached worktree; a base that cannot synthesize counts as an empty plan. */
function synthBase(root: string, ref: string, labFile: string, work: string): string | undefined {
  const tree = join(work, 'base-tree');
  const add = spawnSync('git', ['worktree', 'add', '--detach', '-q', tree, ref], { cwd: root, encoding: 'utf8' });
  if (add.status !== 0) throw new LabError('git', ref, `a ref git cannot check out (${add.stderr.trim()})`, 'a git ref to compare against', undefined, 'pass --base=<ref>');
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  mkdirSync(join(tree, '.tools'), { recursive: true });
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: tree, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(join(tree, 'dist', 'stacks', 'main.js'))) return undefined;
  const synth = spawnSync(process.execPath, ['dist/stacks/main.js'], { cwd: tree, encoding: 'utf8', env: { ...process.env, STACK_ELEVATOR_LAB: labFile, CDKTF_OUTDIR: join(work, 'base') } });
  if (synth.status !== 0) return undefined;
  const dir = join(work, 'base', 'stacks', LAB_STACK_ID);
  return existsSync(join(dir, 'plan.json')) ? dir : undefined;
}

runCli(main);
