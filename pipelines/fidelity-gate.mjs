#!/usr/bin/env node
// @ts-check
// npm run fidelity [-- --arch=armhf] [--force]: synthesizes the lab's artifact plan and runs its fidelity
// gate steps alone (lab-fidelity-<release>-<arch>-test, pipelines/fidelity.mjs), each through its own
// plan command, so the out dir and the caches are the deploy's. Each prints its table
// (package × arch → passed / failed / skipped / time); an unchanged tree runs nothing. docs/fidelity.md.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, optional, runCommand, step, StepError } from './lib/step/step.mjs';
import { projectRoot } from './lib/step/tools.mjs';
import { upstreamDirOf } from '../contracts/upstream-dir.cjs';

await step({
  name: 'fidelity-gate',
  args: { arch: optional(), force: flag() },
  main: async ({ args, log }) => {
    const root = projectRoot();
    const work = mkdtempSync(join(tmpdir(), 'se-fidelity-'));
    try {
      const env = { ...process.env, CDKTF_OUTDIR: join(work, 'cdktf.out'), STACK_ELEVATOR_SCOPE: 'artifacts', STACK_ELEVATOR_UPSTREAM: upstreamDirOf(root, process.env) };
      const synth = await runCommand(process.execPath, ['dist/stacks/main.js'], { cwd: root, env });
      if (synth.code !== 0) throw new StepError(`synth failed:\n${synth.stderr || synth.stdout}`, { fix: 'npm run synth shows the same error' });
      const stackDir = join(work, 'cdktf.out', 'stacks', 'lab');
      /** @type {import('../contracts/plan-document.ts').PlanDocument} */
      const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8'));
      const gates = plan.steps.filter((s) => s.script === 'fidelity' && (!args.arch || s.id.endsWith(`-${args.arch}-test`)));
      if (gates.length === 0) throw new StepError(`the plan has no fidelity gate${args.arch ? ` for arch ${args.arch}` : ''}`, { fix: 'give lab.yaml a cell of that arch' });
      const failed = [];
      for (const s of gates) {
        log(`${s.id}`);
        const r = await runCommand('bash', ['-c', s.command], {
          cwd: stackDir,
          env: { ...env, STACK_ELEVATOR_STEP: s.id, ...(args.force ? { STACK_ELEVATOR_FORCE: '1' } : {}) },
          onLine: (l, from) => process[from].write(`${l}\n`),
        });
        if (r.code !== 0) failed.push(s.id);
      }
      if (failed.length > 0) throw new StepError(`fidelity gate failed: ${failed.join(', ')}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
});
