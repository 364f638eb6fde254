#!/usr/bin/env node
// Plan step: cross-compiles ARM packages the way BOSH compile VMs would, from the pinned diego-release
// source tree and nothing else (pipelines/lib/upstream/upstream-source.mjs: the lock's tarball, a tree, or a
// clone of the tag; its src/code.cloudfoundry.org is one Go module with vendor/ committed). For each
// package in dependency order it copies only the files its spec selects into a compile dir, runs the
// generated packaging script there with BOSH_INSTALL_TARGET set (-mod=vendor, GOPROXY=off), and finally
// checks the binaries (and bundle). Packages built by earlier steps (plan.fromSteps) are read from those
// steps' outputs, as BOSH mounts a dependency's compiled package.
//
// Args: --packages=<artifact dir of BOSH package dirs> --plan=<build plan artifact>
//       [--upstream-dir=<dir holding <release>-<version>-src.tgz or <release>-<version>/>]
// Output (--out): packages/<name>/ (install dirs), manifest.json, go.mod, modules.txt (the tree's).
import { sha256FileSync } from './lib/step/hash.mjs';
import { markVolatile } from './lib/step/receipt.mjs';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { atomicOutput, optional, PLAN_ARGS, required, runCommand, runCommandSync, step, StepError } from './lib/step/step.mjs';
import { elfProblems, readElfFile } from './lib/go/go-elf.mjs';
import { selectFiles, walkGlobRoots } from './lib/go/go-glob.mjs';
import { goVersion } from './lib/go/go-cmd.mjs';
import { checkMainPackage } from './lib/go/go-vendor.mjs';
import { linkEarlierPackages } from './lib/go/go-step-inputs.mjs';
import { checkSubmodules, resolveSourceTree } from './lib/upstream/upstream-source.mjs';

const STEP = 'cross-compile';

/** @param {number} t0 */
const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

/** @typedef {{ sha256: string, elf: string }} BinaryRecord a checked binary in manifest.json: its digest and ELF header in words */

/**
 * Runs a packaging script with output streamed line by line under the package's name.
 * @param {string} script @param {string} cwd @param {NodeJS.ProcessEnv} env @param {string} name
 */
async function runPackaging(script, cwd, env, name) {
  const r = await runCommand('bash', [script], { cwd, env, onLine: (l, from) => process[from].write(`[${STEP}] ${name}: ${l}\n`) });
  if (r.code !== 0) throw new StepError(`packaging script of ${name} failed (exit ${r.code})`);
}

/**
 * Unpacks the bundle and checks it holds exactly the expected binaries, each with the target's ELF header.
 * @param {string} bundlePath
 * @param {string[]} expected binary names
 * @param {import('../contracts/go-build-plan.ts').ElfExpectation} elfExpect
 * @param {string} scratch a folder inside the staged output (a killed run's goes with it)
 */
function verifyBundle(bundlePath, expected, elfExpect, scratch) {
  const dir = mkdtempSync(join(scratch, 'bundle-'));
  try {
    const res = runCommandSync('tar', ['-xzf', bundlePath, '-C', dir]);
    if (res.code !== 0) throw new StepError(`cannot unpack ${bundlePath}: ${res.stderr.trim()}`);
    const names = readdirSync(dir).sort();
    if (names.join(',') !== [...expected].sort().join(',')) {
      throw new StepError(`bundle holds [${names.join(', ')}], expected [${[...expected].sort().join(', ')}]`);
    }
    /** @type {Record<string, BinaryRecord>} */
    const binaries = {};
    for (const n of names) {
      const elf = readElfFile(join(dir, n));
      const problems = elfProblems(elf, elfExpect);
      if (problems.length) throw new StepError(`bundle binary ${n}: ${problems.join('; ')}`);
      binaries[n] = { sha256: sha256FileSync(join(dir, n)), elf: elf.describe };
    }
    return binaries;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @typedef {import('../contracts/go-build-plan.ts').CrossCompilePlan} CrossCompilePlan */
/** @typedef {CrossCompilePlan['packages'][number]} PlanPackage */

/**
 * One package as a BOSH compile VM builds it: the files its spec selects copied into a compile dir, its
 * packaging script run there with BOSH_INSTALL_TARGET set (GOPROXY=off, -mod=vendor). Returns its wall time.
 * @param {PlanPackage} pkg
 * @param {{ packagesArtifacts: string, srcDir: string, compileRoot: string, installRoot: string, packagesView: string, scratch: string, log: (msg: string) => void }} dirs
 */
async function compilePackage(pkg, { packagesArtifacts, srcDir, compileRoot, installRoot, packagesView, scratch, log }) {
  const t1 = Date.now();
  const pkgDir = join(packagesArtifacts, pkg.name);
  const spec = /** @type {import('../contracts/go-build-plan.ts').BoshPackageSpec} */ (yaml.load(readFileSync(join(pkgDir, 'spec'), 'utf8')));
  let files;
  try {
    files = selectFiles(walkGlobRoots(srcDir, spec.files ?? []), spec.files ?? []);
  } catch (err) {
    throw new StepError(`package ${pkg.name}: ${err.message}`);
  }
  const compileDir = join(compileRoot, pkg.name);
  for (const f of files) {
    mkdirSync(dirname(join(compileDir, f)), { recursive: true });
    copyFileSync(join(srcDir, f), join(compileDir, f));
  }
  const install = join(installRoot, pkg.name);
  mkdirSync(install, { recursive: true });
  symlinkSync(install, join(packagesView, pkg.name));
  log(`${pkg.name}: ${files.length} files, running packaging`);
  await runPackaging(join(pkgDir, 'packaging'), compileDir, {
    ...process.env,
    GOPROXY: 'off',
    GOFLAGS: '-mod=vendor',
    BOSH_INSTALL_TARGET: install,
    BOSH_COMPILE_TARGET: compileDir,
    BOSH_PACKAGE_NAME: pkg.name,
    BOSH_PACKAGES_DIR: packagesView,
    // Go's work folders and any mktemp of the script inside the staged output, not the machine's temp
    // folder: a run killed inside the compiler leaves them where the next run cleans up.
    TMPDIR: scratch,
    GOTMPDIR: scratch,
  }, pkg.name);
  const took = Number(seconds(t1));
  log(`${pkg.name}: done in ${took}s`);
  return took;
}

/**
 * Every binary checked again here, in Node, independently of the packaging script's own check; and the bundle, if the plan makes one.
 * @param {CrossCompilePlan} plan
 * @param {string} installRoot
 * @param {string} scratch
 */
function checkBuiltBinaries(plan, installRoot, scratch) {
  /** @type {Record<string, BinaryRecord>} */
  const binaries = {};
  for (const pkg of plan.packages.filter((p) => !p.bundle)) {
    for (const b of pkg.binaries) {
      const file = join(installRoot, pkg.name, b.name);
      const elf = readElfFile(file);
      const problems = elfProblems(elf, pkg.elf);
      if (problems.length) throw new StepError(`package ${pkg.name}: binary ${b.name}: ${problems.join('; ')}`);
      binaries[`${pkg.name}/${b.name}`] = { sha256: sha256FileSync(file), elf: elf.describe };
    }
  }
  let bundle;
  if (plan.bundle) {
    /** @typedef {import('../contracts/go-build-plan.ts').CompilePlanEntry} CompilePlanEntry */
    // the synth names a bundling package of this plan (CrossCompileStep): found, and with a bundle
    const bundlePkg = /** @type {CompilePlanEntry & { bundle: NonNullable<CompilePlanEntry['bundle']> }} */ (plan.packages.find((p) => p.name === plan.bundle?.package));
    const bundlePath = join(installRoot, plan.bundle.package, plan.bundle.file);
    const expected = [...bundlePkg.binaries.map((b) => b.name), ...bundlePkg.bundle.include.map((i) => i.binary)];
    for (const [n, b] of Object.entries(verifyBundle(bundlePath, expected, bundlePkg.elf, scratch))) binaries[`${plan.bundle.file}/${n}`] = b;
    bundle = { path: `packages/${plan.bundle.package}/${plan.bundle.file}`, sha256: sha256FileSync(bundlePath) };
  }
  return { binaries, bundle };
}

/**
 * The tree's source and Go as this build used them; refused before anything is written when a package's
 * submodule is missing or a binary's main package is not in the tree.
 * @param {CrossCompilePlan} plan
 * @param {import('./lib/step/step.mjs').StepContext<any>['paths']} paths
 * @param {string | undefined} upstreamDir
 * @param {(msg: string) => void} log
 */
async function prepareSource(plan, paths, upstreamDir, log) {
  const pin = plan.upstream;
  const source = await resolveSourceTree({ root: paths.root, upstreamDir: upstreamDir ? resolve(upstreamDir) : undefined, pin, log: (m) => log(m) });
  const tree = source.dir;
  const moduleRoot = join(tree, 'src', plan.moduleDir);
  // Refuse before writing anything: a package whose submodule is missing cannot be built from this tree.
  for (const pkg of plan.packages) checkSubmodules(tree, pkg.submodules ?? [], pin, `package ${pkg.name}`);
  const go = goVersion();
  const goNote = pin.go && pin.go !== go ? `built with ${go}, but the lock records ${pin.go}: binaries will differ from the recorded ones` : undefined;
  if (goNote) log(`WARNING: ${goNote}`);
  log(`${pin.release} ${pin.version} from ${source.kind} ${source.from} (${go}, GOPROXY=off, -mod=vendor)`);
  for (const pkg of plan.packages) {
    for (const b of pkg.binaries) checkMainPackage(moduleRoot, pkg.name, b, pkg.target);
  }
  return { source, tree, moduleRoot, go, goNote };
}

/**
 * Builds every package of the plan into tmp (the step's output being staged) and writes its manifest.json.
 * @param {string} tmp
 * @param {{ plan: CrossCompilePlan, source: Awaited<ReturnType<typeof prepareSource>>, packagesArtifacts: string, root: string, t0: number, log: (msg: string) => void }} o
 */
async function buildInto(tmp, { plan, source: { source, tree, moduleRoot, go }, packagesArtifacts, root, t0, log }) {
  const pin = plan.upstream;
  const compileRoot = join(tmp, 'compile');
  const installRoot = join(tmp, 'packages');
  // What BOSH_PACKAGES_DIR shows a packaging script: this step's installs and the earlier steps' ones.
  const packagesView = join(tmp, 'packages-view');
  const scratch = join(tmp, 'scratch');
  mkdirSync(scratch);
  linkEarlierPackages(root, plan.fromSteps ?? [], packagesView);
  const srcDir = join(tree, 'src');
  /** @type {Record<string, number>} */
  const timings = {};
  for (const pkg of plan.packages) {
    timings[pkg.name] = await compilePackage(pkg, { packagesArtifacts, srcDir, compileRoot, installRoot, packagesView, scratch, log });
  }
  const { binaries, bundle } = checkBuiltBinaries(plan, installRoot, scratch);
  // Keep install dirs and provenance; the compile trees are large and rebuilt from the source tree.
  rmSync(compileRoot, { recursive: true, force: true });
  rmSync(packagesView, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
  copyFileSync(join(moduleRoot, 'go.mod'), join(tmp, 'go.mod'));
  copyFileSync(join(moduleRoot, 'vendor', 'modules.txt'), join(tmp, 'modules.txt'));
  const result = {
    arch: plan.arch,
    target: plan.packages[0].target,
    go,
    ...(pin.go ? { goLocked: pin.go, goMatchesLock: pin.go === go } : {}),
    upstream: { release: pin.release, version: pin.version, ...(pin.sha ? { sha: pin.sha } : {}), ...(source.kind === 'tarball' ? { tarballSha256: pin.tarballSha256 } : {}) },
    submodules: Object.fromEntries([...new Set(plan.packages.flatMap((p) => p.submodules ?? []))].sort().map((s) => [s, pin.submodules?.[s] ?? null])),
    ...(plan.fromSteps ? { fromSteps: plan.fromSteps } : {}),
    ...(bundle ? { bundle } : {}),
    binaries,
  };
  writeFileSync(join(tmp, 'manifest.json'), `${JSON.stringify(result, null, 2)}\n`);
  // Wall times change every run: kept apart from the manifest, which a rebuild must reproduce.
  writeFileSync(join(tmp, 'timings.json'), `${JSON.stringify({ total: Number(seconds(t0)), source: source.kind, packages: timings }, null, 2)}\n`);
  markVolatile(tmp, ['timings.json']);
  return result;
}

await step({
  name: STEP,
  args: { ...PLAN_ARGS, out: required(), packages: required(), plan: required(), 'upstream-dir': optional() },
  logLabel: () => `[${STEP}]`,
  failLabel: () => `[${STEP}] FAILED:`,
  main: async ({ args, paths, log }) => {
    /** @type {CrossCompilePlan} */
    const plan = JSON.parse(readFileSync(join(paths.artifacts, args.plan), 'utf8'));
    const packagesArtifacts = join(paths.artifacts, args.packages);
    const out = paths.out ?? '';
    const t0 = Date.now();
    // The out dir is content-addressed by the step's trigger: if it is there, this exact build is done.
    if (existsSync(join(out, 'manifest.json')) && process.env.STACK_ELEVATOR_FORCE !== '1') {
      log(`${out} already holds this build (same trigger): nothing to do`);
      return;
    }
    const source = await prepareSource(plan, paths, args['upstream-dir'], log);
    const manifest = await atomicOutput(out, (tmp) => buildInto(tmp, { plan, source, packagesArtifacts, root: paths.root, t0, log }));
    if (manifest.bundle) log(`${manifest.bundle.path} sha256 ${manifest.bundle.sha256}`);
    if (source.goNote) log(`WARNING: ${source.goNote} (recorded in manifest.json goMatchesLock=false)`);
    log(`done in ${seconds(t0)}s`);
    for (const [n, b] of Object.entries(manifest.binaries)) log(`  ${n}: ${b.elf}`);
  },
});
