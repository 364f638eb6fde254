#!/usr/bin/env node
// Entry point of every plan step's local-exec: checks that the tools the step needs are present,
// runs pipelines/<script>.mjs with the step's arguments, streams its output, and appends one line per
// run to build/steps.log (so an unchanged plan can be seen to run nothing).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findTool, toolPath } from './lib/tools.mjs';
import { DIRECTOR_ENV } from '../contracts/director-env.cjs';

const [script, ...rest] = process.argv.slice(2);
const rootArg = rest.find((a) => a.startsWith('--root='));
const root = resolve(rootArg ? rootArg.slice('--root='.length) : '.');
const needsArg = rest.find((a) => a.startsWith('--needs='));
const needs = needsArg ? needsArg.slice('--needs='.length).split(',').filter(Boolean) : [];
const stepId = process.env.STACK_ELEVATOR_STEP ?? script;

const TOOL_OF_NEED = { docker: 'docker', qemu: 'qemu-arm-static', mmdebstrap: 'mmdebstrap', go: 'go', bosh: 'bosh' };

function stop(msg) {
  process.stderr.write(`[${stepId}] ${msg}\n`);
  process.exit(1);
}

for (const need of needs) {
  if (need === 'director') {
    const missing = DIRECTOR_ENV.filter((v) => !process.env[v]);
    if (missing.length > 0) {
      stop(`no director configured: set ${missing.join(', ')} in the environment to run this step (the plan stops here; artifact steps before it are done and will not re-run)`);
    }
    continue;
  }
  const tool = TOOL_OF_NEED[need];
  if (tool && !findTool(tool, root)) stop(`needs ${tool}, which is not installed (fix: npm run setup)`);
}

const started = Date.now();
const child = spawnSync(process.execPath, [join(root, 'pipelines', `${script}.mjs`), ...rest.filter((a) => a !== needsArg)], {
  stdio: 'inherit',
  env: { ...process.env, PATH: toolPath(root) },
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
mkdirSync(join(root, 'build'), { recursive: true });
appendFileSync(join(root, 'build', 'steps.log'), `${stepId} ${process.env.STACK_ELEVATOR_TRIGGER ?? '-'} exit=${child.status} ${seconds}s\n`);
process.exit(child.status ?? 1);
