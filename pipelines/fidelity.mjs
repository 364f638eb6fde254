#!/usr/bin/env node
// @ts-check
// Plan step: the fidelity gate. Cross-compiling proves Go accepted the code for the target; this proves it
// behaves there. For every upstream test suite (a Go package with *_test.go) under the source modules the
// plan cross-compiles for an ARM target, it compiles the suite's test binary with the same GOOS/GOARCH/GOARM,
// -mod=vendor and GOPROXY=off as the real build, runs it under qemu (binfmt) in the suite's directory, and
// reads one result per test (ginkgo's JSON report, else go test's verbose lines). A suite with a failing
// test is built and run for amd64 too, natively, to classify each failure:
//   pass on amd64, fail on ARM   fidelity failure: the gate fails, naming suite, test and its last output
//   fail on both                 environment-dependent: needs an entry with a reason in the expectations file
// The gate also fails on an expectation that no longer fails (stale) and on a suite whose tests do not
// compile (with the compiler's message). Out-of-scope suites (integration suites needing a BBS, database or
// Garden) are listed, with why, in the same expectations file. Results are cached by the test binary's
// sha256 (build/fidelity/results/): an unchanged binary is not run again. docs/fidelity.md has the depth.
//
// Args: --plan=<fidelity plan artifact> --expectations=<expectations artifact (YAML)>
//       [--upstream-dir=<dir holding <release>-<version>-src.tgz or <release>-<version>/>] [--only=<suite,...>]
// Output (--out): report.json (per suite, per test: arm and, when run, amd64 state), table.txt; timings.json (volatile).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { atomicOutput, optional, PLAN_ARGS, required, runCommand, runCommandSync, step, StepError } from './lib/step/step.mjs';
import { checkSubmodules, MODULE_DIR, resolveSourceTree } from './lib/upstream/upstream-source.mjs';
import { loadExpectations, classify, renderTable, suiteKey } from './lib/go/fidelity.mjs';
import { markVolatile } from './lib/step/receipt.mjs';
import { CELL_ARCHES, HOST_ARCH } from '../contracts/arches.cjs';

const STEP = 'fidelity';
/** Wall-clock limit of one suite run (emulated runs are several times slower than native ones). */
const SUITE_TIMEOUT_S = Number(process.env.STACK_ELEVATOR_FIDELITY_TIMEOUT ?? 900);
/** How many suites build and run at once (the machine has few cores; go build uses them all anyway). */
const PARALLEL = 2;
/**
 * How many more times a suite runs on ARM when a test fails there and passes on amd64. Emulation under a
 * loaded machine stretches timing-sensitive specs (Eventually/Consistently windows); a real ARM fault fails
 * every run, a timing flake does not. A test that passes a re-run is reported as flaky, never hidden.
 */
const ARM_RERUNS = 2;

/** @param {number} t0 */
const seconds = (t0) => Number(((Date.now() - t0) / 1000).toFixed(1));

/**
 * Every package directory under the roots that holds a *_test.go (vendor/ and testdata/ left out), sorted.
 * @param {string} moduleRoot @param {readonly string[]} roots
 */
export function discoverSuites(moduleRoot, roots) {
  /** @type {string[]} */
  const found = [];
  /** @param {string} rel */
  const walk = (rel) => {
    const entries = readdirSync(join(moduleRoot, rel), { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('_test.go'))) found.push(rel);
    for (const e of entries) {
      if (e.isDirectory() && !['vendor', 'testdata'].includes(e.name) && !e.name.startsWith('.')) walk(`${rel}/${e.name}`);
    }
  };
  for (const r of roots) if (existsSync(join(moduleRoot, r))) walk(r);
  return found.sort();
}

/** @param {string} dir */
function isGinkgo(dir) {
  return readdirSync(dir).filter((n) => n.endsWith('_test.go')).some((n) => readFileSync(join(dir, n), 'utf8').includes('github.com/onsi/ginkgo'));
}

/** @typedef {{ goarch: string, goarm?: number }} BuildTarget what a suite is built for */

/**
 * @param {BuildTarget} target
 * @returns {Record<string, string>}
 */
function goBuildEnv(target) {
  return {
    CGO_ENABLED: '0', GOOS: 'linux', GOARCH: target.goarch, ...(target.goarm ? { GOARM: String(target.goarm) } : { GOARM: '' }),
    GOFLAGS: '-mod=vendor -buildvcs=false -trimpath', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOWORK: 'off', GO111MODULE: 'on', GOTELEMETRY: 'off',
  };
}

/**
 * Builds one suite's test binary into the content cache; a compile error is a result, not an exception.
 * @returns {Promise<{ ok: true, bin: string, sha256: string } | { ok: false, message: string }>}
 * @param {{ moduleRoot: string, suite: string, target: BuildTarget, cacheDir: string, overlay: string | undefined }} o
 */
async function buildTestBinary({ moduleRoot, suite, target, cacheDir, overlay }) {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.${suite.replaceAll('/', '_')}-${process.pid}.test`);
  const r = await runCommand('go', ['test', '-c', ...(overlay ? [`-overlay=${overlay}`] : []), '-o', tmp, `./${suite}`], { cwd: moduleRoot, env: { ...process.env, ...goBuildEnv(target) } });
  if (r.code !== 0) return { ok: false, message: `${r.stderr}${r.stdout}`.trim() || `go test -c exit ${r.code}` };
  if (!existsSync(tmp)) return { ok: false, message: `go test -c ./${suite} wrote no test binary (no tests to compile?)` };
  const sha256 = createHash('sha256').update(readFileSync(tmp)).digest('hex');
  const bin = join(cacheDir, `${sha256}.test`);
  renameSync(tmp, bin);
  return { ok: true, bin, sha256 };
}

/**
 * Runs a test binary in the suite's directory; results per test.
 * @returns {Promise<{ tests: Record<string, { state: string, output: string }>, exitCode: number, tail: string, seconds: number }>}
 * @param {{ bin: string, dir: string, ginkgo: boolean, target: BuildTarget, reportFile: string, goWrap: string | undefined }} o
 */
async function runTestBinary({ bin, dir, ginkgo, target, reportFile, goWrap }) {
  const t0 = Date.now();
  const args = ['-test.v', '-test.timeout', `${SUITE_TIMEOUT_S}s`, ...(ginkgo ? [`-ginkgo.json-report=${reportFile}`, '-ginkgo.no-color'] : [])];
  // The suite's own go invocations (gexec.Build) build for the same target, so they run under qemu too;
  // natively they build as upstream's CI does (cgo on, for -race).
  const env = goWrap
    ? { ...process.env, ...goBuildEnv(target), PATH: `${goWrap}:${process.env.PATH}` }
    : { ...process.env, ...goBuildEnv(target), CGO_ENABLED: process.env.CGO_ENABLED ?? '1' };
  const r = await runCommand('timeout', ['-k', '10', String(SUITE_TIMEOUT_S + 30), bin, ...args], { cwd: dir, env });
  const output = `${r.stdout}${r.stderr}`;
  const lines = output.trim().split('\n');
  // a panic's message and first frames say more than the end of its goroutine dump
  const panicAt = lines.findIndex((l) => /^(panic|fatal error): /.test(l));
  const tail = (panicAt >= 0 ? lines.slice(panicAt, panicAt + 12) : lines.slice(-15)).join('\n');
  /** @type {Record<string, { state: string, output: string }>} */
  const tests = {};
  if (ginkgo && existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    for (const suiteReport of report) {
      for (const s of suiteReport.SpecReports ?? []) {
        if (s.LeafNodeType !== 'It' && s.State === 'passed') continue; // setup nodes only count when they fail
        const name = [...(s.ContainerHierarchyTexts ?? []), s.LeafNodeText].filter(Boolean).join(' ') || `[${s.LeafNodeType}]`;
        const failure = s.Failure ? `${s.Failure.Message ?? ''}\n${s.Failure.Location?.FileName ?? ''}:${s.Failure.Location?.LineNumber ?? ''}` : '';
        const state = s.State === 'passed' ? 'passed' : ['skipped', 'pending'].includes(s.State) ? 'skipped' : 'failed';
        const prev = tests[name];
        if (!prev || prev.state !== 'failed') tests[name] = { state, output: lastLines(`${s.CapturedGinkgoWriterOutput ?? ''}${failure}`) };
      }
    }
  } else {
    for (const m of output.matchAll(/^\s*--- (PASS|FAIL|SKIP): (\S+)/gm)) {
      tests[m[2]] = { state: m[1] === 'PASS' ? 'passed' : m[1] === 'SKIP' ? 'skipped' : 'failed', output: m[1] === 'FAIL' ? tail : '' };
    }
    // A test that started and never reported (a panic, a fatal fault, a timeout) took the binary down: it failed.
    for (const m of output.matchAll(/^=== RUN\s+(\S+)/gm)) if (!tests[m[1]]) tests[m[1]] = { state: 'failed', output: tail };
  }
  // A crash, a timeout or a failing suite setup leaves no per-test failure behind: the suite itself failed.
  if (r.code !== 0 && !Object.values(tests).some((t) => t.state === 'failed')) tests['(suite)'] = { state: 'failed', output: tail };
  return { tests, exitCode: r.code, tail, seconds: seconds(t0) };
}

/** @param {string} s */
function lastLines(s) {
  return s.trim().split('\n').slice(-8).join('\n');
}

/**
 * Builds and runs one suite for one target. A result kept from an earlier run of the same binary is reused
 * (unless `fresh`); a new one is returned with the file it would be kept in, and kept only once the gate
 * has judged it (keepResult): a failure the gate refuses must run again next time, not be replayed.
 * @returns {Promise<{ built: boolean, buildError?: string, sha256?: string, tests: Record<string, { state: string, output: string }>, seconds: number, cached: boolean, cacheFile?: string }>}
 * @param {{ root: string, moduleRoot: string, treeId: string, suite: string, arch: string, target: BuildTarget, log: (msg: string) => void, goWrap: string | undefined, overlay: string | undefined, fresh?: boolean }} o
 */
async function suiteResult({ root, moduleRoot, treeId, suite, arch, target, log, goWrap, overlay, fresh = false }) {
  const t0 = Date.now();
  const cacheDir = join(root, 'build', 'fidelity', 'bin', arch);
  const built = await buildTestBinary({ moduleRoot, suite, target, cacheDir, overlay });
  if (!built.ok) return { built: false, buildError: built.message, tests: {}, seconds: seconds(t0), cached: false };
  const resultsDir = join(root, 'build', 'fidelity', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const key = createHash('sha256').update(`${treeId}\n${suite}\n${arch}\n${built.sha256}\n${SUITE_TIMEOUT_S}\n`).digest('hex');
  const cacheFile = join(resultsDir, `${key}.json`);
  if (!fresh && existsSync(cacheFile) && process.env.STACK_ELEVATOR_NO_CACHE !== '1') {
    const prior = JSON.parse(readFileSync(cacheFile, 'utf8'));
    return { ...prior, cached: true };
  }
  const dir = join(moduleRoot, suite);
  const run = await runTestBinary({ bin: built.bin, dir, ginkgo: isGinkgo(dir), target, reportFile: join(resultsDir, `${key}.ginkgo.json`), goWrap });
  log(`${suite} ${arch}: ${Object.values(run.tests).filter((t) => t.state === 'passed').length} passed, ${Object.values(run.tests).filter((t) => t.state === 'failed').length} failed in ${run.seconds}s${fresh ? ' (re-run)' : ''}`);
  return { built: true, sha256: built.sha256, tests: run.tests, seconds: run.seconds, cached: false, cacheFile };
}

/** @param {{ cached: boolean, cacheFile?: string, built: boolean, sha256?: string, tests: object, seconds: number } | undefined} r */
function keepResult(r) {
  if (!r || r.cached || !r.cacheFile) return;
  writeFileSync(`${r.cacheFile}.tmp`, `${JSON.stringify({ built: r.built, sha256: r.sha256, tests: r.tests, seconds: r.seconds })}\n`);
  renameSync(`${r.cacheFile}.tmp`, r.cacheFile);
}

/**
 * The ARM tests that failed while amd64 passed them, and that no emulation entry explains: fidelity
 * failures unless a re-run passes them.
 * @param {Awaited<ReturnType<typeof suiteResult>>} arm @param {Awaited<ReturnType<typeof suiteResult>> | undefined} amd64
 * @param {Set<string>} emulated keys suite\u0000test
 * @param {string} suite
 */
function suspects(arm, amd64, emulated, suite) {
  return Object.entries(arm.tests)
    .filter(([n, t]) => t.state === 'failed' && amd64?.built && amd64.tests[n]?.state !== 'failed' && !emulated.has(`${suite}\u0000${n}`))
    .map(([n]) => n);
}

/**
 * A `go` first on PATH for the suites' own builds on the ARM target: the race detector does not exist for
 * linux/arm (and needs cgo, which the target build has off), so `gexec.Build(..., "-race")` drops -race
 * instead of failing the suite's setup on ARM only. Everything else goes to the real go unchanged.
 * @param {string} root
 */
function goWrapper(root) {
  const real = runCommandSync('bash', ['-c', 'command -v go']).stdout.trim();
  if (!real) throw new StepError('go is not on PATH', { fix: 'npm run setup' });
  const dir = join(root, 'build', 'fidelity', 'go-wrap');
  mkdirSync(dir, { recursive: true });
  const script = `#!/bin/bash\n# written by pipelines/fidelity.mjs: go without -race (no race detector on the ARM target)\nargs=()\nfor a in "$@"; do [[ $a == -race ]] || args+=("$a"); done\nexec '${real}' "\${args[@]}"\n`;
  const file = join(dir, 'go');
  if (!existsSync(file) || readFileSync(file, 'utf8') !== script) {
    writeFileSync(`${file}.tmp`, script, { mode: 0o755 });
    renameSync(`${file}.tmp`, file);
  }
  return dir;
}

/**
 * The variant's patches as a `go -overlay` file: each patched file is patched in a copy (the shared tree is
 * never written) and the test build reads the copy in its place, so the tests run against the code the
 * variant ships. Undefined without patches.
 * @param {string} root @param {string} tree @param {string[]} patches
 */
function goOverlay(root, tree, patches) {
  if (patches.length === 0) return undefined;
  const h = createHash('sha256').update(tree);
  for (const p of patches) h.update(readFileSync(p));
  const dir = join(root, 'build', 'fidelity', 'overlay', h.digest('hex').slice(0, 16));
  const file = join(dir, 'overlay.json');
  if (existsSync(file)) return file;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  /** @type {Record<string, string>} */
  const replace = {};
  for (const p of patches) {
    const files = [...readFileSync(p, 'utf8').matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]);
    for (const f of files) {
      if (!replace[join(tree, f)]) {
        mkdirSync(dirname(join(tmp, 'tree', f)), { recursive: true });
        copyFileSync(join(tree, f), join(tmp, 'tree', f));
      }
      replace[join(tree, f)] = join(dir, 'tree', f);
    }
    const r = runCommandSync('patch', ['-p1', '--forward', '--batch', '--no-backup-if-mismatch', '-r', '-', '-d', join(tmp, 'tree'), '-i', p]);
    if (r.code !== 0) throw new StepError(`patch ${p} does not apply to ${tree}: ${`${r.stdout}${r.stderr}`.trim().split('\n').slice(-3).join(' | ')}`, { fix: 'rebase the patch on this upstream version, or drop it if upstream fixed it' });
  }
  writeFileSync(join(tmp, 'overlay.json'), `${JSON.stringify({ Replace: replace }, null, 2)}\n`);
  mkdirSync(dirname(dir), { recursive: true });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run wrote the same overlay first
  }
  return file;
}

/** @template T @param {readonly T[]} items @param {number} n @param {(item: T) => Promise<void>} fn */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** @typedef {import('../contracts/go-build-plan.ts').FidelityPlan} FidelityPlan */
/** @typedef {Awaited<ReturnType<typeof suiteResult>>} SuiteResult */
/** @typedef {ReturnType<typeof loadExpectations>} Expectations */

/**
 * The source tree the gate tests, its module root and identity, and the go wrapper and overlay the test builds use.
 * @param {FidelityPlan} plan
 * @param {{ root: string, artifacts: string }} paths
 * @param {string | undefined} upstreamDir
 * @param {(msg: string) => void} log
 */
async function prepareTree(plan, paths, upstreamDir, log) {
  const source = await resolveSourceTree({ root: paths.root, upstreamDir: upstreamDir ? resolve(upstreamDir) : undefined, pin: plan.upstream, log: (m) => log(m) });
  if (plan.moduleDir === MODULE_DIR) checkSubmodules(source.dir, plan.roots, plan.upstream, `fidelity gate ${plan.release} ${plan.arch}`);
  const moduleRoot = join(source.dir, 'src', plan.moduleDir);
  const treeId = `${plan.upstream.release}@${plan.upstream.version}:${plan.upstream.sha ?? ''}:${plan.upstream.tarballSha256 ?? ''}:${statSync(moduleRoot).isDirectory()}`;
  const goWrap = goWrapper(paths.root);
  const overlay = goOverlay(paths.root, source.dir, (plan.patches ?? []).map((p) => join(paths.artifacts, p)));
  return { moduleRoot, treeId, goWrap, overlay };
}

/**
 * The suites the gate runs: every suite under the plan's roots but the out-of-scope ones (each of which
 * must still exist), narrowed to --only when given.
 * @param {FidelityPlan} plan
 * @param {Expectations} expectations
 * @param {string} moduleRoot
 * @param {string | undefined} onlyArg
 */
function suitesInScope(plan, expectations, moduleRoot, onlyArg) {
  const all = discoverSuites(moduleRoot, plan.roots);
  const outOfScope = new Map(expectations.outOfScope.map((o) => [o.suite, o.reason]));
  const unknownOut = [...outOfScope.keys()].filter((s) => !all.includes(s));
  if (unknownOut.length > 0) {
    throw new StepError(`${plan.expectationsSource}: out_of_scope lists ${unknownOut.join(', ')}, which is no test suite under ${plan.roots.join(', ')}`, { fix: 'remove the stale entries' });
  }
  const only = onlyArg ? onlyArg.split(',') : undefined;
  const suites = all.filter((s) => !outOfScope.has(s) && (!only || only.includes(s)));
  return { outOfScope, only, suites };
}

/**
 * One suite on ARM; natively too when a test fails there (amd64 only explains ARM failures); and ARM
 * re-runs of the tests that fail only on ARM, which turn a test passing a re-run into a flaky one.
 * @param {string} suite
 * @param {{ plan: FidelityPlan, common: { root: string, moduleRoot: string, treeId: string, log: (msg: string) => void, overlay: string | undefined }, target: { goarch: string, goarm?: number }, goWrap: string, emulated: Set<string>, arm: Record<string, SuiteResult>, amd64: Record<string, SuiteResult> }} o
 */
async function runSuite(suite, { plan, common: shared, target, goWrap, emulated, arm, amd64 }) {
  const common = { ...shared, suite };
  arm[suite] = await suiteResult({ ...common, arch: plan.arch, target, goWrap });
  // amd64 only explains ARM failures: a suite with none needs no native run.
  if (Object.values(arm[suite].tests).some((t) => t.state === 'failed')) {
    amd64[suite] = await suiteResult({ ...common, arch: HOST_ARCH.debian, target: { goarch: HOST_ARCH.goarch }, goWrap: undefined });
  }
  let suspect = suspects(arm[suite], amd64[suite], emulated, suite);
  for (let i = 0; i < ARM_RERUNS && suspect.length > 0; i++) {
    const again = await suiteResult({ ...common, arch: plan.arch, target, goWrap, fresh: true });
    for (const name of suspect) {
      const t = again.tests[name];
      if (t?.state === 'passed') arm[suite].tests[name] = { state: 'flaky', output: `failed under emulation, passed re-run ${i + 1}:\n${arm[suite].tests[name].output}` };
    }
    arm[suite] = { ...arm[suite], cached: false, cacheFile: again.cacheFile ?? arm[suite].cacheFile };
    suspect = suspect.filter((n) => arm[suite].tests[n].state === 'failed');
  }
}

/**
 * One table row per suite: its ARM counts (a suite that did not build counts as one failure).
 * @param {FidelityPlan} plan @param {string[]} suites @param {Record<string, SuiteResult>} arm
 */
function tableRows(plan, suites, arm) {
  return suites.map((s) => {
    const tests = Object.values(arm[s].tests);
    return {
      suite: suiteKey(plan.release, s), arch: plan.arch,
      passed: tests.filter((t) => t.state === 'passed' || t.state === 'flaky').length,
      failed: arm[s].built ? tests.filter((t) => t.state === 'failed').length : 1,
      skipped: tests.filter((t) => t.state === 'skipped').length,
      seconds: arm[s].seconds, cached: arm[s].cached, built: arm[s].built,
    };
  });
}

/**
 * report.json, table.txt and timings.json (the last two volatile) written atomically into out.
 * @param {string} out
 * @param {{ plan: FidelityPlan, target: { goarch: string, goarm?: number }, outOfScope: Map<string, string>, suites: string[], arm: Record<string, SuiteResult>, amd64: Record<string, SuiteResult>, verdict: ReturnType<typeof classify>, table: string, rows: ReturnType<typeof tableRows>, t0: number }} o
 */
async function writeReport(out, { plan, target, outOfScope, suites, arm, amd64, verdict, table, rows, t0 }) {
  await atomicOutput(out, async (tmp) => {
    const report = {
      release: plan.release, arch: plan.arch, target, upstream: { release: plan.upstream.release, version: plan.upstream.version },
      outOfScope: Object.fromEntries(outOfScope),
      suites: Object.fromEntries(suites.map((s) => [s, {
        testBinarySha256: arm[s].sha256,
        tests: Object.fromEntries(Object.entries(arm[s].tests).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, t]) => [n, { arm: t.state, ...(amd64[s]?.tests[n] ? { amd64: amd64[s].tests[n].state } : {}) }])),
      }])),
      environmentDependent: verdict.environment,
      flaky: verdict.flaky,
    };
    writeFileSync(join(tmp, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(tmp, 'table.txt'), table);
    writeFileSync(join(tmp, 'timings.json'), `${JSON.stringify({ total: seconds(t0), suites: Object.fromEntries(rows.map((r) => [r.suite, r.seconds])) }, null, 2)}\n`);
    markVolatile(tmp, ['timings.json', 'table.txt']);
  });
}

await step({
  name: STEP,
  args: { ...PLAN_ARGS, out: required(), plan: required(), expectations: required(), 'upstream-dir': optional(), only: optional() },
  logLabel: () => `[${process.env.STACK_ELEVATOR_STEP ?? STEP}]`,
  failLabel: () => `[${process.env.STACK_ELEVATOR_STEP ?? STEP}] FAILED:`,
  main: async ({ args, paths, log }) => {
    /** @type {FidelityPlan} */
    const plan = JSON.parse(readFileSync(join(paths.artifacts, args.plan), 'utf8'));
    const expectationsFile = join(paths.artifacts, args.expectations);
    const expectations = loadExpectations(readFileSync(expectationsFile, 'utf8'), plan.expectationsSource ?? expectationsFile);
    const out = paths.out ?? '';
    const t0 = Date.now();
    if (existsSync(join(out, 'report.json')) && process.env.STACK_ELEVATOR_FORCE !== '1' && !args.only) {
      log(`${out} already holds this gate's report (same trigger): nothing to do`);
      process.stdout.write(readFileSync(join(out, 'table.txt'), 'utf8'));
      return;
    }
    const facts = CELL_ARCHES[/** @type {'armhf' | 'arm64'} */ (plan.arch)];
    if (!facts) throw new StepError(`${args.plan}: arch ${plan.arch} is not a cell arch of contracts/arches.cjs`);
    const target = { goarch: facts.goarch, goarm: plan.goarm ?? facts.goarm };
    const { moduleRoot, treeId, goWrap, overlay } = await prepareTree(plan, paths, args['upstream-dir'], log);
    const { outOfScope, only, suites } = suitesInScope(plan, expectations, moduleRoot, args.only);
    log(`${plan.release} ${plan.upstream.version}, ${plan.arch} (GOARCH=${target.goarch}${target.goarm ? ` GOARM=${target.goarm}` : ''}) under ${facts.qemu}: ${suites.length} suites in scope, ${outOfScope.size} out of scope`);
    /** @type {Record<string, SuiteResult>} */
    const arm = {};
    /** @type {Record<string, SuiteResult>} */
    const amd64 = {};
    const emulated = new Set(expectations.emulation.map((e) => `${e.suite}\u0000${e.test}`));
    const common = { root: paths.root, moduleRoot, treeId, log, overlay };
    await pool(suites, PARALLEL, (suite) => runSuite(suite, { plan, common, target, goWrap, emulated, arm, amd64 }));
    const verdict = classify({ suites, arm, amd64, expectations, source: plan.expectationsSource, only });
    const rows = tableRows(plan, suites, arm);
    const table = renderTable(rows, [...outOfScope].map(([suite, reason]) => ({ suite: suiteKey(plan.release, suite), reason })), verdict.flaky.map((f) => ({ suite: suiteKey(plan.release, f.suite), test: f.test })));
    process.stdout.write(table);
    // Results the gate accepted are kept, so an unchanged binary is not run again; refused ones run again.
    for (const s of suites.filter((x) => !verdict.refusedSuites.includes(x))) {
      keepResult(arm[s]);
      keepResult(amd64[s]);
    }
    if (verdict.problems.length > 0) {
      throw new StepError(`fidelity gate ${plan.release} ${plan.arch}: ${verdict.problems.length} problem(s)\n${verdict.problems.join('\n')}`);
    }
    if (only) return; // a partial run is a look, not the gate: it records nothing
    await writeReport(out, { plan, target, outOfScope, suites, arm, amd64, verdict, table, rows, t0 });
    log(`${rows.reduce((a, r) => a + r.passed, 0)} tests passed on ${plan.arch}, ${verdict.environment.length} environment-dependent failures (expected), done in ${seconds(t0)}s`);
  },
});
