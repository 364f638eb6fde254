#!/usr/bin/env node
// npm run bench: median wall time of a whole-lab synth, the project's compiled path against cdktf's
// stock ts-node app path (what `cdktf init` generates), on the same lab; then cold, warm and no-op
// times of the ARM packages' cross-compile steps (lib/bench/bench-arm.mjs); the fidelity gate's cold, forced and no-op
// times per arch (lib/bench/bench-fidelity.mjs); cold and warm times of building and
// compiling the cell runtime releases (lib/bench/bench-runtime.mjs); the garden VM's phases (lib/bench/bench-garden-vm.mjs).
// Speed lives here, never in tests.
// child_process needed: a timed command starts directly, with no shell in between to add to its time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArmPackages } from './lib/bench/bench-arm.mjs';
import { benchFidelity } from './lib/bench/bench-fidelity.mjs';
import { benchGardenVm } from './lib/bench/bench-garden-vm.mjs';
import { benchRuntimeReleases } from './lib/bench/bench-runtime.mjs';
import { projectRoot } from './lib/step/tools.mjs';
import { benchPreview } from './lib/bench/bench-preview.mjs';
import { benchTryApp } from './lib/bench/bench-try-app.mjs';

const root = projectRoot();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/**
 * @param {string} cmd
 * @param {string[]} args
 */
function timeOnce(cmd, args) {
  const outdir = mkdtempSync(join(tmpdir(), 'se-bench-'));
  const started = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: root, env: { ...process.env, CDKTF_OUTDIR: join(outdir, 'cdktf.out') }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  rmSync(outdir, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${res.stderr}`);
  return ms;
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * @param {string} label
 * @param {string} cmd
 * @param {string[]} args
 */
function bench(label, cmd, args) {
  timeOnce(cmd, args); // warm the file cache so both paths are measured alike
  const times = Array.from({ length: RUNS }, () => timeOnce(cmd, args));
  const m = median(times);
  process.stdout.write(`${label.padEnd(44)} median ${(m / 1000).toFixed(3)} s  (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')})\n`);
  return m;
}

const sections = (process.env.BENCH_SECTIONS ?? 'synth,preview,arm,fidelity,runtime-releases,try-app,garden-vm').split(',');
const skipArm = process.env.BENCH_SKIP_ARM === '1';
/** Each section in the order it runs; `when` false leaves it out. */
const SECTIONS = [
  { name: 'synth', when: true, run: benchSynth },
  { name: 'preview', when: true, run: () => benchPreview(root, RUNS, median) },
  { name: 'arm', when: !skipArm, run: () => benchArmPackages(root) },
  { name: 'fidelity', when: !skipArm, run: () => benchFidelity(root) },
  { name: 'runtime-releases', when: !skipArm, run: () => benchRuntimeReleases(root) },
  { name: 'try-app', when: true, run: () => benchTryApp(root) },
  { name: 'garden-vm', when: true, run: () => benchGardenVm(root, median) },
];

function benchSynth() {
  process.stdout.write(`whole-lab synth of lab.yaml, ${RUNS} runs each (after one warm-up)\n`);
  const fast = bench('compiled app (node dist/stacks/main.js)', process.execPath, ['dist/stacks/main.js']);
  const stock = bench('stock cdktf app (npx ts-node stacks/main.ts)', 'npx', ['ts-node', 'stacks/main.ts']);
  process.stdout.write(`ratio stock/compiled: ${(stock / fast).toFixed(1)}x\n`);
}

for (const section of SECTIONS.filter((x) => x.when && sections.includes(x.name))) {
  try {
    await section.run();
  } catch (err) {
    // a missing tool or a failed step is one line naming the section, not a stack trace
    process.stderr.write(`bench: ${section.name}: ${/** @type {Error} */ (err).message}\n`);
    process.exit(1);
  }
}
