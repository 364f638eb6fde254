#!/usr/bin/env node
// @ts-check
// npm run rebuild [-- --record] [--receipt=<file>] [--cold]: rebuilds every artifact step of the lab from
// lab.yaml + lab.lock.json with a fresh Terraform state (so every step really runs again), then checks
// each rebuilt output against the receipt an earlier build recorded (default lab.receipt.json; see
// pipelines/lib/step/receipt.mjs for what counts as the same bits). --record writes the receipt instead,
// of the build you trust: a step whose output is already published (same trigger) is recorded as it is,
// a missing one is built (with --cold every step is built).
// --cold starts from no cache at all (pipelines/lib/checks/cold-caches.mjs).
// Exits 0 only when every recorded step rebuilt to the same bits.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { $ } from 'zx';
import { coldEnv, dropCaches, withoutLayerCache } from './lib/checks/cold-caches.mjs';
import { identityDrift, stepIdentity, writeReceiptFile } from './lib/step/receipt.mjs';
import { flag, optional, step, StepError } from './lib/step/step.mjs';
import { projectRoot, requireTool, toolPath } from './lib/step/tools.mjs';

/**
 * The steps of this plan the runner's log records as finished (exit 0, with the plan's trigger) since byte logStart.
 * @param {string} stepsLog @param {number} logStart @param {import('../contracts/plan-document.ts').PlanDocument} plan
 */
function finishedSteps(stepsLog, logStart, plan) {
  return new Set(
    readFileSync(stepsLog, 'utf8')
      .slice(logStart)
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([id, trigger, exit]) => exit === 'exit=0' && plan.steps.some((s) => s.id === id && s.trigger === trigger))
      .map(([id]) => id),
  );
}

/**
 * Each recorded step that rebuilt, compared with its receipt entry: the ones with the same bits, and every drift found.
 * @param {{ steps: Record<string, { outputs: any }> }} recorded
 * @param {Record<string, { outputs: any }>} rebuilt
 */
function compareWithReceipt(recorded, rebuilt) {
  /** @type {string[]} */
  const drift = [];
  /** @type {string[]} */
  const reproduced = [];
  for (const [id, step] of Object.entries(recorded.steps)) {
    const now = rebuilt[id];
    if (!now) continue; // reported as unfinished above
    const d = identityDrift(id, step.outputs, now.outputs);
    if (d.length === 0) reproduced.push(id);
    drift.push(...d);
  }
  return { drift, reproduced };
}

await step({
  name: 'rebuild',
  args: { record: flag(), help: flag(), cold: flag(), receipt: optional(), lab: optional() },
  logLabel: () => 'rebuild:',
  failLabel: () => 'rebuild:',
  main: async ({ args, log }) => {
    const root = projectRoot();
    if (args.help) {
      process.stdout.write('usage: npm run rebuild [-- --record] [--receipt=<file>] [--lab=<lab.yaml>] [--cold]\n  rebuilds every artifact step from the lock with a fresh state and compares with the receipt (--record writes it)\n  --cold: no base tarball cache, no Docker layer cache, an empty Go build cache\n');
      process.exit(0);
    }
    const lab = args.lab ?? process.env.STACK_ELEVATOR_LAB ?? 'lab.yaml';
    const receiptFile = join(root, args.receipt ?? 'lab.receipt.json');
    const outdir = join(root, 'build', 'rebuild', 'cdktf.out');
    const stackDir = join(outdir, 'stacks', 'lab');
    const stepsLog = join(root, 'build', 'steps.log');
    const env = { ...process.env, PATH: toolPath(root), STACK_ELEVATOR_LAB: lab, STACK_ELEVATOR_SCOPE: 'artifacts', CDKTF_OUTDIR: outdir, STACK_ELEVATOR_FORCE: args.record && !args.cold ? '0' : '1', ...(args.cold ? coldEnv(root) : {}) };
    $.verbose = true;
    /** @param {string} msg @returns {never} */
    const fail = (msg) => {
      throw new StepError(msg);
    };

    requireTool('terraform', root);
    const synth = await $({ cwd: root, env, nothrow: true })`node dist/stacks/main.js`;
    if (synth.exitCode !== 0) fail('synth failed (see above); nothing was rebuilt');
    if (args.cold) {
      dropCaches(root);
      log(`cold: caches dropped, ${withoutLayerCache(stackDir)} docker_image(s) build without the layer cache`);
    }
    // A fresh state makes every artifact step run again (the state lives beside the output directory).
    rmSync(join(outdir, '..', 'terraform.lab.tfstate'), { force: true });
    const init = await $({ cwd: stackDir, env, nothrow: true })`terraform init -input=false -no-color`;
    if (init.exitCode !== 0) fail('terraform init failed');
    const logStart = existsSync(stepsLog) ? statSync(stepsLog).size : 0;
    const apply = await $({ cwd: stackDir, env, nothrow: true })`terraform apply -auto-approve -input=false -no-color`;

    // Which steps of this plan finished in this rebuild, from the runner's log.
    /** @type {{ lab: unknown, steps: { id: string, trigger: string, script: string, out: string }[] }} */
    /** @type {import('../contracts/plan-document.ts').PlanDocument} */
    const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8'));
    const finished = finishedSteps(stepsLog, logStart, plan);
    const rebuilt = Object.fromEntries(plan.steps.filter((s) => finished.has(s.id) && s.script !== 'write-receipt').map((s) => [s.id, { trigger: s.trigger, outputs: stepIdentity(join(root, s.out)) }]));
    const unfinished = plan.steps.filter((s) => !finished.has(s.id)).map((s) => s.id);
    if (unfinished.length > 0) log(`did not finish: ${unfinished.join(', ')}${apply.exitCode !== 0 ? ' (see the failure above)' : ''}`);

    if (args.record) {
      writeReceiptFile(receiptFile, { lab: plan.lab, steps: rebuilt, unfinished });
      log(`recorded ${Object.keys(rebuilt).length} step(s) in ${relative(root, receiptFile)}`);
      process.exit(unfinished.length > 0 ? 1 : 0);
    }
    if (!existsSync(receiptFile)) fail(`no receipt at ${relative(root, receiptFile)}: run npm run rebuild -- --record after a build you trust`);

    const recorded = JSON.parse(readFileSync(receiptFile, 'utf8'));
    const { drift, reproduced } = compareWithReceipt(recorded, rebuilt);
    log(`same bits as ${relative(root, receiptFile)}: ${reproduced.length} of ${Object.keys(recorded.steps).length} recorded step(s)${reproduced.length > 0 ? ` (${reproduced.join(', ')})` : ''}`);
    if (drift.length > 0) fail(`rebuilt bits differ:\n  ${drift.join('\n  ')}`);
    if (unfinished.length > 0 || reproduced.length < Object.keys(recorded.steps).length) process.exit(1);
  },
});
