// What try-app runs with: the app directory, the lab's stack (name, arch), and the three artifacts a
// cell would get (the stack's rootfs tarball, the lifecycle bundle, the buildpack zip), taken from the
// synthesized plan's build outputs unless --rootfs/--bundle/--buildpack-zip name them.
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { load } from 'js-yaml';
import { CELL_ARCHES, ELF_MACHINES, goEnv } from '../../../contracts/arches.cjs';
import { PROVIDES } from '../../../contracts/provides.cjs';
import { readElf } from '../go/go-elf.mjs';
import { StepError } from '../step/step.mjs';

/** @typedef {import('../../../contracts/plan-document.ts').PlanDocument} PlanDocument */
/** @typedef {import('../../../contracts/plan-document.ts').PlannedStep} PlannedStep */
/** @typedef {ReturnType<typeof stackOf>} Stack the stack an app runs on: name, arch and its arch's facts */

/** Docker platform, ELF e_machine, `uname -m` and Go build of each cell arch (contracts/arches.cjs). */
export const ARCHES = Object.fromEntries(
  Object.entries(CELL_ARCHES).map(([arch, f]) => [arch, { platform: f.platform, machine: f.elfMachine, uname: f.uname, go: Object.entries(goEnv(f)).map(([k, v]) => `${k}=${v}`).join(' ') }]),
);
/** @param {number} machine */
const machineName = (machine) => ELF_MACHINES[machine]?.name ?? `ELF machine ${machine}`;

/** @param {string | undefined} dir */
export function appDir(dir) {
  if (!dir) throw new StepError('no app directory given (usage: npm run try-app -- <app-dir> [--stack=<name>] [--start-command=<cmd>])');
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new StepError(`app directory ${dir} does not exist (fix: give the directory whose files cf push would upload)`);
  if (readdirSync(abs).length === 0) throw new StepError(`app directory ${dir} is empty: nothing to push (fix: put the app's files in it, e.g. the binary built for the stack)`);
  return abs;
}

/**
 * @param {string | undefined} name
 * @param {string} arch
 */
export function stackOf(name, arch) {
  if (!name) throw new StepError('--arch needs --stack=<name>');
  if (!ARCHES[arch]) throw new StepError(`--arch=${arch}: expected one of ${Object.keys(ARCHES).join(', ')}`);
  return { name, arch, ...ARCHES[arch] };
}

/**
 * The lab's stacks as lab.yaml declares them (name, arch); the default is the first one.
 * @param {string} labPath
 * @param {string | undefined} name
 * @returns {Stack}
 */
export function labStack(labPath, name) {
  const labFile = relative(process.cwd(), labPath) || labPath;
  if (!existsSync(labPath)) throw new StepError(`lab file ${labFile} not found (fix: run from the project root or set STACK_ELEVATOR_LAB)`);
  const lab = /** @type {{ stacks?: { name: string, arch: string }[] } | undefined} */ (load(readFileSync(labPath, 'utf8')));
  const stacks = (lab?.stacks ?? []).map((s) => ({ name: s.name, arch: s.arch }));
  if (stacks.length === 0) throw new StepError(`${labFile}: stacks is empty: the lab has no stack to run an app on`);
  const stack = name ? stacks.find((s) => s.name === name) : stacks[0];
  if (!stack) throw new StepError(`unknown stack ${JSON.stringify(name)}: ${labFile} declares ${stacks.map((s) => s.name).join(', ')} (fix: --stack=${stacks[0].name})`);
  if (!ARCHES[stack.arch]) throw new StepError(`${labFile}: stack ${stack.name} has arch ${stack.arch}, expected one of ${Object.keys(ARCHES).join(', ')}`);
  return { ...stack, ...ARCHES[stack.arch] };
}

/**
 * An ELF executable in the app built for another machine would fail at exec on a cell ("exec format
 * error"). Under qemu binfmt on an x86 host the kernel would run an x86 binary natively, hiding it, so
 * try-app checks the headers itself, before staging.
 * @param {string} dir
 * @param {Stack} stack
 */
export function foreignBinary(dir, stack) {
  for (const file of walk(dir)) {
    const head = readHead(file, 64 * 1024);
    if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46) continue;
    let elf;
    try {
      elf = readElf(head);
    } catch {
      continue;
    }
    if (elf.machine !== stack.machine) {
      const rel = relative(dir, file);
      return `${rel} is ${machineName(elf.machine)}, stack ${stack.name} runs ${machineName(stack.machine)} (${stack.uname}): starting it fails with "exec format error" (fix: build it with ${stack.go})`;
    }
  }
  return undefined;
}

/**
 * @param {string} file
 * @param {number} bytes
 */
function readHead(file, bytes) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * @param {string} dir
 * @returns {Generator<string>}
 */
function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p); // links are not followed: an app may link outside itself, or in a loop
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile()) yield p;
  }
}

/**
 * The synthesized plans under cdktf.out (or --plan): each step's id, script, args and out dir.
 * @param {string} root
 * @param {string | undefined} planFile
 * @returns {PlannedStep[]}
 */
function planSteps(root, planFile) {
  const files = planFile ? [resolve(planFile)] : plansUnder(join(root, 'cdktf.out', 'stacks'));
  return files.flatMap((f) => {
    if (!existsSync(f)) throw new StepError(`--plan=${planFile}: no such file`);
    /** @type {Partial<PlanDocument>} */
    const plan = JSON.parse(readFileSync(f, 'utf8'));
    return plan.steps ?? [];
  });
}

/** @param {string} dir */
function plansUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((d) => join(dir, d, 'plan.json'))
    .filter((f) => existsSync(f));
}

/**
 * @param {string} path
 * @param {string} flag
 */
function override(path, flag) {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new StepError(`--${flag}=${path}: no such file`);
  return abs;
}

/**
 * Rootfs tarball, lifecycle bundle and buildpack zip of the stack: overrides first, then the plan's outputs.
 * @param {{ root: string, stack: Stack, args: { rootfs?: string, bundle?: string, 'buildpack-zip'?: string, plan?: string, buildpack: string } }} o
 */
export function cellArtifacts({ root, stack, args }) {
  const needPlan = !args.rootfs || !args.bundle || !args['buildpack-zip'];
  const steps = needPlan ? planSteps(root, args.plan) : [];
  /** @param {PlannedStep} step */
  const out = (step) => join(root, step.out);
  /** @param {string} what @param {PlannedStep | undefined} step @param {string} flag */
  const missing = (what, step, flag) =>
    new StepError(
      step
        ? `${what} for stack ${stack.name} is not built yet (${relative(root, out(step))}; fix: run the plan step ${step.id} with cdktf deploy, or pass --${flag}=<file>)`
        : `no plan step builds the ${what} for stack ${stack.name} (fix: npm run synth, or pass --${flag}=<file>)`,
    );

  // Each input is the output its producing step declares (plan.json `provides`, keys from contracts/provides.cjs).
  /** @param {string} key @param {string} what @param {string} flag */
  const declared = (key, what, flag) => {
    const step = steps.find((s) => s.provides?.[key] !== undefined);
    const where = step?.provides?.[key];
    const file = step && where !== undefined ? join(out(step), where) : undefined;
    if (!file || !existsSync(file)) throw missing(what, step, flag);
    return file;
  };
  const rootfs = args.rootfs ? override(args.rootfs, 'rootfs') : declared(PROVIDES.rootfsTarball(stack.name), 'rootfs tarball', 'rootfs');
  const bundle = args.bundle ? override(args.bundle, 'bundle') : declared(PROVIDES.lifecycleBundle(stack.arch), 'lifecycle bundle (buildpack_app_lifecycle.tgz)', 'bundle');
  const buildpack = args['buildpack-zip'] ? override(args['buildpack-zip'], 'buildpack-zip') : declared(PROVIDES.buildpackZip(stack.name), `buildpack ${args.buildpack}`, 'buildpack-zip');
  return { rootfs, bundle, buildpack };
}
