#!/usr/bin/env node
// @ts-check
// npm run try-app -- <app-dir> [--stack=<name>] [--buildpack=binary_buildpack] [--start-command=<cmd>] [--keep]
//                    [--rootfs=<tgz>] [--bundle=<tgz>] [--buildpack-zip=<zip>] [--plan=<plan.json>]
//                    [--health-timeout=<s>] [--lab=<lab.yaml>]
// A local Diego cell on the Docker Engine under qemu: stages the app with the lab's lifecycle builder and
// ARM buildpack on the lab's rootfs, runs the droplet under the launcher, health-checks it and opens an
// ssh session through diego-sshd. Exits 0 only when all four phases pass; removes its containers on
// every exit path unless --keep, and on start those of killed runs (named by their pid, which no longer
// runs). The droplet and result.json are kept under build/try-app/<hash>/.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { sha256File } from './lib/step/hash.mjs';
import { healthy, httpGet, run, sshUname, stage, APP_PORT } from './lib/try-app/try-app-cell.mjs';
import { Containers, hostPort, removeDeadTryAppContainers, runPrefix, stackImage } from './lib/try-app/try-app-docker.mjs';
import { appDir, cellArtifacts, foreignBinary, labStack, stackOf } from './lib/try-app/try-app-inputs.mjs';
import { atomicOutput, flag, optional, step, StepError } from './lib/step/step.mjs';
import { isRunning } from '../contracts/atomic-dir.cjs';
import { projectRoot } from './lib/step/tools.mjs';

const BUILDPACKS = ['binary_buildpack'];

/**
 * sha256 over the app's relative paths, modes and bytes: the droplet folder is named by what went in.
 * @param {string} dir @param {import('node:crypto').Hash} [h] @param {string} [base]
 * @returns {import('node:crypto').Hash}
 */
function treeHash(dir, h = createHash('sha256'), base = dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    h.update(`${relative(base, p)}\0${st.mode & 0o777}\0`);
    if (st.isDirectory()) treeHash(p, h, base);
    else if (st.isSymbolicLink()) h.update(`-> ${readlinkSync(p)}`);
    else h.update(readFileSync(p));
  }
  return h;
}

/**
 * The droplet folder's name: a hash of the cell's inputs (rootfs, bundle, buildpack), the stack, the
 * buildpack, the start command and the app tree.
 * @param {{ inputs: { rootfs: string, bundle: string, buildpack: string }, stack: { name: string }, buildpackKey: string, startCommand: string, app: string }} o
 */
async function dropletKey({ inputs, stack, buildpackKey, startCommand, app }) {
  const key = createHash('sha256');
  for (const f of [inputs.rootfs, inputs.bundle, inputs.buildpack]) key.update(`${await sha256File(f)}\n`);
  key.update(`${stack.name}\n${buildpackKey}\n${startCommand}\n${treeHash(app).digest('hex')}\n`);
  return key.digest('hex').slice(0, 16);
}

/**
 * A killed try-app leaves its `.work-<pid>-*` folder; the next run removes it.
 * @param {string} dir
 */
function removeDeadWorkDirs(dir) {
  for (const name of readdirSync(dir)) {
    const pid = Number(/^\.work-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

const ARGS = {
  stack: optional(),
  arch: optional(),
  buildpack: optional(),
  'start-command': optional(),
  rootfs: optional(),
  bundle: optional(),
  'buildpack-zip': optional(),
  plan: optional(),
  lab: optional(),
  'health-timeout': optional(),
  keep: flag(),
};

/**
 * The app, stack, buildpack and cell inputs of this run, checked before anything starts.
 * @param {{ args: import('./lib/step/step.mjs').StepContext<typeof ARGS>['args'], positionals: string[], root: string, say: (msg: string) => void }} o
 */
function whatToTry({ args, positionals, root, say }) {
  const app = appDir(positionals[0]);
  // A plan step names the stack and its arch; a user names at most the stack, the lab says the rest.
  const stack = args.arch ? stackOf(args.stack, args.arch) : labStack(resolve(args.lab ?? process.env.STACK_ELEVATOR_LAB ?? join(root, 'lab.yaml')), args.stack);
  const buildpackKey = args.buildpack ?? 'binary_buildpack';
  if (!BUILDPACKS.includes(buildpackKey)) throw new StepError(`unknown buildpack ${buildpackKey}: the lab builds ${BUILDPACKS.join(', ')} for ARM stacks (fix: --buildpack=binary_buildpack)`);
  const foreign = foreignBinary(app, stack);
  if (foreign) throw new StepError(foreign);
  const inputs = cellArtifacts({ root, stack, args: { ...args, buildpack: buildpackKey } });
  const startCommand = args['start-command'] ?? '';
  const timeoutS = Number(args['health-timeout'] ?? 120);
  const appName = /** @type {string} */ (app.split('/').pop());
  say(`app ${relative(process.cwd(), app) || '.'} on stack ${stack.name} (${stack.platform}); rootfs ${relative(root, inputs.rootfs)}, bundle ${relative(root, inputs.bundle)}, buildpack ${relative(root, inputs.buildpack)}`);
  return { app, stack, buildpackKey, inputs, startCommand, timeoutS, appName };
}

/** @param {import('./lib/step/step.mjs').StepContext<typeof ARGS>} ctx */
async function main({ args, positionals, log: say }) {
  const root = projectRoot();
  const started = Date.now();
  /**
   * @template T
   * @param {number} n @param {string} title @param {() => T | Promise<T>} fn
   */
  const phase = (n, title, fn) => say.phase(`phase ${n}/4 ${title}`, fn);

  // Containers of killed runs go first, whatever this run then does.
  const reaped = removeDeadTryAppContainers();
  if (reaped.length > 0) say(`removed ${reaped.length} container(s) of try-app runs that no longer run: ${reaped.join(', ')}`);
  const { app, stack, buildpackKey, inputs, startCommand, timeoutS, appName } = whatToTry({ args, positionals, root, say });

  const outDir = join(root, 'build', 'try-app', await dropletKey({ inputs, stack, buildpackKey, startCommand, app }));
  mkdirSync(join(root, 'build', 'try-app'), { recursive: true });
  removeDeadWorkDirs(join(root, 'build', 'try-app'));
  const work = mkdtempSync(join(root, 'build', 'try-app', `.work-${process.pid}-`));
  const containers = new Containers(runPrefix());
  const cleanup = () => {
    if (args.keep) say(`kept containers: ${containers.names.join(', ')}`);
    else containers.removeAll();
    // Again: a killed run's `docker create` may reach the engine only after this run's first look.
    removeDeadTryAppContainers();
    rmSync(work, { recursive: true, force: true });
  };
  const onSignal = (/** @type {string} */ sig) => {
    cleanup();
    process.stderr.write(`try-app: interrupted by ${sig}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  try {
    const image = await stackImage({ rootfs: inputs.rootfs, stack, workDir: work, log: say });
    const result = await atomicOutput(outDir, (staged) => phase(1, `stage with ${buildpackKey}`, () => stage({ containers, image, stack, app, bundle: inputs.bundle, buildpackZip: inputs.buildpack, buildpackKey, appName, work, outDir: staged, log: say })));
    say(`droplet and result.json in ${relative(root, outDir)} (process types: ${Object.keys(result.process_types ?? {}).join(', ') || 'none'})`);

    const container = await phase(2, `run: launcher app ${JSON.stringify(startCommand)} ""`, () => run({ containers, image, stack, droplet: join(outDir, 'droplet.tgz'), work, startCommand, appName }));
    await phase(3, `healthcheck -port=${APP_PORT} -uri=/`, async () => {
      const attempts = await healthy({ container, timeoutS, log: say });
      const res = await httpGet(hostPort(container, APP_PORT));
      say(`healthy after ${attempts} check(s); GET / -> ${res.status}: ${res.body.trim()}`);
      if (res.status !== 200) throw new StepError(`GET / answered ${res.status}: ${res.body.trim().slice(0, 200)}`);
    });
    await phase(4, 'ssh through diego-sshd', async () => {
      say(`ssh vcap@app 'uname -m' -> ${await sshUname({ container, work })}`);
    });
    say(`all four phases passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    cleanup();
  }
}

await step({ name: 'try-app', args: ARGS, positionals: 1, failLabel: () => 'try-app:', main });
