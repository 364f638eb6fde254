#!/usr/bin/env node
// compile-release: a source release tarball (`bosh create-release --tarball`) in, a compiled release
// for one stemcell out, in the layout `bosh export-release` writes: release.MF with compiled_packages
// (name, version, fingerprint, sha1, stemcell: <os>/<version>, dependencies), compiled_packages/<name>.tgz
// holding what each packaging script installed, and the jobs exactly as in the source release.
//
//   --source=<dir|tgz>        a create-release step's output dir (its one .tgz) or a tarball
//   [--release=<name>/<version>] what the source must be (a stale or mixed-up source fails the step)
//   --stemcell=<os>/<version> the stemcell the packages are compiled for
//   --arch=armhf|arm64 [--goarm=6|7]   the stemcell's arch: what the emulated Go toolchain targets
//   --epoch=<seconds>         mtime of every archive entry (reproducible tarballs)
//   --out=<dir>               written atomically: <name>-<version>-<os>-<stemcell version>.tgz, compiled.json
//
// Each package compiles as on a compile VM (pipelines/lib/release/compile-package.mjs), dependencies first. The
// Go toolchain package (golang-*-linux) is a compile-time dependency: emulated, not compiled, not
// shipped, and dropped from every dependency list. A failing packaging script fails the step with the
// package's name and its last lines of output; nothing is written then.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { compilePackage, foreignExecutables, reproducibleTgz, topoOrder, writeToolchainPackage } from './lib/release/compile-package.mjs';
import { markVolatile } from './lib/step/receipt.mjs';
import { digestOf, readReleaseMf, releaseShaProblems, renderCompiledMf, TOOLCHAIN_PACKAGE } from './lib/release/release-mf.mjs';
import { atomicOutput, optional, PLAN_ARGS, required, runCommandSync, scratchBeside, step, StepError } from './lib/step/step.mjs';
import { findTool } from './lib/step/tools.mjs';

/** @param {string} source */
function sourceTarball(source) {
  if (!existsSync(source)) throw new StepError(`--source=${source}: not found (did the create-release step run?)`);
  if (!statSync(source).isDirectory()) return source;
  // create-release records where the upstream tree came from; a spec-only fixture has placeholder sources.
  const record = join(source, 'release.json');
  const tree = existsSync(record) ? JSON.parse(readFileSync(record, 'utf8'))?.source?.upstream?.tree : undefined;
  if (tree === 'fixture') {
    throw new StepError(`--source=${source}: this release was made from a spec-only upstream fixture (placeholder sources), there is nothing to compile (fix: point STACK_ELEVATOR_UPSTREAM at a directory holding the release's source tree, or let the step clone it)`);
  }
  const tgz = readdirSync(source).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new StepError(`--source=${source}: expected exactly one release .tgz, found ${tgz.length}`);
  return join(source, tgz[0]);
}

/**
 * What the overlay changed for ARM (create-release's release.json beside the tarball): the patches and
 * the packages built otherwise than upstream, carried into compiled.json so the compiled release says it.
 * @param {string} source
 */
function armChanges(source) {
  const record = statSync(source).isDirectory() ? join(source, 'release.json') : undefined;
  const summary = record && existsSync(record) ? JSON.parse(readFileSync(record, 'utf8'))?.source?.summary : undefined;
  return { patches: summary?.patches ?? [], substitutions: summary?.substitutions ?? [] };
}

/** @param {string} cmd @param {string[]} argv @param {string} what */
function run(cmd, argv, what) {
  const r = runCommandSync(cmd, argv);
  if (r.code !== 0) throw new StepError(`${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout;
}

/** @param {string} go @param {string} key */
function goEnvValue(go, key) {
  return run(go, ['env', key], `go env ${key}`).trim();
}

const ARGS = {
  ...PLAN_ARGS,
  source: required(),
  release: optional(),
  stemcell: required(),
  arch: required(),
  goarm: optional(),
  epoch: optional(),
};

/** @param {import('./lib/step/step.mjs').StepContext<typeof ARGS>} ctx */
async function main({ args, paths, log }) {
  const stemcell = args.stemcell;
  if (!/^[^/\s]+\/[^/\s]+$/.test(stemcell)) throw new StepError(`--stemcell=${stemcell}: expected <os>/<version>`);
  const arch = args.arch;
  const goarm = args.goarm ? Number(args.goarm) : undefined;
  const epoch = Number(args.epoch ?? 0);
  // Like --out, relative to the working directory (plan steps spell it from the stack dir).
  const tarball = sourceTarball(resolve(args.source));
  const go = findTool('go', paths.root);
  if (!go) throw new StepError('go not found on PATH (fix: npm run setup, or install Go)');
  const bosh = findTool('bosh', paths.root);
  if (!bosh) throw new StepError('bosh not found in .tools/bin or on PATH (fix: npm run setup)');
  const goroot = goEnvValue(go, 'GOROOT');
  const goCache = goEnvValue(go, 'GOCACHE');
  const started = Date.now();

  /** @type {CompileJob} */
  const job = { args, root: paths.root, out: paths.out ?? '', tarball, bosh, stemcell, arch, goarm, epoch, goroot, goCache, log };
  const record = await atomicOutput(paths.out, (out) => compileInto(out, job));
  log(`${record.tarball}: ${record.compiledPackages.length} compiled package(s), ${record.jobs.length} job(s) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * @typedef {object} CompileJob what one compile of a source release for one stemcell needs
 * @property {import('./lib/step/step.mjs').StepContext<typeof ARGS>['args']} args
 * @property {string} root
 * @property {string} out the step's output path (the scratch folder goes beside it)
 * @property {string} tarball the source release
 * @property {string} bosh
 * @property {string} stemcell <os>/<version>
 * @property {string} arch
 * @property {number | undefined} goarm
 * @property {number} epoch
 * @property {string} goroot
 * @property {string} goCache
 * @property {(msg: string) => void} log
 */

/**
 * The compiled release and compiled.json written into out, from a scratch dir `.<out>.compile-<pid>-*`
 * beside the output that is removed after (a killed run's by the next run).
 * @param {string} out
 * @param {CompileJob} job
 */
async function compileInto(out, job) {
  const { args, tarball, stemcell, arch, log } = job;
  const work = scratchBeside(job.out, 'compile');
  try {
    const src = join(work, 'source');
    const mf = extractSourceRelease(tarball, src, args.release);
    // Mounted at /var/vcap while a packaging script runs (compile-package.mjs).
    const vcapDir = join(work, 'vcap');
    const { toolchain, runtime } = splitToolchain(mf, join(vcapDir, 'packages'), job);
    log(`${mf.name}/${mf.version}: compiling ${runtime.length} package(s) for ${stemcell} (${arch}); compile-time only: ${toolchain.join(', ') || 'none'}`);

    const stage = join(work, 'release');
    mkdirSync(join(stage, 'compiled_packages'), { recursive: true });
    const compiled = await compilePackages(runtime, { src, vcapDir, stage }, job);
    assembleRelease(mf, compiled, src, stage);
    return writeCompiledRelease(out, { mf, compiled, stage, toolchain }, job);
  } finally {
    if (process.env.STACK_ELEVATOR_KEEP_WORK === '1') log(`kept scratch dir ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Unpacks the source release into src and reads its release.MF; refused when it is another release than
 * --release names, already compiled, or corrupt.
 * @param {string} tarball
 * @param {string} src
 * @param {string | undefined} release
 */
function extractSourceRelease(tarball, src, release) {
  mkdirSync(src);
  run('tar', ['-xzf', tarball, '-C', src], `extracting ${basename(tarball)}`);
  const mf = readReleaseMf(src);
  if (release && release !== `${mf.name}/${mf.version}`) throw new StepError(`--source=${basename(tarball)} holds ${mf.name}/${mf.version}, expected --release=${release}`);
  if (!mf.packages?.length) throw new StepError(`${basename(tarball)} has no source packages (already compiled? compiled_packages: ${mf.compiled_packages?.length ?? 0})`);
  const shaProblems = releaseShaProblems(src);
  if (shaProblems.length > 0) throw new StepError(`${basename(tarball)} is corrupt: ${shaProblems.join('; ')}`);
  return mf;
}

/**
 * The Go toolchain packages are emulated (written into packagesDir), not compiled; the runtime packages
 * are compiled with the toolchain dropped from their dependencies.
 * @param {ReturnType<typeof readReleaseMf>} mf
 * @param {string} packagesDir
 * @param {CompileJob} job
 */
function splitToolchain(mf, packagesDir, { goroot, arch, goarm, goCache }) {
  const packages = /** @type {NonNullable<typeof mf.packages>} (checked non-empty on extraction) */ (mf.packages);
  const toolchain = packages.filter((p) => TOOLCHAIN_PACKAGE.test(p.name)).map((p) => p.name);
  const isToolchain = (/** @type {string} */ n) => TOOLCHAIN_PACKAGE.test(n);
  const runtime = packages.filter((p) => !isToolchain(p.name)).map((p) => ({ ...p, dependencies: (p.dependencies ?? []).filter((d) => !isToolchain(d)) }));
  mkdirSync(packagesDir, { recursive: true });
  // Packages name the toolchain they were written for; a release without one may still source it.
  for (const name of new Set([...toolchain, ...packages.flatMap((p) => (p.dependencies ?? []).filter(isToolchain))])) {
    writeToolchainPackage(packagesDir, name, { goroot, arch, goarm, goCache });
  }
  return { toolchain, runtime };
}

/**
 * Each runtime package compiled as on a compile VM, dependencies first, into stage/compiled_packages; sorted by name.
 * @param {ReturnType<typeof splitToolchain>['runtime']} runtime
 * @param {{ src: string, vcapDir: string, stage: string }} dirs
 * @param {CompileJob} job
 */
async function compilePackages(runtime, { src, vcapDir, stage }, { stemcell, arch, epoch, log }) {
  const packagesDir = join(vcapDir, 'packages');
  const compiled = [];
  for (const pkg of topoOrder(runtime)) {
    const t0 = Date.now();
    const compileDir = join(vcapDir, 'data', 'compile', pkg.name);
    mkdirSync(compileDir, { recursive: true });
    run('tar', ['-xzf', join(src, 'packages', `${pkg.name}.tgz`), '-C', compileDir], `extracting package ${pkg.name}`);
    const installDir = join(packagesDir, pkg.name);
    await compilePackage({ pkg, vcapDir, arch, log });
    const foreign = foreignExecutables(installDir, arch);
    if (foreign.length > 0) throw new StepError(`package ${pkg.name}: executables not built for ${arch}: ${foreign.join(', ')}`);
    const file = join(stage, 'compiled_packages', `${pkg.name}.tgz`);
    reproducibleTgz(installDir, file, epoch);
    compiled.push({ name: pkg.name, version: pkg.version, fingerprint: pkg.fingerprint, sha1: digestOf(file, 'sha1'), stemcell, dependencies: [...pkg.dependencies].sort() });
    log(`${pkg.name}: compiled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  compiled.sort((a, b) => (a.name < b.name ? -1 : 1));
  return compiled;
}

/**
 * The jobs (exactly as in the source release), the license and a release.MF listing the compiled
 * packages, laid out in stage as `bosh export-release` does; its sha1s checked.
 * @param {ReturnType<typeof readReleaseMf>} mf
 * @param {Awaited<ReturnType<typeof compilePackages>>} compiled
 * @param {string} src
 * @param {string} stage
 */
function assembleRelease(mf, compiled, src, stage) {
  mkdirSync(join(stage, 'jobs'));
  for (const j of mf.jobs ?? []) {
    const missing = (j.packages ?? []).filter((p) => !compiled.some((c) => c.name === p));
    if (missing.length > 0) throw new StepError(`job ${j.name} needs package(s) ${missing.join(', ')}, which the release does not compile`);
    copyFileSync(join(src, 'jobs', `${j.name}.tgz`), join(stage, 'jobs', `${j.name}.tgz`));
  }
  if (mf.license) copyFileSync(join(src, 'license.tgz'), join(stage, 'license.tgz'));
  writeFileSync(
    join(stage, 'release.MF'),
    renderCompiledMf({ name: mf.name, version: mf.version, commitHash: mf.commit_hash, uncommittedChanges: mf.uncommitted_changes, compiledPackages: compiled, jobs: mf.jobs ?? [], license: mf.license }),
  );
  const problems = releaseShaProblems(stage);
  if (problems.length > 0) throw new StepError(`compiled release inconsistent: ${problems.join('; ')}`);
}

/**
 * The compiled release tarball (checked readable by the CLI) and compiled.json, written into out.
 * @param {string} out
 * @param {{ mf: ReturnType<typeof readReleaseMf>, compiled: Awaited<ReturnType<typeof compilePackages>>, stage: string, toolchain: string[] }} built
 * @param {CompileJob} job
 */
function writeCompiledRelease(out, { mf, compiled, stage, toolchain }, { args, tarball, bosh, stemcell, arch, epoch }) {
  const [os, osVersion] = stemcell.split('/');
  const fileName = `${mf.name}-${mf.version}-${os}-${osVersion}.tgz`;
  reproducibleTgz(stage, join(out, fileName), epoch);
  // The CLI must read it as a compiled release (it does not check sha1s; the check above does).
  run(bosh, ['inspect-local-release', '--json', join(out, fileName)], `bosh inspect-local-release ${fileName}`);
  const rec = {
    name: mf.name,
    version: mf.version,
    stemcell,
    arch,
    tarball: fileName,
    source: basename(tarball),
    compiledPackages: compiled.map((c) => ({ name: c.name, fingerprint: c.fingerprint, sha1: c.sha1, dependencies: c.dependencies })),
    jobs: (mf.jobs ?? []).map((j) => ({ name: j.name, fingerprint: j.fingerprint, packages: [...(j.packages ?? [])].sort() })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    notShipped: toolchain,
    ...armChanges(resolve(args.source)),
  };
  writeFileSync(join(out, 'compiled.json'), `${JSON.stringify(rec, null, 2)}\n`);
  // The tarball carries the source release's job archives, into which bosh stamps file times: a
  // rebuild of the source gives other bytes. compiled.json (every compiled package's sha1, every
  // job's fingerprint) is what a rebuild must reproduce.
  markVolatile(out, [fileName]);
  return rec;
}

await step({ name: 'compile-release', args: ARGS, logLabel: (_args, stepId) => `[${stepId}]`, main });
