// The plan-preview part of `npm run bench`: a preview of the default lab against HEAD, cold (the base is
// synthesized with its own code: extract, transpile-on-load synth) and warm (the base's synth cached by its tree
// hash, so only the head is synthesized). Target for the warm path, which CI pays on every push: 2 s.
// child_process needed: a timed command starts directly, with no shell in between to add to its time.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @param {string} root
 * @param {string} cache
 */
function timePreview(root, cache) {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['dist/stacks/preview/main.js', '--base=HEAD', `--cache=${cache}`], { cwd: root, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`preview failed (exit ${res.status}):\n${res.stderr}`);
  return ms;
}

/**
 * Runs the preview bench; `runs` warm runs (after one cold run that fills the cache). Returns the warm median in ms.
 * @param {string} root
 * @param {number} runs
 * @param {(xs: number[]) => number} median
 */
export function benchPreview(root, runs, median) {
  const cache = mkdtempSync(join(tmpdir(), 'se-bench-preview-'));
  try {
    const cold = timePreview(root, cache);
    const warm = Array.from({ length: runs }, () => timePreview(root, cache));
    const m = median(warm);
    const s = (/** @type {number} */ ms) => (ms / 1000).toFixed(2);
    process.stdout.write(`\npreview of lab.yaml against HEAD (load average ${loadavg()[0].toFixed(1)})\n`);
    process.stdout.write(`${'cold: base extracted and synthesized'.padEnd(44)} ${s(cold)} s\n`);
    process.stdout.write(`${'warm: base synth cached by tree hash'.padEnd(44)} median ${(m / 1000).toFixed(3)} s  (runs: ${warm.map(s).join(', ')}; target <= 2 s)\n`);
    return m;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
