// @ts-check
// The plan steps that work on the rootfs image in the Docker Engine, as cases of the crash harness
// (pipelines/crash-check.mjs), in the manner of crash-plan-steps.mjs: the rootfs export, and try-app,
// which runs the sample app on the exported rootfs. The export's input is the image the plan's
// docker_image builds at deploy (cdk.tf.json), made here the way the plan makes it.
// Besides the output, a killed run may leave containers: the next run must not leave any of them.
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadRunContainers } from '../docker/docker-cli.mjs';
import { runCommandSync } from '../step/step.mjs';
import { caseDirs, identityHash, labPlan, linkLeftovers, planStep, planVariant, runOnce, tmpLeftovers } from './crash-plan-steps.mjs';

/**
 * @typedef {import('./crash-plan-steps.mjs').CrashCase} CrashCase
 * @typedef {import('./crash-plan-steps.mjs').CaseContext} CaseContext
 * @typedef {{ name: string, build: { context: string, platform: string, network_mode: string, build_args: Record<string, string>, labels: Record<string, string> } }} DockerImage
 */

/** The label the plan's docker_image puts on the image and the export checks (constructs/rootfs/rootfs-image.ts). */
const TRIGGER_LABEL = 'org.stack-elevator.trigger';

/** @param {string[]} argv @param {Record<string, string>} [env] */
function docker(argv, env = {}) {
  return runCommandSync('docker', argv, { env });
}

/** @param {string} image @returns {string | undefined} the image's trigger label, undefined when the engine lacks the image */
function triggerOf(image) {
  const r = docker(['image', 'inspect', '--format', `{{index .Config.Labels "${TRIGGER_LABEL}"}}`, image]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * The base image of `platform` (`tag`), made by the plan's bootstrap step when the engine lacks it.
 * @param {CaseContext} ctx @param {string} work @param {string} platform @param {string} tag
 */
function planBase(ctx, work, platform, tag) {
  if (triggerOf(tag) !== undefined) return;
  const boot = labPlan(work, ctx.root).steps.find((s) => s.script === 'build-rootfs' && s.args['base-only'] === 'true' && s.args.platform === platform);
  if (!boot) throw new Error(`crash-check: the lab's plan has no base step for ${platform}`);
  runOnce(planVariant(ctx, work, boot.id, join(work, 'build', boot.id, 'out'), { name: 'base' }), `the plan's ${boot.id}`);
}

/**
 * The image export step `exportId` reads, as the plan gives it: the base image (the plan's bootstrap step,
 * run only when the engine lacks it), then the plan's docker_image built with its context, build
 * arguments, network, platform and trigger label (what the Docker provider does at deploy; the classic
 * builder, as build-rootfs uses). Left as it is when the engine already has it with the plan's label.
 * @param {CaseContext} ctx @param {string} work @param {string} exportId @returns {string} the image
 */
function planImage(ctx, work, exportId) {
  const { stackDir } = labPlan(work, ctx.root);
  const image = planStep(ctx, work, exportId).args.image;
  const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const res = /** @type {DockerImage[]} */ (Object.values(tf.resource?.docker_image ?? {})).find((r) => r.name === image);
  if (!res) throw new Error(`crash-check: the lab's plan has no docker_image named ${image}`);
  const b = res.build;
  if (triggerOf(image) === b.labels[TRIGGER_LABEL]) return image;
  planBase(ctx, work, b.platform, b.build_args.BASE_IMAGE);
  const argv = ['build', '--platform', b.platform, '--network', b.network_mode, '--force-rm', '-t', image,
    ...Object.entries(b.build_args).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(b.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), join(stackDir, b.context)];
  const r = docker(argv, { DOCKER_BUILDKIT: '0' });
  if (r.code !== 0) throw new Error(`crash-check: docker build of the plan's ${image} failed:\n${r.stdout.slice(-2000)}${r.stderr}`);
  return image;
}

/**
 * Containers of a killed run that nobody removed, as leftovers. (The Docker Engine is shared: containers
 * of runs still going are not this case's to judge.)
 * @param {string} prefix @returns {string[]}
 */
function containersLeft(prefix) {
  const dead = deadRunContainers(prefix);
  if (dead === undefined) throw new Error(`crash-check: docker cannot list the ${prefix}* containers`);
  return dead.sort().map((n) => `container ${n}`);
}

/**
 * export-rootfs of the rpifs image as the plan runs it (`lab-rootfs-rpifs-export`: docker create, docker
 * export, normalize, gzip -n), the image built as the plan builds it. The variants export with the
 * plan's ownership (keep) and with --ownership=root, so the tarballs differ.
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function exportRootfsCase(work, ctx) {
  const id = 'lab-rootfs-rpifs-export';
  const { parent, target, tmp } = caseDirs(ctx, work, id);
  planImage(ctx, work, id);
  const env = { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent };
  return {
    name: 'export-rootfs', parent, target, timed: 5,
    variants: [
      planVariant(ctx, work, id, target, { name: 'ownership=keep', env }),
      planVariant(ctx, work, id, target, { name: 'ownership=root', override: { ownership: 'root' }, env }),
    ],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp), ...containersLeft('se-export-rootfs-')],
  };
}

/**
 * check-rootfs-packages of the rpifs list as the plan runs it (`lab-rootfs-rpifs-check`: apt-get install
 * --simulate in a container of the base image under qemu), the base made by the plan's bootstrap step.
 * The variants check the plan's list and its first half (a copy of the context), so the recorded count
 * differs. SIGKILL reaches only the docker CLI: the killed run's container runs on, and the next check
 * must remove it.
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function packageCheckCase(work, ctx) {
  const id = 'lab-rootfs-rpifs-check';
  const { parent, target, tmp } = caseDirs(ctx, work, id);
  const { stackDir } = labPlan(work, ctx.root);
  const { args } = planStep(ctx, work, id);
  const context = join(stackDir, 'artifacts', args.context);
  const base = JSON.parse(readFileSync(join(context, 'base.json'), 'utf8'));
  planBase(ctx, work, args.platform, base.kind === 'image' ? base.ref : base.tag);
  const half = join(work, 'check-context-half');
  cpSync(context, half, { recursive: true });
  const packages = readFileSync(join(context, 'packages.txt'), 'utf8').split('\n').filter(Boolean);
  writeFileSync(join(half, 'packages.txt'), `${packages.slice(0, Math.ceil(packages.length / 2)).join('\n')}\n`);
  const env = { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent };
  return {
    name: 'package-check', parent, target, timed: 5,
    variants: [
      planVariant(ctx, work, id, target, { name: 'the plan\'s list', env }),
      planVariant(ctx, work, id, target, { name: 'its first half', override: { context: half }, env }),
    ],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp), ...containersLeft('se-check-packages-')],
  };
}

/**
 * What try-app (run by the step) may leave in the project's `build/try-app/` after a kill: its `.work-*`
 * folders and the real folders and links of its own output swap that no result link points at.
 * @param {string} dir @returns {string[]}
 */
function tryAppLeftovers(dir) {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir);
  const kept = new Set(names.filter((n) => lstatSync(join(dir, n)).isSymbolicLink() && !n.startsWith('.')).map((n) => readlinkSync(join(dir, n))));
  return names.filter((n) => n.startsWith('.') && !kept.has(n)).map((n) => `build/try-app/${n}`);
}

/**
 * Makes step `id`'s output where the plan publishes it (`<root>/build/<id>/<trigger16>`), as a deploy
 * does, after the steps it runs after; an output already published there is kept. An export's image is
 * made as the plan makes it (planImage), instead of by the steps it runs after.
 * @param {CaseContext} ctx @param {string} work @param {string} id
 */
function publish(ctx, work, id) {
  const s = planStep(ctx, work, id);
  const out = join(ctx.root, s.out);
  if (existsSync(out)) return;
  if (s.script === 'export-rootfs') planImage(ctx, work, id);
  else for (const a of s.after ?? []) publish(ctx, work, a);
  runOnce(planVariant(ctx, work, id, out, { name: id }), `the plan's ${id} (an input of try-app)`);
}

/**
 * try-app-step as the plan runs it (`lab-tryapp-rpifs-run`: build the sample app, then try-app stages it
 * with the lifecycle and buildpack on the rootfs in containers under qemu, runs it, health-checks it and
 * opens an ssh session), its three inputs (rootfs, lifecycle bundle, buildpack) published by the plan's
 * steps first, where the plan puts them. The variants build the app for
 * GOARM=7 (the plan's) and GOARM=6, so the app binary in the output differs. A killed run's containers
 * and work folder are removed by the next try-app: none may be left after it.
 * @param {string} work @param {CaseContext} ctx @returns {CrashCase}
 */
export function tryAppCase(work, ctx) {
  const id = 'lab-tryapp-rpifs-run';
  const { parent, target, tmp } = caseDirs(ctx, work, id);
  for (const a of planStep(ctx, work, id).after ?? []) publish(ctx, work, a);
  const env = { TMPDIR: tmp, STACK_ELEVATOR_CRASH_DIR: parent };
  const variant = (/** @type {string} */ goarm) => planVariant(ctx, work, id, target, { name: `GOARM=${goarm}`, override: { goarm }, env });
  return {
    name: 'try-app', parent, target, timed: 5,
    variants: [variant('7'), variant('6')],
    hash: identityHash,
    leftovers: () => [...linkLeftovers(parent, target), ...tmpLeftovers(tmp), ...tryAppLeftovers(join(ctx.root, 'build', 'try-app')), ...containersLeft('se-try-app-')],
  };
}
