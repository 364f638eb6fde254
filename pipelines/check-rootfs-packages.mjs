#!/usr/bin/env node
// @ts-check
// Plan step before the rootfs docker_image: resolves the stack's package list against the base image's
// suite with `apt-get install --simulate` (in an ARM container from the base, under qemu) and names
// every package apt cannot install. The provider's image build cannot do that: its BuildKit error says
// only which RUN failed, not which package, so a bad list would fail the deploy without naming it.
//
//   node pipelines/check-rootfs-packages.mjs --root=. --artifacts=<dir> --out=<dir> --context=rootfs/rpifs/image
//        --platform=<docker platform of the arch> [--network=host] [--stack=rpifs]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDeadRunsRemoved } from './lib/docker/docker-cli.mjs';
import { diagnoseBuild } from './lib/rootfs/rootfs-build-errors.mjs';
import { atomicOutput, optional, PLAN_ARGS, required, runCommand, step, StepError } from './lib/step/step.mjs';

/**
 * The check's container is named `se-check-packages-<pid>-<time>`: SIGKILL reaches only the docker CLI, so
 * a killed check's container runs on (apt under qemu) with nobody to remove it; the next check does.
 */
const CONTAINER_PREFIX = 'se-check-packages-';

await step({
  name: 'check-rootfs-packages',
  args: { ...PLAN_ARGS, out: required(), context: required(), platform: required(), network: optional(), stack: optional() },
  logLabel: (args) => `[check-rootfs-packages ${args.stack ?? args.platform}]`,
  main: async ({ args, paths, log }) => {
    const context = paths.fromArtifacts(args.context);
    const platform = args.platform;
    const recipe = JSON.parse(readFileSync(join(context, 'base.json'), 'utf8'));
    const base = recipe.kind === 'image' ? recipe.ref : recipe.tag;
    const packages = readFileSync(join(context, 'packages.txt'), 'utf8').split('\n').filter(Boolean);

    log(`apt-get install --simulate of ${packages.length} package(s) in ${base} (${platform})`);
    const script = 'apt-get -o APT::Color=0 -qq update && apt-get -o APT::Color=0 install --simulate --no-install-recommends $(cat /tmp/packages.txt)';
    const run = await withDeadRunsRemoved(CONTAINER_PREFIX, 'package checks', log, (name) => runCommand('docker', [
      'run', '--rm', '--name', name, '--platform', platform, '--network', args.network ?? 'host',
      '-v', `${join(context, 'packages.txt')}:/tmp/packages.txt:ro`,
      base, 'sh', '-c', script,
    ]));
    if (run.code !== 0) {
      const found = diagnoseBuild(run.lines);
      const what = found.packages.length > 0 ? found.packages.map((p) => `package ${p.name} ${p.why}`).join('; ') : run.lines.filter((l) => /^E: /.test(l)).join(' ') || `exit ${run.code}`;
      throw new StepError(`${args.context}/packages.txt: ${what}`);
    }
    const installs = run.lines.filter((l) => l.startsWith('Inst ')).length;
    await atomicOutput(paths.out, async (tmp) => {
      writeFileSync(join(tmp, 'packages-check.json'), `${JSON.stringify({ base, platform, packages: packages.length }, null, 2)}\n`);
    });
    log(`all ${packages.length} package(s) installable (${installs} with dependencies)`);
  },
});
