#!/usr/bin/env node
// Plan step: writes the receipt of a lab build — the trigger and outputs of every step it follows —
// so `npm run rebuild` can compare a later rebuild against it bit for bit.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { atomicOutput, failStep, progress, stepArgs } from './lib/step.mjs';

const STEP = 'receipt';
const args = stepArgs();

function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

try {
  const plan = JSON.parse(readFileSync(join(args.artifacts, '..', 'plan.json'), 'utf8'));
  const upstream = String(args.after ?? '').split(',').filter(Boolean);
  await atomicOutput(args.out, async (tmp) => {
    const steps = {};
    for (const s of plan.steps.filter((p) => upstream.includes(p.id))) {
      const outDir = join(args.root, s.out);
      const outputs = {};
      for (const f of filesUnder(outDir)) outputs[relative(outDir, f)] = sha256File(f);
      steps[s.id] = { trigger: s.trigger, outputs };
    }
    writeFileSync(join(tmp, 'receipt.json'), `${JSON.stringify({ lab: plan.lab, steps }, null, 2)}\n`);
  });
  progress(STEP, `receipt written for ${upstream.length} step(s)`);
} catch (err) {
  failStep(STEP, err);
}
