#!/usr/bin/env node
// Director steps of the plan: upload what the build steps made, then deploy one deployment.
//   --action=upload --releases=<dir>,<dir> --stemcells=<os>/<version>,...
//   --action=deploy --deployment=<name> (--manifest=<artifact> | --base=cf-deployment@<tag>) [--ops=<artifact>,...] [--vars=k=v,...]
//       [--requires=<name>/<version>@<os>/<version>,...]  releases the lab supplies: the deploy stops
//       before `bosh deploy`, listing every one the director lacks compiled for that stemcell
//       [--runtime-config=<name>/<version>,...]  releases the director's runtime config must name at that
//       version (bosh-dns): the deploy stops first when `bosh runtime-config` names another or none
// The director comes only from BOSH_ENVIRONMENT, BOSH_CLIENT, BOSH_CLIENT_SECRET and BOSH_CA_CERT, which
// the bosh CLI reads itself: they are never put on a command line, printed or written anywhere. Without
// them the script prints the commands it would run and exits non-zero. Deploy-time variables the lab
// leaves open (e.g. system_domain) come from STACK_ELEVATOR_VAR_<name> via bosh's --vars-env.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { atomicOutput, optional, PLAN_ARGS, required, runCommandSync, step, StepError } from './lib/step/step.mjs';
import { findTool } from './lib/step/tools.mjs';
import { checkoutUpstream } from './lib/upstream/upstream-git.mjs';
import { missingReleases, runtimeConfigProblems } from './lib/director/required-releases.mjs';
import { DIRECTOR_ENV } from '../contracts/director-env.cjs';
import { shellQuote } from '../contracts/shell-quote.cjs';
import { upstreamDirOf } from '../contracts/upstream-dir.cjs';

const VARS_ENV_PREFIX = 'STACK_ELEVATOR_VAR';
/** @type {Record<string, string>} */
const UPSTREAM_REPOS = { 'cf-deployment': 'https://github.com/cloudfoundry/cf-deployment' };

const ARGS = {
  ...PLAN_ARGS,
  action: required(),
  releases: optional(),
  stemcells: optional(),
  deployment: optional(),
  manifest: optional(),
  base: optional(),
  ops: optional(),
  vars: optional(),
  requires: optional(),
  'runtime-config': optional(),
};
/**
 * The step's arguments with --root, --artifacts and --out made absolute.
 * @typedef {import('./lib/step/step.mjs').ArgValues<typeof ARGS> & { root: string, artifacts: string }} Args
 */

/** @param {string | undefined} v */
const list = (v) => (v === undefined || v === '' ? [] : String(v).split(',').filter(Boolean));

/**
 * `cf-deployment@v58.0.0` -> its manifest: in the upstream directory (contracts/upstream-dir.cjs), else a git checkout.
 * @param {Args} args @param {string} spec @param {{ dryRun: boolean }} o
 */
function upstreamManifest(args, spec, { dryRun }) {
  const [name, version] = spec.split('@');
  if (!UPSTREAM_REPOS[name] || !version) throw new StepError(`--base=${spec}: expected cf-deployment@<tag>`);
  const local = join(upstreamDirOf(args.root, process.env), `${name}-${version}`, 'cf-deployment.yml');
  if (existsSync(local)) return local;
  const cached = join(args.root, 'build', 'upstream', `${name}-${version}`, 'cf-deployment.yml');
  if (dryRun) return cached;
  return join(checkoutUpstream({ root: args.root, repo: UPSTREAM_REPOS[name], name, version }), 'cf-deployment.yml');
}

/**
 * The bosh invocations of this step, as argv arrays (no secret is ever among them).
 * @param {Args} args @param {{ dryRun: boolean }} o
 * @returns {string[][]}
 */
function plannedCommands(args, { dryRun }) {
  /** @param {string} p */
  const fromRoot = (p) => (isAbsolute(p) ? p : join(args.root, p));
  /** @param {string} p */
  const fromArtifacts = (p) => (isAbsolute(p) ? p : join(args.artifacts, p));
  if (args.action === 'upload') {
    const cmds = [];
    for (const dir of list(args.releases).map(fromRoot)) {
      const tgz = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort() : [];
      if (tgz.length === 0 && !dryRun) throw new StepError(`no release tarball in ${dir}: did its build step run?`);
      for (const f of tgz.length > 0 ? tgz : ['*.tgz']) cmds.push(['-n', 'upload-release', join(dir, f)]);
    }
    if (list(args.stemcells).length > 0) cmds.push(['stemcells', '--json']);
    return cmds;
  }
  if (args.action === 'deploy') {
    if (!args.deployment) throw new StepError('--deployment=<name> is required');
    const manifest = args.manifest ? fromArtifacts(String(args.manifest)) : args.base ? upstreamManifest(args, String(args.base), { dryRun }) : undefined;
    if (!manifest) throw new StepError('give --manifest=<artifact> or --base=cf-deployment@<tag>');
    const checks = [...requiredReleases(args).map((r) => ['inspect-release', r.release, '--json']), ...(list(args['runtime-config']).length > 0 ? [['runtime-config']] : [])];
    const cmd = ['-n', '-d', String(args.deployment), 'deploy', manifest];
    for (const o of list(args.ops)) cmd.push('-o', fromArtifacts(o));
    for (const v of list(args.vars)) cmd.push('-v', v);
    cmd.push(`--vars-env=${VARS_ENV_PREFIX}`);
    if (process.env.STACK_ELEVATOR_VARS_STORE) cmd.push(`--vars-store=${process.env.STACK_ELEVATOR_VARS_STORE}`);
    return [...checks, cmd];
  }
  throw new StepError(`--action must be upload or deploy, got ${args.action}`);
}

/** @param {string[]} cmd */
const show = (cmd) => ['bosh', ...cmd].map(shellQuote).join(' ');

/**
 * `--requires` as {release: name/version, stemcell: os/version}.
 * @param {Args} args
 */
function requiredReleases(args) {
  return list(args.requires).map((spec) => {
    const m = /^([^/@\s]+\/[^/@\s]+)@([^/@\s]+\/[^/@\s]+)$/.exec(spec);
    if (!m) throw new StepError(`--requires=${spec}: expected <name>/<version>@<os>/<version>`);
    return { release: m[1], stemcell: m[2] };
  });
}

/**
 * Stemcells are the lab's to upload (the ARM one is its own build): check they are there.
 * @param {Args} args @param {string} json
 */
function checkStemcells(args, json) {
  const rows = JSON.parse(json).Tables?.[0]?.Rows ?? [];
  const have = new Set(rows.map((/** @type {{ os: string, version: string }} */ r) => `${r.os}/${String(r.version).replace(/\*$/, '')}`));
  const missing = list(args.stemcells).filter((s) => !have.has(s));
  if (missing.length > 0) throw new StepError(`stemcell(s) not on the director: ${missing.join(', ')} (fix: bosh upload-stemcell <tarball or URL>)`);
}

/** @param {import('./lib/step/step.mjs').StepContext<typeof ARGS>} ctx */
async function main({ args: given, paths, log }) {
  const args = { ...given, root: paths.root, artifacts: paths.artifacts };
  const missing = DIRECTOR_ENV.filter((v) => !process.env[v]);
  if (missing.length > 0) {
    const cmds = plannedCommands(args, { dryRun: true });
    process.stdout.write(`${cmds.map(show).join('\n')}\n`);
    const must = requiredReleases(args);
    if (must.length > 0) process.stdout.write(`releases the lab must supply on the director before this deploy (compiled for the stemcell named): ${must.map((r) => `${r.release}@${r.stemcell}`).join(', ')}\n`);
    const rc = list(args['runtime-config']);
    if (rc.length > 0) process.stdout.write(`releases the director's runtime config must name: ${rc.join(', ')}\n`);
    // Not a failure of the step but its planned outcome without a director: no step label, its own exit code.
    process.stderr.write(`no director configured: set ${DIRECTOR_ENV.join(', ')} (missing: ${missing.join(', ')}); the commands above are what this step would run\n`);
    process.exit(3);
  }
  const bosh = findTool('bosh', args.root);
  if (!bosh) throw new StepError('bosh not found in .tools/bin or on PATH (fix: npm run setup)');
  const cmds = plannedCommands(args, { dryRun: false });
  const inspected = new Map();
  await atomicOutput(paths.out, async (tmp) => {
    for (const cmd of cmds) {
      if (cmd[0] === 'inspect-release') {
        const r = runCommandSync(bosh, cmd);
        if (r.code === 0) inspected.set(cmd[1], r.stdout);
        continue;
      }
      if (cmd[0] === 'runtime-config') {
        const r = runCommandSync(bosh, cmd);
        const problems = runtimeConfigProblems(list(args['runtime-config']), r.code === 0 ? r.stdout : undefined);
        if (problems.length > 0) throw new StepError(`${problems.join('; ')} (fix: bosh update-runtime-config with bosh-deployment's runtime-configs/dns.yml at that version, or set dns_runtime_config.bosh_dns in the lab to what the director runs)`);
        continue;
      }
      if (cmd[3] === 'deploy') {
        const missing = missingReleases(requiredReleases(args), inspected);
        if (missing.length > 0) throw new StepError(`the director lacks release(s) the lab supplies for the cells: ${missing.join(', ')} (fix: bosh upload-release each, compiled for that stemcell; see docs/compiled-releases.md)`);
      }
      log(show(cmd));
      const capture = cmd[0] === 'stemcells';
      const r = runCommandSync(bosh, cmd, { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
      if (r.code !== 0) throw new StepError(`${show(cmd)} exited ${r.code}`);
      if (capture) checkStemcells(args, r.stdout);
    }
    // The receipt holds the commands (no secrets are in them) so a rerun can be compared.
    writeFileSync(join(tmp, 'receipt.json'), `${JSON.stringify({ step: stepId(args), commands: cmds.map(show) }, null, 2)}\n`);
  });
}

/** @param {{ action?: string }} args */
const stepId = (args) => process.env.STACK_ELEVATOR_STEP ?? `bosh-${args.action ?? '?'}`;

await step({
  name: 'bosh-deploy',
  args: ARGS,
  logLabel: (args) => `[${stepId(args)}]`,
  failLabel: (args) => `[${stepId(args)}] FAILED:`,
  main,
});
