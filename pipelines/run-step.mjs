#!/usr/bin/env node
// @ts-check
// Entry point of every plan step's local-exec: checks that the tools the step needs are present,
// runs pipelines/<script>.mjs with the step's arguments, streams its output, and appends one line per
// run to build/steps.log (so an unchanged plan can be seen to run nothing). Run by the plan (a trigger in
// the environment), a step whose content-addressed output is already published is not run again: a deploy
// killed before Terraform recorded a finished step resumes without redoing it (docs/crash-consistency.md).
//   node pipelines/run-step.mjs <script> [--needs=docker,go,director,...] --root=<dir> <the script's own arguments>
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { optional, runCommand, step, StepError } from './lib/step/step.mjs';
import { findTool, toolPath } from './lib/step/tools.mjs';
import { DIRECTOR_ENV } from '../contracts/director-env.cjs';
import { CELL_ARCHES } from '../contracts/arches.cjs';
import { writeFileAtomic } from '../contracts/atomic-dir.cjs';
import { unfinishedRunsFile } from '../contracts/unfinished-runs.cjs';

/** @type {Record<string, string>} */
const TOOL_OF_NEED = { docker: 'docker', qemu: `${CELL_ARCHES.armhf.qemu}-static`, mmdebstrap: 'mmdebstrap', go: 'go', bosh: 'bosh' };

/**
 * Scripts whose output folder is the whole result. Not build-rootfs (its result is an image in the Docker
 * engine, which may be gone while the folder stays) nor the director and Cloud Foundry steps (their result
 * lives there): those always run when Terraform plans them.
 */
const SELF_CONTAINED = new Set(['check-rootfs-packages', 'export-rootfs', 'cross-compile', 'create-release', 'compile-release', 'build-buildpack', 'fidelity', 'try-app-step', 'write-receipt']);

/**
 * The step's output when it is published: `--out` names a link (contracts/atomic-dir.cjs) whose folder
 * exists. A link is only ever switched to a complete output, so its presence means the step finished.
 * Relative to the working directory, as the step script reads it.
 * @param {string[]} forwarded
 */
function publishedOutput(forwarded) {
  const arg = forwarded.find((a) => a.startsWith('--out='));
  if (!arg) return undefined;
  const out = arg.slice('--out='.length);
  try {
    return lstatSync(resolve(out)).isSymbolicLink() && existsSync(resolve(out)) ? out : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds `by` to the count of this step's runs that started and did not finish (contracts/unfinished-runs.cjs),
 * which the plan reads: one more before the script runs, one less once it exits 0.
 * @param {string} file @param {number} by
 */
function countUnfinished(file, by) {
  const now = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || 0 : 0;
  const next = Math.max(0, now + by);
  if (next === 0) rmSync(file, { force: true });
  else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, `${next}\n`);
  }
}

/** @param {string} root @param {string} line */
function logRun(root, line) {
  mkdirSync(join(root, 'build'), { recursive: true });
  appendFileSync(join(root, 'build', 'steps.log'), `${line}\n`);
}

await step({
  name: 'run-step',
  args: { needs: optional(), root: optional() },
  positionals: 1,
  // Everything but --needs is the script's: it checks its own arguments.
  forward: true,
  // The plan step's id, else the script's name.
  failLabel: (_args, _stepId, [script]) => `[${process.env.STACK_ELEVATOR_STEP ?? script ?? 'run-step'}]`,
  main: async ({ args, positionals: [script], forwarded, paths: { root } }) => {
    if (!script) throw new StepError('no step script given (usage: run-step.mjs <script> [--needs=...] --root=<dir> ...)');
    const stepId = process.env.STACK_ELEVATOR_STEP ?? script;
    const trigger = process.env.STACK_ELEVATOR_TRIGGER;
    const published = trigger && SELF_CONTAINED.has(script) && process.env.STACK_ELEVATOR_FORCE !== '1' ? publishedOutput(forwarded) : undefined;
    if (published) {
      process.stdout.write(`[${stepId}] ${published} already holds this step's output (same trigger): reused, not run again (STACK_ELEVATOR_FORCE=1 runs it)\n`);
      logRun(root, `${stepId} ${trigger} exit=0 0.0s reused`);
      process.exit(0);
    }
    const needs = (args.needs ?? '').split(',').filter(Boolean);
    for (const need of needs) {
      if (need === 'director') {
        const missing = DIRECTOR_ENV.filter((v) => !process.env[v]);
        if (missing.length > 0) {
          throw new StepError(`no director configured: set ${missing.join(', ')} in the environment to run this step (the plan stops here; artifact steps before it are done and will not re-run)`);
        }
        continue;
      }
      const tool = TOOL_OF_NEED[need];
      if (tool && !findTool(tool, root)) throw new StepError(`needs ${tool}, which is not installed`, { fix: 'npm run setup' });
    }

    const unfinished = trigger ? join(root, unfinishedRunsFile(stepId, trigger)) : undefined;
    if (unfinished) countUnfinished(unfinished, +1);
    const started = Date.now();
    const child = await runCommand(process.execPath, [join(root, 'pipelines', `${script}.mjs`), `--root=${root}`, ...forwarded], {
      stdio: 'inherit',
      env: { PATH: toolPath(root) },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (unfinished && child.code === 0) countUnfinished(unfinished, -1);
    logRun(root, `${stepId} ${trigger ?? '-'} exit=${child.code} ${seconds}s`);
    process.exit(child.code);
  },
});
