// The four things a Diego cell does with a buildpack app, on the Docker Engine: stage with the lifecycle
// builder, run the droplet under the launcher, health-check it, and serve ssh through diego-sshd.
// Paths, users, flags and environment follow Cloud Controller's staging_action_builder.rb and
// desired_lrp_builder.rb and the lifecycle's builder_config.go (DESIGN.md section 4).
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { docker, lastLines } from '../docker/docker-cli.mjs';
import { copyTarball, copyTree, hostPort, isRunning, logs, startAttached } from './try-app-docker.mjs';
import { runCommand, runCommandSync, StepError } from '../step/step.mjs';

/** @typedef {import('./try-app-inputs.mjs').Stack} Stack */
/** @typedef {import('./try-app-docker.mjs').Containers} Containers */

/** builder exit codes (buildpackapplifecycle/buildpackrunner) and the phase each names. */
/** @type {Record<number, string>} */
export const BUILDER_EXIT_PHASES = { 222: 'detect', 223: 'compile', 224: 'release', 225: 'supply', 226: 'finalize' };
export const APP_PORT = 8080;
export const SSH_PORT = 2222;
const MEMORY_LIMIT = '256m';
/** vcap: uid/gid 2000 in every CF stack (useradd -u 2000 -mU vcap). */
const VCAP = '2000:2000';

/**
 * Where the builder finds a buildpack: /tmp/buildpacks/<md5 hex of its key>.
 * @param {string} key
 */
export function buildpackDirName(key) {
  return createHash('md5').update(key).digest('hex');
}

/**
 * @param {string} name
 * @param {string} stack
 */
function vcapApplication(name, stack) {
  return JSON.stringify({ application_name: name, name, space_name: 'try-app', organization_name: 'stack-elevator', limits: { mem: 256, disk: 1024 }, application_uris: [], uris: [], stack });
}

/**
 * @param {string} cmd
 * @param {string[]} argv
 */
function sh(cmd, argv) {
  const r = runCommandSync(cmd, argv);
  if (r.code !== 0) throw new StepError(`${cmd} ${argv.join(' ')} failed: ${lastLines(r.stderr || r.stdout, 2)}`);
  return r.stdout;
}

/**
 * Phase 1: a staging container of the stack image with lifecycle, app and buildpack laid out as the cell does.
 * @param {{ containers: Containers, image: string, stack: Stack, app: string, bundle: string, buildpackZip: string, buildpackKey: string, appName: string, work: string, outDir: string, log: (msg: string) => void }} o
 */
export async function stage({ containers, image, stack, app, bundle, buildpackZip, buildpackKey, appName, work, outDir, log }) {
  const layout = join(work, 'staging');
  const bpDir = join(layout, 'tmp', 'buildpacks', buildpackDirName(buildpackKey));
  mkdirSync(join(layout, 'tmp', 'lifecycle'), { recursive: true });
  mkdirSync(bpDir, { recursive: true });
  sh('tar', ['-xzf', bundle, '-C', join(layout, 'tmp', 'lifecycle'), '--no-same-owner']);
  sh('unzip', ['-q', buildpackZip, '-d', bpDir]);
  cpSync(app, join(layout, 'tmp', 'app'), { recursive: true });

  const flags = [
    `-buildpackOrder=${buildpackKey}`,
    '-skipDetect=true',
    '-skipCertVerify=false',
    '-buildDir=/tmp/app',
    '-outputDroplet=/tmp/droplet',
    '-outputMetadata=/tmp/result.json',
    '-outputBuildArtifactsCache=/tmp/output-cache',
    '-buildpacksDir=/tmp/buildpacks',
    '-buildArtifactsCacheDir=/tmp/cache',
  ];
  const env = { CF_STACK: stack.name, LANG: 'en_US.UTF-8', VCAP_APPLICATION: vcapApplication(appName, stack.name), VCAP_SERVICES: '{}', MEMORY_LIMIT };
  const name = containers.create('stage', ['--platform', stack.platform, '--network', 'bridge', '--user', VCAP, ...envArgs(env), image, '/tmp/lifecycle/builder', ...flags]);
  copyTree(name, { cwd: layout, paths: ['tmp/lifecycle'], owner: 0 });
  copyTree(name, { cwd: layout, paths: ['tmp/app', 'tmp/buildpacks'], owner: 2000 });
  const res = await startAttached(name, (l) => log(`  builder: ${l}`));
  if (res.code !== 0) {
    const phase = BUILDER_EXIT_PHASES[res.code];
    const what = phase ? `buildpack ${phase} failed (builder exit ${res.code})` : `builder exited ${res.code}`;
    throw new StepError(`staging failed: ${what}; last buildpack output: ${lastLines(res.lines.join('\n'), 3) || '(none)'}`);
  }
  docker(['cp', `${name}:/tmp/droplet`, join(outDir, 'droplet.tgz')]);
  docker(['cp', `${name}:/tmp/result.json`, join(outDir, 'result.json')]);
  return JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8'));
}

/** @param {Record<string, string>} env */
function envArgs(env) {
  return Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}

/**
 * Phase 2: a fresh container, droplet in /home/vcap, `launcher app "<cmd>" ""` as vcap with the running env.
 * @param {{ containers: Containers, image: string, stack: Stack, droplet: string, work: string, startCommand: string, appName: string }} o
 */
export function run({ containers, image, stack, droplet, work, startCommand, appName }) {
  const env = {
    PORT: String(APP_PORT),
    VCAP_APP_PORT: String(APP_PORT),
    VCAP_APP_HOST: '0.0.0.0',
    VCAP_APPLICATION: vcapApplication(appName, stack.name),
    INSTANCE_INDEX: '0',
    INSTANCE_GUID: randomUUID(),
    LANG: 'en_US.UTF-8',
  };
  const name = containers.create('run', [
    '--platform', stack.platform,
    '--network', 'bridge',
    '-p', `127.0.0.1::${APP_PORT}`,
    '-p', `127.0.0.1::${SSH_PORT}`,
    '--user', VCAP,
    '--workdir', '/home/vcap',
    ...envArgs(env),
    image,
    '/tmp/lifecycle/launcher', 'app', startCommand, '',
  ]);
  copyTree(name, { cwd: join(work, 'staging'), paths: ['tmp/lifecycle'], owner: 0 });
  copyTarball(name, droplet, '/home/vcap');
  docker(['start', name]);
  return name;
}

/**
 * Phase 3: the lifecycle's healthcheck inside the container until it passes, the app exits, or time runs out.
 * @param {{ container: string, timeoutS: number, log: (msg: string) => void }} o
 */
export async function healthy({ container, timeoutS, log }) {
  const deadline = Date.now() + timeoutS * 1000;
  let lastError = '(no attempt)';
  let attempts = 0;
  while (Date.now() < deadline) {
    if (!isRunning(container)) {
      throw new StepError(`the app exited before it became healthy; app log: ${lastLines(logs(container), 3) || '(empty)'}`);
    }
    attempts++;
    const r = docker(['exec', '--user', VCAP, container, '/tmp/lifecycle/healthcheck', `-port=${APP_PORT}`, '-uri=/', '-timeout=2s'], { allowFail: true });
    if (r.code === 0) return attempts;
    lastError = lastLines(`${r.stdout}\n${r.stderr}`, 1) || `exit ${r.code}`;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new StepError(`the app never became healthy in ${timeoutS} s (${attempts} checks); healthcheck: ${lastError}; app log: ${lastLines(logs(container), 3) || '(empty)'}`);
}

/**
 * @param {number} port
 * @returns {Promise<{ status: number | undefined, body: string }>}
 */
export function httpGet(port, path = '/') {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 10_000 }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (d) => (body += d));
      r.on('end', () => res({ status: r.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('GET timed out')));
    req.on('error', rej);
    req.end();
  });
}

/**
 * Phase 4: diego-sshd in the run container with fresh keys; one ssh session runs `uname -m`.
 * @param {{ container: string, work: string, timeoutS?: number }} o
 */
export async function sshUname({ container, work, timeoutS = 60 }) {
  const keys = join(work, 'ssh');
  mkdirSync(keys, { mode: 0o700 });
  sh('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '', '-C', 'try-app host', '-f', join(keys, 'host')]);
  sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'try-app user', '-f', join(keys, 'user')]);
  const hostKey = readFileSync(join(keys, 'host'), 'utf8');
  const authorizedKey = readFileSync(join(keys, 'user.pub'), 'utf8').trim();
  docker(['exec', '-d', '--user', VCAP, container, '/tmp/lifecycle/diego-sshd', `-address=0.0.0.0:${SSH_PORT}`, `-hostKey=${hostKey}`, `-authorizedKey=${authorizedKey}`, '-inheritDaemonEnv', '-logLevel=fatal']);
  const port = hostPort(container, SSH_PORT);
  // Pin the fresh host key: the session must reach this sshd, not whatever answers on the port.
  const hostPub = readFileSync(join(keys, 'host.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = join(keys, 'known_hosts');
  sh('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', `[127.0.0.1]:${port} ${hostPub}`, knownHosts]);
  const argv = ['-F', '/dev/null', '-i', join(keys, 'user'), '-p', String(port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'ConnectTimeout=10', 'vcap@127.0.0.1', 'uname -m'];
  const deadline = Date.now() + timeoutS * 1000;
  let last = '';
  while (Date.now() < deadline) {
    const r = await runCommand('ssh', argv, { timeoutMs: 30_000 });
    if (r.code === 0) return r.stdout.trim();
    last = lastLines(r.stderr || `exit ${r.code}`, 1);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new StepError(`ssh through diego-sshd failed for ${timeoutS} s: ${last}`);
}
