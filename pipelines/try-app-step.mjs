#!/usr/bin/env node
// Plan step: the try-app gate. Builds the sample app (from the artifacts) for the stack's arch and runs
// pipelines/try-app.mjs on the rootfs tarball, lifecycle bundle and buildpack zip its upstream steps
// built. A failure fails the step, and the receipt and every director step after it never run.
//
//   node pipelines/try-app-step.mjs --out=<dir> --stack=rpifs --arch=armhf --goarch=arm [--goarm=7]
//        --app-source=try-app/hello-arm --rootfs=<tgz> --bundle=<tgz> --buildpack-zip=<zip> --start-command=<cmd>
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { go, goEnv } from './lib/go-cmd.mjs';
import { markVolatile } from './lib/receipt.mjs';
import { atomicOutput, logger, parseArgs, required, runStep, StepError, stepPaths } from './lib/step.mjs';

await runStep('try-app-step', async () => {
  const args = parseArgs();
  const paths = stepPaths(args);
  const stack = required(args, 'stack');
  const log = logger(`try-app ${stack}`);
  await atomicOutput(paths.out, async (out) => {
    const app = join(out, 'app');
    mkdirSync(app);
    const env = goEnv({ GOOS: 'linux', GOARCH: required(args, 'goarch'), ...(args.goarm ? { GOARM: args.goarm } : {}), CGO_ENABLED: '0', GOPROXY: 'off', GOFLAGS: '-mod=mod -buildvcs=false' });
    log(`building the sample app for ${env.GOARCH}${args.goarm ? ` GOARM=${args.goarm}` : ''}`);
    try {
      go(['build', '-trimpath', '-o', join(app, 'hello-arm'), '.'], { cwd: paths.fromArtifacts(required(args, 'app-source')), env });
    } catch (err) {
      throw new StepError(err.message);
    }
    const argv = [
      join(paths.root, 'pipelines', 'try-app.mjs'), app,
      `--stack=${stack}`, `--arch=${required(args, 'arch')}`,
      `--rootfs=${resolve(required(args, 'rootfs'))}`, `--bundle=${resolve(required(args, 'bundle'))}`, `--buildpack-zip=${resolve(required(args, 'buildpack-zip'))}`,
      `--start-command=${args['start-command'] ?? ''}`,
    ];
    const lines = [];
    const code = await new Promise((res, rej) => {
      const child = spawn(process.execPath, argv, { cwd: paths.root, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (process.stdout.write(d), lines.push(String(d))));
      child.stderr.on('data', (d) => (process.stderr.write(d), lines.push(String(d))));
      child.on('error', rej);
      child.on('close', res);
    });
    if (code !== 0) throw new StepError(`the sample app did not pass try-app on stack ${stack} (see above); nothing reaches the director`);
    writeFileSync(join(out, 'try-app.log'), lines.join(''));
    // Phase times and container names differ on every run: a record, not part of what a rebuild reproduces.
    markVolatile(out, ['try-app.log']);
  });
});
