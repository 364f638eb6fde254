// Where the pipelines find the CLIs they drive: the project's own .tools/bin first (setup installs
// pinned builds there), then PATH. A missing tool is an error that names the fix.
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { StepError } from './step.mjs';

export function projectRoot() {
  return resolve(new URL('../../..', import.meta.url).pathname);
}

export function toolsBin(root = projectRoot()) {
  return join(root, '.tools', 'bin');
}

/** PATH with .tools/bin first, for child processes. */
export function toolPath(root = projectRoot()) {
  return [toolsBin(root), process.env.PATH ?? ''].join(delimiter);
}

/** @param {string} name */
export function findTool(name, root = projectRoot()) {
  for (const dir of toolPath(root).split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** @param {string} name */
export function requireTool(name, root = projectRoot()) {
  const found = findTool(name, root);
  if (!found) {
    throw new StepError(`${name} not found in ${toolsBin(root)} or on PATH (fix: run npm run setup)`);
  }
  return found;
}
