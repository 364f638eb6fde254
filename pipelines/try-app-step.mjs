#!/usr/bin/env node
// Plan step: the try-app gate. Builds the sample app (from the artifacts) for the stack's arch and runs
// pipelines/try-app.mjs on the rootfs tarball, lifecycle bundle and buildpack zip its upstream steps
// built. A failure fails the step, and the receipt and every director step after it never run.
//
//   node pipelines/try-app-step.mjs --out=<dir> --stack=rpifs --arch=armhf --goarch=arm [--goarm=7]
//        --app-source=try-app/hello-arm --rootfs=<tgz> --bundle=<tgz> --buildpack-zip=<zip> --start-command=<cmd>
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { go, goEnv } from './lib/go/go-cmd.mjs';
import { markVolatile } from './lib/step/receipt.mjs';
import { atomicOutput, optional, PLAN_ARGS, required, runCommand, step, StepError } from './lib/step/step.mjs';

await step({
  name: 'try-app-step',
  args: {
    ...PLAN_ARGS,
    out: required(),
    stack: required(),
    arch: required(),
    goarch: required(),
    goarm: optional(),
    'app-source': required(),
    rootfs: required(),
    bundle: required(),
    'buildpack-zip': required(),
    'start-command': optional(),
  },
  logLabel: (args) => `[try-app ${args.stack}]`,
  main: async ({ args, paths, log }) => {
    const stack = args.stack;
    await atomicOutput(paths.out, async (out) => {
      const app = join(out, 'app');
      mkdirSync(app);
      const env = goEnv({ GOOS: 'linux', GOARCH: args.goarch, ...(args.goarm ? { GOARM: args.goarm } : {}), CGO_ENABLED: '0', GOPROXY: 'off', GOFLAGS: '-mod=mod -buildvcs=false' });
      log(`building the sample app for ${env.GOARCH}${args.goarm ? ` GOARM=${args.goarm}` : ''}`);
      // go's own scratch ($WORK) inside the staging folder: a killed build's goes with it on the next run.
      const goTmp = join(out, '.go-tmp');
      mkdirSync(goTmp);
      try {
        go(['build', '-trimpath', '-o', join(app, 'hello-arm'), '.'], { cwd: paths.fromArtifacts(args['app-source']), env: { ...env, GOTMPDIR: goTmp } });
      } catch (err) {
        throw new StepError(err.message);
      }
      rmSync(goTmp, { recursive: true, force: true });
      const argv = [
        join(paths.root, 'pipelines', 'try-app.mjs'), app,
        `--stack=${stack}`, `--arch=${args.arch}`,
        `--rootfs=${resolve(args.rootfs)}`, `--bundle=${resolve(args.bundle)}`, `--buildpack-zip=${resolve(args['buildpack-zip'])}`,
        `--start-command=${args['start-command'] ?? ''}`,
      ];
      const tryApp = await runCommand(process.execPath, argv, { cwd: paths.root, onLine: (l, from) => process[from].write(`${l}\n`) });
      if (tryApp.code !== 0) throw new StepError(`the sample app did not pass try-app on stack ${stack} (see above); nothing reaches the director`);
      writeFileSync(join(out, 'try-app.log'), `${tryApp.lines.join('\n')}\n`);
      // Phase times and container names differ on every run: a record, not part of what a rebuild reproduces.
      markVolatile(out, ['try-app.log']);
    });
  },
});
