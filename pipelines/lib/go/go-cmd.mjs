// Running the go command for the cross-compile step: module mode, no workspace, no toolchain switch.
import { runCommandSync, StepError } from '../step/step.mjs';

/**
 * Environment for go commands: module mode, no workspace, no toolchain switching, the machine's proxy.
 * @param {Record<string, string>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
export function goEnv(extra = {}) {
  return { ...process.env, GO111MODULE: 'on', GOWORK: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod -buildvcs=false', ...extra };
}

/**
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, quiet?: boolean }} [options]
 */
export function go(args, { cwd, env = goEnv(), quiet = false } = {}) {
  const res = runCommandSync('go', args, { cwd, env });
  if (res.code !== 0) {
    throw new StepError(`go ${args.join(' ')} failed (exit ${res.code}) in ${cwd ?? process.cwd()}:\n${(res.stderr || res.stdout).trim()}`);
  }
  if (!quiet && res.stderr.trim()) process.stderr.write(res.stderr);
  return res.stdout;
}

export function goVersion() {
  return go(['env', 'GOVERSION'], { quiet: true }).trim();
}
