#!/usr/bin/env node
// npm run rebuild [-- --record]: rebuilds every artifact of the lab from lab.yaml + lab.lock.json with a
// fresh Terraform state (so every artifact step really runs again), then compares the new receipt with
// lab.receipt.json, the checksums recorded by an earlier build. --record writes that file instead.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $, minimist } from 'zx';
import { projectRoot, requireTool, toolPath } from './lib/tools.mjs';

const root = projectRoot();
const args = minimist(process.argv.slice(2), { boolean: ['record'] });
const lab = args.lab ?? process.env.STACK_ELEVATOR_LAB ?? 'lab.yaml';
const receiptFile = join(root, args.receipt ?? 'lab.receipt.json');
const outdir = join(root, 'build', 'rebuild', 'cdktf.out');
const stackDir = join(outdir, 'stacks', 'lab');
const env = { ...process.env, PATH: toolPath(root), STACK_ELEVATOR_LAB: lab, STACK_ELEVATOR_SCOPE: 'artifacts', CDKTF_OUTDIR: outdir };
$.verbose = true;

function fail(msg) {
  process.stderr.write(`rebuild: ${msg}\n`);
  process.exit(1);
}

try {
  requireTool('terraform', root);
} catch (err) {
  fail(err.message);
}
const synth = await $({ cwd: root, env, nothrow: true })`node dist/stacks/main.js`;
if (synth.exitCode !== 0) fail('synth failed (see above); nothing was rebuilt');
// A fresh state makes every artifact step run again (the state lives beside the output directory).
rmSync(join(outdir, '..', 'terraform.lab.tfstate'), { force: true });
const init = await $({ cwd: stackDir, env, nothrow: true })`terraform init -input=false -no-color`;
if (init.exitCode !== 0) fail('terraform init failed');
const apply = await $({ cwd: stackDir, env, nothrow: true })`terraform apply -auto-approve -input=false -no-color`;
if (apply.exitCode !== 0) fail('a step failed: the state keeps what finished; run npm run rebuild again to resume');

const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8'));
const receiptStep = plan.steps.find((s) => s.script === 'write-receipt');
if (!receiptStep) fail('the plan has no receipt step');
const fresh = JSON.parse(readFileSync(join(root, receiptStep.out, 'receipt.json'), 'utf8'));

if (args.record || !existsSync(receiptFile)) {
  writeFileSync(receiptFile, `${JSON.stringify(fresh, null, 2)}\n`);
  process.stdout.write(`rebuild: recorded ${Object.keys(fresh.steps).length} step(s) in ${receiptFile.slice(root.length + 1)}\n`);
  process.exit(0);
}

const recorded = JSON.parse(readFileSync(receiptFile, 'utf8'));
const drift = [];
for (const [id, step] of Object.entries(recorded.steps)) {
  const now = fresh.steps[id];
  if (!now) {
    drift.push(`${id}: no longer in the plan`);
    continue;
  }
  for (const [file, sha] of Object.entries(step.outputs)) {
    if (now.outputs[file] !== sha) drift.push(`${id}/${file}: recorded ${sha.slice(0, 12)}, rebuilt ${String(now.outputs[file]).slice(0, 12)}`);
  }
}
if (drift.length > 0) fail(`rebuilt bits differ from ${receiptFile.slice(root.length + 1)}:\n  ${drift.join('\n  ')}`);
process.stdout.write(`rebuild: every output of ${Object.keys(recorded.steps).length} step(s) matches ${receiptFile.slice(root.length + 1)}\n`);
