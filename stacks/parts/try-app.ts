import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { PlanStep, ROOT_TOKEN } from '../../constructs/plan';
import { goTargetFor } from '../../lab/model';
import { InputError } from '../../lab/errors';
import { PROVIDES } from '../../contracts/provides.cjs';
import type { LabContext } from '../context';

/** The sample app try-app stages in the plan; its sources become artifacts, so editing them re-runs the gate. */
export const SAMPLE_APP_DIR = 'examples/hello-arm';

/**
 * Per stack: the try-app gate (pipelines/try-app-step.mjs) stages and runs the sample app on the stack's
 * rootfs tarball, lifecycle bundle and ARM buildpack, as a cell would; synth fails if one is not planned. It is an
 * artifact step, so the receipt, and through it every director step, waits for it to pass.
 */
export function addTryApp(ctx: LabContext): ReadonlyMap<string, PlanStep> {
  const steps = new Map<string, PlanStep>();
  const root = new Construct(ctx.scope, 'TryApp');
  const source = `try-app/${SAMPLE_APP_DIR.split('/').pop()}`;
  for (const file of readdirSync(join(ctx.projectRoot, SAMPLE_APP_DIR)).filter((f) => /\.(go|mod)$/.test(f)).sort()) {
    ctx.artifacts.add(`${source}/${file}`, readFileSync(join(ctx.projectRoot, SAMPLE_APP_DIR, file)));
  }
  for (const stack of ctx.lab.stacks) {
    // The gate's three inputs, found by the outputs their steps declare; a missing one is a wiring bug.
    const input = (key: string, what: string) => {
      const found = ctx.graph.provider(key);
      if (!found) throw InputError.at({ file: ctx.lab.file, path: `stacks[name=${stack.name}]`, found: `no plan step provides ${key}`, expected: `a step that builds the ${what} try-app stages with`, fix: 'add the part that builds it before the try-app gate (stacks/lab-stack.ts)' });
      return found;
    };
    const rootfs = input(PROVIDES.rootfsTarball(stack.name), 'rootfs tarball');
    const bundle = input(PROVIDES.lifecycleBundle(stack.arch), 'lifecycle bundle');
    const zip = input(PROVIDES.buildpackZip(stack.name), 'binary buildpack zip');
    const target = goTargetFor(stack.arch);
    steps.set(
      stack.name,
      new PlanStep(root, `${stack.name}-run`, {
        script: 'try-app-step',
        description: `try-app: stage and run ${SAMPLE_APP_DIR} on stack ${stack.name} with its lifecycle bundle and binary buildpack (the gate before any director step)`,
        args: {
          stack: stack.name,
          arch: stack.arch,
          'app-source': source,
          goarch: target.goarch,
          ...(target.goarm !== undefined ? { goarm: String(target.goarm) } : {}),
          rootfs: `${ROOT_TOKEN}/${rootfs.step.outDir}/${rootfs.path}`,
          bundle: `${ROOT_TOKEN}/${bundle.step.outDir}/${bundle.path}`,
          'buildpack-zip': `${ROOT_TOKEN}/${zip.step.outDir}/${zip.path}`,
          'start-command': './hello-arm',
        },
        inputs: [source],
        dependsOn: [rootfs.step, bundle.step, zip.step],
        needs: ['docker', 'go', 'qemu'],
      }),
    );
  }
  return steps;
}
