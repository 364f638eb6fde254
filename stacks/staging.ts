import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning } from '../contracts/atomic-dir.cjs';

/**
 * The staging folders synths made before outputs became links (contracts/atomic-dir.cjs): mkdtemp names
 * `.synth-<pid>-XXXXXX`, and `.synth-XXXXXX` from before the pid was in the name. Exact forms only: a
 * sibling that merely starts with `.synth-` (another output called `synth-…`, its `.synth-….v-<pid>-…`
 * folders) is not ours to remove.
 */
const STAGING = /^\.synth-(?:(\d+)-)?[A-Za-z0-9]{6}$/;

/** Removes the old-style staging folders in `parent` whose synth no longer runs. Returns what it removed. */
export function removeStaleStagingDirs(parent: string): string[] {
  if (!existsSync(parent)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const m = STAGING.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    // A folder without a pid predates that naming: none of those synths can still be running.
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed.sort();
}
