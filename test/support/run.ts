import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { PROJECT_ROOT } from './lab-files';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with the project's .tools/bin on PATH; never throws, so tests assert on the result. */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): RunResult {
  const res = spawnSync(cmd, args, {
    cwd: opts.cwd ?? PROJECT_ROOT,
    env: { ...process.env, PATH: [join(PROJECT_ROOT, '.tools', 'bin'), process.env.PATH].join(delimiter), ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

/**
 * A run's exit status with, when it failed, the lines that say why (errors and failures first, then the
 * last lines it printed): compared with `{ status: 0, tail: '' }`, a failure shows its cause in the test
 * report instead of only "expected 0, received 1".
 */
export function outcome(res: { status: number | null; stdout?: string; stderr?: string }, lines = 40): { status: number | null; tail: string } {
  if (res.status === 0) return { status: 0, tail: '' };
  const all = `${res.stdout ?? ''}\n${res.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n');
  const errors = all.filter((l) => /error|failed|fatal|panic/i.test(l)).slice(0, 20);
  return { status: res.status, tail: [...errors, '…', ...all.slice(-lines)].join('\n') };
}
