#!/usr/bin/env node
// Plan step: writes the receipt of a lab build — the trigger and outputs of every step it follows —
// so `npm run rebuild` can compare a later rebuild against it bit for bit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepIdentity } from './lib/receipt.mjs';
import { atomicOutput, failStep, progress, stepArgs } from './lib/step.mjs';

/** @typedef {import('../constructs/plan/plan-graph.ts').PlanDocument} PlanDocument */

const STEP = 'receipt';
const args = stepArgs();

try {
  /** @type {PlanDocument} */
  const plan = JSON.parse(readFileSync(join(args.artifacts, '..', 'plan.json'), 'utf8'));
  const upstream = String(args.after ?? '').split(',').filter(Boolean);
  await atomicOutput(args.out, async (tmp) => {
    const steps = {};
    for (const s of plan.steps.filter((p) => upstream.includes(p.id))) {
      steps[s.id] = { trigger: s.trigger, outputs: stepIdentity(join(args.root, s.out)) };
    }
    writeFileSync(join(tmp, 'receipt.json'), `${JSON.stringify({ lab: plan.lab, steps }, null, 2)}\n`);
  });
  progress(STEP, `receipt written for ${upstream.length} step(s)`);
} catch (err) {
  failStep(STEP, err);
}
