import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

/** The bosh CLI: <repo>/.tools/bin/bosh (what `npm run setup` installs), else the first on PATH. */
export function boshCli(): string {
  const dirs = [join(REPO, '.tools', 'bin'), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const d of dirs) {
    const candidate = join(d, 'bosh');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(`bosh CLI not found in ${join(REPO, '.tools', 'bin')} or on PATH (fix: npm run setup)`);
}

export interface BoshResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs bosh with a clean director environment, so a developer's BOSH_* never reaches a test. */
export function bosh(args: readonly string[], cwd = REPO): BoshResult {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BOSH_')));
  const t0 = Date.now();
  const r = spawnSync(boshCli(), args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}
