import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Construct } from 'constructs';
import { PlanStep, ROOT_TOKEN } from '../../constructs/plan';
import { DEFAULT_SOURCE_DATE_EPOCH } from '../../constructs/rootfs';
import { goTargetFor } from '../../lab/model';
import type { LabContext } from '../context';

/** The lock entry that pins cloudfoundry/binary-buildpack: version (git tag) and the source tarball's sha256. */
export const BINARY_BUILDPACK_PIN = 'binary-buildpack';

/**
 * Per stack: the ARM binary buildpack zip (pipelines/build-buildpack.mjs). The source is
 * `<upstream dir>/binary-buildpack-<version>-src.tgz` when present (checked against the lock's sha256),
 * else the step clones the tag. A lock without the pin gets no buildpack step.
 */
export interface BuildpackPart {
  readonly step: PlanStep;
  /** The zip's path relative to the project root (pipelines/build-buildpack.mjs names it so). */
  readonly zip: string;
}

export function addBuildpacks(ctx: LabContext): ReadonlyMap<string, BuildpackPart> {
  const pin = ctx.lock.upstream[BINARY_BUILDPACK_PIN];
  const steps = new Map<string, BuildpackPart>();
  if (!pin?.sha) return steps;
  const root = new Construct(ctx.scope, 'Buildpack');
  const tgz = join(ctx.upstreamDir, `binary-buildpack-${pin.version}-src.tgz`);
  const source: Record<string, string> = existsSync(tgz) ? { source: `${ROOT_TOKEN}/${relative(ctx.projectRoot, tgz).split('\\').join('/')}` } : {};
  for (const stack of ctx.lab.stacks) {
    const target = goTargetFor(stack.arch);
    const step = new PlanStep(root, `${stack.name}-build`, {
      script: 'build-buildpack',
      description: `build binary_buildpack ${pin.version} for stack ${stack.name} (${stack.arch})`,
      args: {
        stack: stack.name,
        goarch: target.goarch,
        ...(target.goarm !== undefined ? { goarm: String(target.goarm) } : {}),
        version: pin.version,
        sha256: pin.sha,
        'source-date-epoch': String(DEFAULT_SOURCE_DATE_EPOCH),
        ...source,
      },
      needs: ['go'],
    });
    steps.set(stack.name, { step, zip: `${step.outDir}/binary_buildpack-${stack.name}-${pin.version}.zip` });
  }
  return steps;
}
