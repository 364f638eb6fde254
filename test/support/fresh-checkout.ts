import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { run } from './run';

/** What a checkout holds that no clone has: installed, built or generated (see .gitignore), and git's own. */
const NOT_CHECKED_IN = new Set(['.git', 'node_modules', 'dist', 'build', 'cdktf.out', '.gen', '.terraform', '.tools']);

/** The files of `root` a clone would have: its tracked files, or (in a copy that is no git checkout) every file but the built ones. */
function checkedInFiles(root: string): string[] {
  const ls = run('git', ['ls-files', '-z'], { cwd: root });
  if (ls.status === 0 && ls.stdout.length > 0) return ls.stdout.split('\0').filter((f) => f && existsSync(join(root, f))); // not those deleted in the working tree
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (NOT_CHECKED_IN.has(e.name) || e.name.startsWith('.synth-')) return [];
      const p = join(dir, e.name);
      return e.isDirectory() ? walk(p) : e.isFile() ? [relative(root, p)] : [];
    });
  return walk(root);
}

/**
 * A fresh clone of `root` as it is now, edits included: its checked-in files copied into `dest` and
 * committed there as HEAD, so what a clone would lack (build/, dist/, cdktf.out/, untracked files) is absent.
 */
export function freshCheckout(root: string, dest: string): void {
  for (const f of checkedInFiles(root)) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(join(root, f), join(dest, f));
  }
  const git = (args: string[]): void => {
    const r = run('git', ['-c', 'user.name=fresh clone', '-c', 'user.email=fresh-clone@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dest });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${dest} failed: ${r.stderr}`);
  };
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'fresh clone']);
}
