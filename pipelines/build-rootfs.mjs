#!/usr/bin/env node
// Plan step: build a stack's rootfs image for its ARM platform with the Docker Engine (classic builder,
// RUN steps under qemu binfmt). Streams the build; on failure names the Dockerfile step and the package
// apt or dpkg choked on, and leaves no tagged image and no output directory behind.
//
//   node pipelines/build-rootfs.mjs --root=. --artifacts=<dir> --out=<dir> --context=rootfs/rpifs/image
//        --tag=stack-elevator/rpifs:<hash> --platform=<docker platform of the arch> --source-date-epoch=<n> [--network=host] [--stack=rpifs]
//        [--no-cache]   (rebuild every layer; the base tarball cache is still used)
//        [--base-only]  (only the base image: a docker_image of the plan builds the rest; no --tag then)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { ensureBaseImage } from './lib/rootfs/rootfs-base.mjs';
import { diagnoseBuild } from './lib/rootfs/rootfs-build-errors.mjs';
import { markVolatile } from './lib/step/receipt.mjs';
import { atomicOutput, flag, optional, PLAN_ARGS, required, runCommand, step, StepError } from './lib/step/step.mjs';

$.verbose = false;
$.quiet = true;

await step({
  name: 'build-rootfs',
  args: {
    ...PLAN_ARGS,
    out: required(),
    context: required(),
    platform: required(),
    'source-date-epoch': required(),
    tag: optional(),
    network: optional(),
    stack: optional(),
    'no-cache': flag(),
    'base-only': flag(),
  },
  logLabel: (args) => `[build-rootfs ${args.stack ?? args.tag ?? args.platform}]`,
  main: async ({ args, paths, log }) => {
    const out = paths.out ?? '';
    const context = paths.fromArtifacts(args.context);
    const platform = args.platform;
    const epoch = Number(args['source-date-epoch']);
    const network = args.network ?? 'host';
    const recipe = JSON.parse(readFileSync(join(context, 'base.json'), 'utf8'));
    if (recipe.platform !== platform) throw new StepError(`base.json is for ${recipe.platform} but --platform=${platform}`);

    const started = Date.now();
    const base = await ensureBaseImage({ recipe, epoch, root: paths.root, log });
    if (args['base-only']) {
      // The docker_image of the plan builds the rootfs FROM this base; this step only makes sure it exists.
      await atomicOutput(out, async (tmp) => {
        writeFileSync(join(tmp, 'base.json'), `${JSON.stringify({ tag: base.tag, platform, sha256: base.sha256 ?? null, sourceDateEpoch: epoch }, null, 2)}\n`);
      });
      log(`base image ${base.tag} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    if (!args.tag) throw new StepError('missing --tag=...');
    const tag = args.tag;

    log(`docker build ${tag} for ${platform}`);
    const buildStarted = Date.now();
    const argv = [
      'build',
      '--platform', platform,
      '--network', network,
      '--force-rm',
      ...(args['no-cache'] ? ['--no-cache'] : []),
      '--build-arg', `BASE_IMAGE=${base.tag}`,
      '--build-arg', `SOURCE_DATE_EPOCH=${epoch}`,
      '-t', tag,
      context,
    ];
    const build = await runCommand('docker', argv, { env: { DOCKER_BUILDKIT: '0' }, onLine: (l) => log(l) });
    if (build.code !== 0) {
      // The classic builder only tags on success; make sure no stale image answers to this tag either.
      await $`docker image rm ${tag}`.nothrow();
      throw new StepError(diagnoseBuild(build.lines).message);
    }
    const id = (await $`docker image inspect --format {{.Id}} ${tag}`).stdout.trim();
    const actual = (await $`docker image inspect --format {{.Os}}/{{.Architecture}}/{{.Variant}} ${tag}`).stdout.trim().replace(/\/$/, '');
    if (actual !== platform) {
      await $`docker image rm ${tag}`.nothrow();
      throw new StepError(`built image is ${actual}, expected ${platform}`);
    }
    const buildSeconds = (Date.now() - buildStarted) / 1000;
    const cachedSteps = build.lines.filter((l) => l.includes('Using cache')).length;
    await atomicOutput(out, async (tmp) => {
      const record = { tag, id, platform, base: { tag: base.tag, sha256: base.sha256 ?? null }, sourceDateEpoch: epoch };
      writeFileSync(join(tmp, 'image.json'), `${JSON.stringify(record, null, 2)}\n`);
      // Docker image IDs carry a creation time: a record, not part of what a rebuild must reproduce.
      markVolatile(tmp, ['image.json']);
    });
    log(`built ${tag} (${id.slice(7, 19)}) in ${buildSeconds.toFixed(0)} s, ${cachedSteps} step(s) from cache; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
});
