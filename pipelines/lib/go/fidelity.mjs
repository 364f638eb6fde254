// @ts-check
// The fidelity gate's pure parts (pipelines/fidelity.mjs runs the suites): the expectations file, the
// verdict per test, and the table `npm run fidelity` prints. docs/fidelity.md describes the file.
import yaml from 'js-yaml';
import { StepError } from '../step/step.mjs';

/**
 * @typedef {{ suite: string, reason: string }} OutOfScope
 * @typedef {{ suite: string, test: string, reason: string }} BothFail
 * @typedef {{ outOfScope: OutOfScope[], bothFail: BothFail[], emulation: BothFail[] }} Expectations
 * @typedef {{ state: string, output: string }} TestResult
 * @typedef {{ built: boolean, buildError?: string, tests: Record<string, TestResult> }} SuiteRun
 */

/**
 * Reads and checks the expectations file; a malformed one is refused naming the file, the path and the fix.
 * @param {string} text @param {string} file
 * @returns {Expectations}
 */
export function loadExpectations(text, file) {
  /** @type {any} */
  let doc;
  try {
    doc = yaml.load(text) ?? {};
  } catch (err) {
    throw new StepError(`${file}: not YAML (${/** @type {Error} */ (err).message.split('\n')[0]})`, { fix: 'fix the YAML syntax' });
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new StepError(`${file}: expected a mapping with out_of_scope and both_fail`, { fix: 'see docs/fidelity.md' });
  const unknown = Object.keys(doc).filter((k) => !EXPECTATION_KEYS.includes(k));
  if (unknown.length) throw new StepError(`${file}: unknown key(s) ${unknown.join(', ')}`, { fix: `only ${EXPECTATION_KEYS.join(', ')} are read` });
  /** @param {string} key @param {string[]} fields */
  const list = (key, fields) => {
    const v = doc[key] ?? [];
    if (!Array.isArray(v)) throw new StepError(`${file}: ${key} is ${typeof v}, expected a list`, { fix: `make ${key} a YAML list` });
    return v.map((e, i) => {
      for (const f of fields) {
        if (typeof e?.[f] !== 'string' || e[f].trim() === '') throw new StepError(`${file}: ${key}[${i}].${f} is missing or empty`, { fix: `give every ${key} entry ${fields.join(', ')} (the reason is one line saying why)` });
      }
      if (e.reason.includes('\n')) throw new StepError(`${file}: ${key}[${i}].reason spans lines`, { fix: 'one line per reason' });
      return Object.fromEntries(fields.map((f) => [f, e[f].trim()]));
    });
  };
  const outOfScope = /** @type {OutOfScope[]} */ (list('out_of_scope', ['suite', 'reason']));
  const bothFail = /** @type {BothFail[]} */ (list('both_fail', ['suite', 'test', 'reason']));
  const emulation = /** @type {BothFail[]} */ (list('emulation', ['suite', 'test', 'reason']));
  const seen = new Set();
  for (const e of [...bothFail, ...emulation]) {
    const k = `${e.suite}\u0000${e.test}`;
    if (seen.has(k)) throw new StepError(`${file}: ${e.suite} "${e.test}" is listed twice`, { fix: 'keep one entry' });
    seen.add(k);
  }
  return { outOfScope, bothFail, emulation };
}

/** The keys of an expectations file: suites left out; failures on both sides; failures of the emulator's timing. */
export const EXPECTATION_KEYS = ['out_of_scope', 'both_fail', 'emulation'];

/** @param {string} release @param {string} suite */
export function suiteKey(release, suite) {
  return `${release.replace(/-release$/, '')}:${suite}`;
}

/**
 * The gate's verdict. Problems (each fails the gate): a suite that does not compile for the target, a
 * test failing on ARM and passing on amd64 (or missing there), a failure on both sides the expectations do
 * not list, and an expectation whose test did not fail on ARM (stale). `only` restricts the stale check
 * to the suites that ran. A test in state `flaky` (failed under emulation, passed a re-run) is no problem:
 * it is returned in `flaky` to be reported. `refusedSuites` are the suites with a problem of their own.
 * @param {{ suites: string[], arm: Record<string, SuiteRun>, amd64: Record<string, SuiteRun>, expectations: Expectations, source: string, only?: string[] }} o
 */
export function classify({ suites, arm, amd64, expectations, source, only }) {
  /** @type {string[]} */
  const problems = [];
  /** @type {{ suite: string, test: string, reason: string }[]} */
  const environment = [];
  /** @type {{ suite: string, test: string }[]} */
  const flaky = [];
  /** @type {Set<string>} */
  const refused = new Set();
  const expected = new Map(expectations.bothFail.map((e) => [`${e.suite}\u0000${e.test}`, e.reason]));
  const emulated = new Map(expectations.emulation.map((e) => [`${e.suite}\u0000${e.test}`, e.reason]));
  const indent = (/** @type {string} */ s) => s.split('\n').map((l) => `      ${l}`).join('\n');
  for (const suite of suites) {
    const a = arm[suite];
    const problemsBefore = problems.length;
    for (const [test, r] of Object.entries(a.tests)) if (r.state === 'flaky') flaky.push({ suite, test });
    if (!a.built) {
      problems.push(`  ${suite}: its tests do not compile for the target:\n${indent(a.buildError ?? '')}`);
      refused.add(suite);
      continue;
    }
    for (const [test, r] of Object.entries(a.tests).sort(([x], [y]) => (x < y ? -1 : 1))) {
      if (r.state !== 'failed') continue;
      const native = amd64[suite]?.tests[test];
      const reason = expected.get(`${suite}\u0000${test}`);
      if (native?.state === 'failed') {
        if (reason) environment.push({ suite, test, reason });
        else problems.push(`  ${suite}: "${test}" fails on amd64 too (environment-dependent), and ${source} does not list it\n      (fix: add it to both_fail with a one-line reason)\n${indent(r.output)}`);
      } else if (native?.state === 'passed' && emulated.has(`${suite}\u0000${test}`)) {
        environment.push({ suite, test, reason: `emulation: ${emulated.get(`${suite}\u0000${test}`)}` });
      } else {
        const why = !amd64[suite]?.built ? 'amd64 build failed' : native ? `${native.state} on amd64` : 'not run on amd64';
        problems.push(`  ${suite}: "${test}" FAILS on the ARM target, ${why}: fidelity failure\n${indent(r.output)}`);
      }
    }
    if (problems.length > problemsBefore) refused.add(suite);
  }
  for (const e of [...expectations.bothFail, ...expectations.emulation]) {
    if (!suites.includes(e.suite) && only) continue;
    const r = arm[e.suite]?.tests[e.test];
    if (!suites.includes(e.suite)) problems.push(`  ${source}: lists ${e.suite} "${e.test}", a suite that is not in scope (stale: remove the entry)`);
    // emulation timing varies run to run: such an entry is stale only when its test is gone
    else if (expectations.emulation.includes(e) && r) continue;
    else if (!r || r.state !== 'failed') problems.push(`  ${source}: lists ${e.suite} "${e.test}", which ${r ? r.state : 'did not run'} on the ARM target (stale: remove the entry)`);
  }
  return { problems, environment, flaky, refusedSuites: [...refused].sort() };
}

/**
 * package × arch → passed / failed / skipped / time, then the suites left out and why.
 * @param {{ suite: string, arch: string, passed: number, failed: number, skipped: number, seconds: number, cached: boolean, built: boolean }[]} rows
 * @param {{ suite: string, reason: string }[]} outOfScope
 * @param {{ suite: string, test: string }[]} [flaky] tests counted as passed because a re-run passed them
 */
export function renderTable(rows, outOfScope, flaky = []) {
  const w = Math.max(7, ...rows.map((r) => r.suite.length), ...outOfScope.map((o) => o.suite.length));
  const line = (/** @type {string[]} */ c) => `${c[0].padEnd(w)}  ${c[1].padEnd(5)}  ${c[2].padStart(6)}  ${c[3].padStart(6)}  ${c[4].padStart(7)}  ${c[5].padStart(8)}\n`;
  let s = line(['package', 'arch', 'passed', 'failed', 'skipped', 'time']);
  for (const r of rows) s += line([r.suite, r.arch, String(r.passed), r.built ? String(r.failed) : 'build', String(r.skipped), r.cached ? 'cached' : `${r.seconds.toFixed(1)}s`]);
  const t = rows.reduce((a, r) => ({ p: a.p + r.passed, f: a.f + r.failed, k: a.k + r.skipped, s: a.s + (r.cached ? 0 : r.seconds) }), { p: 0, f: 0, k: 0, s: 0 });
  s += line(['total', rows[0]?.arch ?? '', String(t.p), String(t.f), String(t.k), `${t.s.toFixed(1)}s`]);
  for (const o of outOfScope) s += `${o.suite.padEnd(w)}  skipped (out of scope: ${o.reason})\n`;
  for (const f of flaky) s += `${f.suite.padEnd(w)}  flaky under emulation (failed, then passed a re-run): "${f.test}"\n`;
  return s;
}
