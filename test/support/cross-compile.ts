import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import type { PlanStep } from '../../constructs/plan/plan-step';
import { writeStackFiles } from '../../stacks/synth';
import { PROJECT_ROOT } from './lab-files';

/** Helpers for the cross-compile e2e tests: synth to disk, run the step script as a deploy would, inspect binaries. */

/** Every directory created through these helpers; call cleanupCrossCompile() in afterAll. */
const created: string[] = [];
/** Content-addressed step outputs (build/<step id>/<hash>) a test ran into. */
const stepOuts: string[] = [];

export function cleanupCrossCompile(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const d of stepOuts.splice(0)) {
    rmSync(d, { recursive: true, force: true });
    // build/<step id>/ too, unless a real plan run keeps other outputs there.
    const parent = join(d, '..');
    if (existsSync(parent) && readdirSync(parent).length === 0) rmSync(parent, { recursive: true });
  }
}

export interface Synthesized {
  readonly stackDir: string;
  /** The steps a test runs, by a name the test chose. */
  readonly steps: Readonly<Record<string, PlanStep>>;
}

/** Synthesizes whatever `add` builds onto a stack inside build/, so step commands reach pipelines/ as in a real lab. */
export function synthToDisk(add: (stack: TerraformStack, store: ArtifactStore, graph: PlanGraph) => Record<string, PlanStep>): Synthesized {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
  const outdir = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-cross-compile-'));
  created.push(outdir);
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'lab');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const store = new ArtifactStore(stack);
  const stackDir = join(outdir, 'stacks', 'lab');
  const graph = new PlanGraph(stack, relative(stackDir, PROJECT_ROOT));
  const steps = add(stack, store, graph);
  app.synth();
  writeStackFiles(stackDir, store, graph, 'test');
  return { stackDir, steps };
}

export interface StepRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Absolute output dir (exists only when the step succeeded). */
  readonly out: string;
  readonly seconds: number;
}

/**
 * Runs a step script exactly as the plan's local-exec would (cwd = the stack dir). The out dir is the
 * step's own content-addressed one (as a deploy uses, so later steps find it) unless `fresh` asks for
 * a new one, e.g. to compare two builds.
 */
export function runStep(s: Synthesized, name: string, opts: { fresh?: boolean; env?: NodeJS.ProcessEnv } = {}): StepRun {
  const step = s.steps[name];
  let out = join(PROJECT_ROOT, step.outDir);
  if (opts.fresh) {
    mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
    out = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-cross-compile-out-'));
    rmSync(out, { recursive: true });
  } else {
    rmSync(out, { recursive: true, force: true });
  }
  (opts.fresh ? created : stepOuts).push(out);
  const a = step.props.args ?? {};
  const root = relative(s.stackDir, PROJECT_ROOT);
  const t0 = Date.now();
  const res = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'pipelines', `${step.props.script}.mjs`), `--root=${root}`, '--artifacts=artifacts', `--out=${out}`, ...Object.entries(a).map(([k, v]) => `--${k}=${v.split('{root}').join(root)}`)],
    { cwd: s.stackDir, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, out, seconds: (Date.now() - t0) / 1000 };
}

/** What `file -b` says about a binary (the independent judge of the ELF header). */
export function fileOf(path: string): string {
  return spawnSync('file', ['-b', path], { encoding: 'utf8' }).stdout.trim();
}

/** Runs a foreign-arch binary under qemu user emulation; stdout and stderr together. */
export function qemu(arch: 'arm' | 'aarch64', bin: string, args: string[]): string {
  const r = spawnSync(`qemu-${arch}-static`, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return `${r.stdout}${r.stderr}`;
}

export function untar(tgz: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-bundle-'));
  created.push(dir);
  const r = spawnSync('tar', ['-xzf', tgz, '-C', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return dir;
}

export const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
