import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
/**
 * The real upstream data the team shares (CI clones the repo beside shared/); STACK_ELEVATOR_UPSTREAM
 * points elsewhere (a checkout that is not beside shared/, such as a git worktree).
 */
export const UPSTREAM_FIXTURES = process.env.STACK_ELEVATOR_UPSTREAM ? resolve(process.env.STACK_ELEVATOR_UPSTREAM) : resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'upstream');
export const DEFAULT_LAB_TEXT = readFileSync(join(PROJECT_ROOT, 'lab.yaml'), 'utf8');

/**
 * Writes a lab (default: the embedded one, optionally edited) with its lock and its package list file
 * into a fresh temp directory and returns the lab file path. Tests synthesize it without touching cdktf.out.
 */
export function writeLab(edit: (text: string) => string = (t) => t, dir = mkdtempSync(join(tmpdir(), 'se-lab-'))): string {
  mkdirSync(join(dir, 'packages'), { recursive: true });
  const pkgSource = join(PROJECT_ROOT, 'packages', 'rpifs-ci.txt');
  // The lab names this list; a test must use the real one, never a stand-in that hides its loss.
  if (!existsSync(pkgSource)) throw new Error(`${pkgSource}: missing, but lab.yaml names packages/rpifs-ci.txt (fix: restore it with git checkout -- packages/)`);
  copyFileSync(pkgSource, join(dir, 'packages', 'rpifs-ci.txt'));
  copyFileSync(join(PROJECT_ROOT, 'lab.lock.json'), join(dir, 'lab.lock.json'));
  const file = join(dir, 'lab.yaml');
  writeFileSync(file, edit(DEFAULT_LAB_TEXT));
  return file;
}

/** Replaces exactly one occurrence, so a test edit cannot silently stop applying when lab.yaml changes. */
export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const matches = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length;
  if (matches !== 1) throw new Error(`test edit expected exactly one match of ${String(from)}, found ${matches}`);
  return text.replace(from, to);
}
