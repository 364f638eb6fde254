import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Prefix of the folders a synth builds in before swapping them into place. */
const PREFIX = '.synth-';

/**
 * A staging folder named after the synth's process id, so that a later synth can tell a folder left by
 * a killed synth (its process is gone) from one another synth is still writing.
 */
export function makeStagingDir(parent: string): string {
  removeStaleStagingDirs(parent);
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

/** Removes `.synth-<pid>-*` folders in `parent` whose process no longer runs. Returns what it removed. */
export function removeStaleStagingDirs(parent: string): string[] {
  if (!existsSync(parent)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(/^\.synth-(\d+)-/.exec(name)?.[1]);
    // Folders without a pid come from synths before this naming; none of those can still be running.
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isRunning(pid))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
