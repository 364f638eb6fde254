// The operator's cf CLI session as a CF API v3 client: `cf curl <path> [-X <method>] [-d <json>]`, one
// request per call, never retried (a write that failed half-way must be looked at, not repeated).
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runCommand, StepError } from '../step/step.mjs';

/** Where `cf` is on PATH, or undefined. @param {NodeJS.ProcessEnv} env */
export function cfOnPath(env = process.env) {
  return (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'cf')).find((p) => existsSync(p));
}

/**
 * One CF API request through `cf curl`. Resolves with the parsed JSON body (null for an empty one).
 * Fails with a StepError naming the request: not logged in (the fix: cf login), an API error (its code,
 * title and detail), or an answer that is not JSON (cf's own last lines).
 * @param {string} cf the cf executable
 * @param {'GET' | 'POST' | 'PATCH'} method
 * @param {string} path e.g. /v3/isolation_segments?names=rpi
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function cfCurl(cf, method, path, body) {
  const argv = ['curl', path, ...(method === 'GET' ? [] : ['-X', method]), ...(body === undefined ? [] : ['-d', JSON.stringify(body)])];
  const r = await runCommand(cf, argv);
  const said = `${r.stdout}\n${r.stderr}`;
  const what = `cf curl ${method === 'GET' ? '' : `-X ${method} `}${path}`;
  if (/Not logged in|No API endpoint set/i.test(said)) {
    throw new StepError(`${what}: the cf CLI is not logged in (cf said: ${lastLines(said)})`, { fix: 'cf login -a https://api.<system domain> as an admin (or a user allowed to manage isolation segments), then run the plan again' });
  }
  const text = r.stdout.trim();
  let parsed;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    throw new StepError(`${what}: cf exited ${r.code} with no JSON answer: ${lastLines(said)}`, { fix: 'check `cf target` and that the API answers, then run the plan again' });
  }
  const errors = parsed && Array.isArray(parsed.errors) ? parsed.errors : [];
  if (errors.length > 0 || r.code !== 0) {
    const detail = errors.map((/** @type {{ code?: number, title?: string, detail?: string }} */ e) => `${e.title ?? 'error'} (${e.code ?? '?'}): ${e.detail ?? ''}`).join('; ') || lastLines(said);
    throw new StepError(`${what}: the CF API refused it: ${detail} (nothing was retried)`, { fix: 'fix the cause the API names (permissions: an admin session; names: the lab\'s isolation_segments), then run the plan again: it re-reads before it writes' });
  }
  return parsed;
}

/** @param {string} text */
function lastLines(text) {
  return text.trim().split(/\r?\n/).filter(Boolean).slice(-3).join(' | ');
}
