import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { PlanStep, ROOT_TOKEN } from '../../constructs/plan';
import { goTargetFor } from '../../lab/model';
import type { LabContext } from '../context';
import type { BuildpackPart } from './buildpack';
import type { LifecyclePart } from './lifecycle';

/** The sample app try-app stages in the plan; its sources become artifacts, so editing them re-runs the gate. */
export const SAMPLE_APP_DIR = 'examples/hello-arm';

/**
 * Per stack with a rootfs export, a lifecycle bundle and an ARM buildpack: the try-app gate
 * (pipelines/try-app-step.mjs) stages and runs the sample app on the three, as a cell would. It is an
 * artifact step, so the receipt, and through it every director step, waits for it to pass.
 */
export function addTryApp(ctx: LabContext, lifecycle: ReadonlyMap<string, LifecyclePart>, buildpacks: ReadonlyMap<string, BuildpackPart>): ReadonlyMap<string, PlanStep> {
  const steps = new Map<string, PlanStep>();
  const root = new Construct(ctx.scope, 'TryApp');
  const source = `try-app/${SAMPLE_APP_DIR.split('/').pop()}`;
  for (const file of readdirSync(join(ctx.projectRoot, SAMPLE_APP_DIR)).filter((f) => /\.(go|mod)$/.test(f)).sort()) {
    ctx.artifacts.add(`${source}/${file}`, readFileSync(join(ctx.projectRoot, SAMPLE_APP_DIR, file)));
  }
  for (const stack of ctx.lab.stacks) {
    const exportStep = ctx.graph.all().find((s) => s.props.script === 'export-rootfs' && s.props.args?.stack === stack.name);
    const bundle = lifecycle.get(stack.arch);
    const buildpack = buildpacks.get(stack.name);
    if (!exportStep || !bundle || !buildpack) continue;
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
          rootfs: `${ROOT_TOKEN}/${exportStep.outDir}/rootfs.tgz`,
          bundle: `${ROOT_TOKEN}/${bundle.compileStep.outDir}/packages/${bundle.bundlePackage}/buildpack_app_lifecycle.tgz`,
          'buildpack-zip': `${ROOT_TOKEN}/${buildpack.zip}`,
          'start-command': './hello-arm',
        },
        inputs: [source],
        dependsOn: [exportStep, bundle.compileStep, buildpack.step],
        needs: ['docker', 'go', 'qemu'],
      }),
    );
  }
  return steps;
}
