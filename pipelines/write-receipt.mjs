#!/usr/bin/env node
// @ts-check
// Plan step: writes the receipt of a lab build — the trigger and outputs of every step it follows —
// so `npm run rebuild` can compare a later rebuild against it bit for bit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepIdentity } from './lib/step/receipt.mjs';
import { atomicOutput, optional, PLAN_ARGS, step } from './lib/step/step.mjs';

await step({
  name: 'write-receipt',
  args: { ...PLAN_ARGS, after: optional() },
  logLabel: () => '[receipt]',
  failLabel: () => '[receipt] FAILED:',
  main: async ({ args, paths, log }) => {
    /** @type {import('../contracts/plan-document.ts').PlanDocument} */
    const plan = JSON.parse(readFileSync(join(paths.artifacts, '..', 'plan.json'), 'utf8'));
    const upstream = String(args.after ?? '').split(',').filter(Boolean);
    await atomicOutput(paths.out, async (tmp) => {
      /** @type {Record<string, { trigger: string, outputs: unknown }>} */
      const steps = {};
      for (const s of plan.steps.filter((/** @type {{ id: string }} */ p) => upstream.includes(p.id))) {
        steps[s.id] = { trigger: s.trigger, outputs: stepIdentity(join(paths.root, s.out)) };
      }
      writeFileSync(join(tmp, 'receipt.json'), `${JSON.stringify({ lab: plan.lab, steps }, null, 2)}\n`);
    });
    log(`receipt written for ${upstream.length} step(s)`);
  },
});
