import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OUTPUT_FILES, PROVIDES } from '../../contracts/provides.cjs';
import { Construct } from 'constructs';
import { PlanStep, ROOT_TOKEN } from '../../constructs/plan';
import { DEFAULT_SOURCE_DATE_EPOCH } from '../../constructs/rootfs';
import { BuildpackRelease } from '../../constructs/cf/buildpack-release';
import { LabError } from '../../lab/errors';
import { buildpackPackageFor, goTargetFor } from '../../lab/model';
import { BOSH_PACKAGE_NAME } from '../../lab/schema';
import type { LabContext } from '../context';

/** The lock entry that pins cloudfoundry/binary-buildpack: version (git tag) and the source tarball's sha256. */
export const BINARY_BUILDPACK_PIN = 'binary-buildpack';

/**
 * Per stack: the ARM binary buildpack zip (pipelines/build-buildpack.mjs). The source is
 * `<upstream dir>/binary-buildpack-<version>-src.tgz` when present (checked against the lock's sha256),
 * else the step clones the tag. A lock without the pin gets no buildpack step. Each zip also becomes a BOSH
 * release (constructs/cf/buildpack-release.ts) that Cloud Controller installs it from.
 */
export interface BuildpackPart {
  readonly step: PlanStep;
  /** The zip's path relative to the project root (pipelines/build-buildpack.mjs names it so). */
  readonly zip: string;
  /** The BOSH release whose package holds the zip (binary-buildpack-<stack>), uploaded with the control plane. */
  readonly release: BuildpackRelease;
}

export function addBuildpacks(ctx: LabContext): ReadonlyMap<string, BuildpackPart> {
  const pin = ctx.lock.upstream[BINARY_BUILDPACK_PIN];
  const steps = new Map<string, BuildpackPart>();
  if (!pin?.sha) return steps;
  const root = new Construct(ctx.scope, 'Buildpack');
  const tgz = join(ctx.upstreamDir, `binary-buildpack-${pin.version}-src.tgz`);
  const source: Record<string, string> = existsSync(tgz) ? { source: `${ROOT_TOKEN}/${relative(ctx.projectRoot, tgz).split('\\').join('/')}` } : {};
  const packages = new Map<string, number>();
  ctx.lab.stacks.forEach((stack, i) => {
    const name = buildpackPackageFor(stack);
    const prev = packages.get(name);
    if (!BOSH_PACKAGE_NAME.test(name)) throw new LabError(ctx.lab.file, `stacks[${i}].name`, `'${stack.name}', which gives the buildpack package name '${name}'`, 'a stack name that makes a valid BOSH package name (lower-case letters and digits)');
    if (prev !== undefined) throw new LabError(ctx.lab.file, `stacks[${i}]`, `buildpack package '${name}', which stacks[${prev}] (${ctx.lab.stacks[prev].name}) uses too`, 'one buildpack package per stack', undefined, 'give each stack its own buildpack_package');
    packages.set(name, i);
  });
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
      // where the pinned tarball lies is no input: version and sha256 pin it
      locationArgs: ['source'],
      provides: { [PROVIDES.buildpackZip(stack.name)]: OUTPUT_FILES.buildpackZip(stack.name, pin.version) },
      needs: ['go'],
    });
    const zip = `${step.outDir}/${OUTPUT_FILES.buildpackZip(stack.name, pin.version)}`;
    const release = new BuildpackRelease(root, `${stack.name}-release`, { stack: stack.name, name: buildpackPackageFor(stack), buildpackVersion: pin.version, zipStep: step, zipPath: zip });
    steps.set(stack.name, { step, zip, release });
  }
  return steps;
}
