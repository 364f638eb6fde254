#!/usr/bin/env node
// Plan step (after the control-plane deploy): makes one isolation segment exist through the CF API v3,
// with the operator's cf CLI session (`cf curl`): the segment, its org entitlements, its space
// assignments. Reads before it writes, so a second run changes nothing. Orgs and spaces must exist:
// it never creates them. Requests are never retried.
//
//   node pipelines/cf-isolation-segment.mjs --segment=rpi --orgs=dev,lab [--spaces=dev/arm,lab/pi] [--out=<dir>]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cfCurl, cfOnPath } from './lib/director/cf-curl.mjs';
import { atomicOutput, optional, PLAN_ARGS, required, step, StepError } from './lib/step/step.mjs';

const q = encodeURIComponent;
/** @param {string | undefined} s */
const list = (s) => (s ?? '').split(',').filter(Boolean);

/** @param {string} cf @param {string} name @param {(msg: string) => void} log */
async function ensureSegment(cf, name, log) {
  const found = await cfCurl(cf, 'GET', `/v3/isolation_segments?names=${q(name)}`);
  const existing = found?.resources?.[0];
  if (existing) {
    log(`isolation segment ${name} exists (${existing.guid})`);
    return { guid: existing.guid, created: false };
  }
  const made = await cfCurl(cf, 'POST', '/v3/isolation_segments', { name });
  log(`created isolation segment ${name} (${made.guid})`);
  return { guid: made.guid, created: true };
}

/** @param {string} cf @param {string} org */
async function orgGuid(cf, org) {
  const found = await cfCurl(cf, 'GET', `/v3/organizations?names=${q(org)}`);
  const guid = found?.resources?.[0]?.guid;
  if (!guid) throw new StepError(`org ${org} does not exist on this foundation`, { fix: `cf create-org ${org}, or correct isolation_segments[].orgs in the lab file` });
  return guid;
}

/** @param {string} cf @param {string} segment @param {{ guid: string }} seg @param {Map<string, string>} orgs @param {(msg: string) => void} log */
async function entitle(cf, segment, seg, orgs, log) {
  const rel = await cfCurl(cf, 'GET', `/v3/isolation_segments/${seg.guid}/relationships/organizations`);
  const have = new Set((rel?.data ?? []).map((/** @type {{ guid: string }} */ d) => d.guid));
  const missing = [...orgs].filter(([, guid]) => !have.has(guid));
  for (const [org] of [...orgs].filter(([, guid]) => have.has(guid))) log(`org ${org} already entitled to ${segment}`);
  if (missing.length === 0) return [];
  await cfCurl(cf, 'POST', `/v3/isolation_segments/${seg.guid}/relationships/organizations`, { data: missing.map(([, guid]) => ({ guid })) });
  log(`entitled ${missing.map(([o]) => o).join(', ')} to ${segment}`);
  return missing.map(([o]) => o);
}

/** @param {string} cf @param {string} segment @param {{ guid: string }} seg @param {string} spec org/space @param {Map<string, string>} orgs @param {(msg: string) => void} log */
async function assign(cf, segment, seg, spec, orgs, log) {
  const [org, space] = spec.split('/');
  const og = orgs.get(org);
  if (!org || !space || !og) throw new StepError(`--spaces entry ${spec}: expected <org>/<space> with <org> among --orgs (${[...orgs.keys()].join(', ')})`);
  const found = await cfCurl(cf, 'GET', `/v3/spaces?names=${q(space)}&organization_guids=${q(og)}`);
  const guid = found?.resources?.[0]?.guid;
  if (!guid) throw new StepError(`space ${space} does not exist in org ${org}`, { fix: `cf create-space ${space} -o ${org}, or correct isolation_segments[].spaces in the lab file` });
  const current = await cfCurl(cf, 'GET', `/v3/spaces/${guid}/relationships/isolation_segment`);
  if (current?.data?.guid === seg.guid) {
    log(`space ${org}/${space} already assigned to ${segment}`);
    return false;
  }
  await cfCurl(cf, 'PATCH', `/v3/spaces/${guid}/relationships/isolation_segment`, { data: { guid: seg.guid } });
  log(`assigned space ${org}/${space} to ${segment}${current?.data?.guid ? ` (was ${current.data.guid})` : ''}`);
  return true;
}

await step({
  name: 'cf-isolation-segment',
  args: { ...PLAN_ARGS, segment: required(), orgs: required(), spaces: optional() },
  logLabel: (args) => `[cf-isolation-segment ${args.segment ?? ''}]`,
  main: async ({ args, paths, log }) => {
    const cf = cfOnPath();
    if (!cf) throw new StepError('cf not found on PATH: this step uses the operator\'s cf CLI session (cf curl)', { fix: 'install the cf CLI (v8), cf login as an admin, and run the plan again' });
    const orgNames = list(args.orgs);
    if (orgNames.length === 0) throw new StepError('--orgs names no org: a segment no org is entitled to serves no app');
    // Orgs first: a lab naming an org that does not exist changes nothing on the foundation.
    /** @type {Map<string, string>} */
    const orgs = new Map();
    for (const o of orgNames) orgs.set(o, await orgGuid(cf, o));
    const seg = await ensureSegment(cf, args.segment, log);
    const entitled = await entitle(cf, args.segment, seg, orgs, log);
    /** @type {string[]} */
    const assigned = [];
    for (const spec of list(args.spaces)) if (await assign(cf, args.segment, seg, spec, orgs, log)) assigned.push(spec);
    const changed = seg.created || entitled.length > 0 || assigned.length > 0;
    log(changed ? 'done' : 'nothing to change');
    if (paths.out) {
      await atomicOutput(paths.out, async (tmp) => {
        writeFileSync(join(tmp, 'segment.json'), `${JSON.stringify({ segment: args.segment, guid: seg.guid, created: seg.created, entitled, assigned }, null, 2)}\n`);
      });
    }
  },
});
