import { runMjs } from '../support/mjs';

type Verdict = { problems: string[]; environment: { suite: string; test: string; reason: string }[]; flaky: { suite: string; test: string }[]; refusedSuites: string[] };

const EXPECTATIONS = `
out_of_scope:
  - suite: rep/cmd/rep
    reason: needs a BBS
both_fail:
  - suite: a
    test: reads the test CA
    reason: the fixture certificate expired
emulation:
  - suite: b
    test: ticks every second
    reason: qemu timing
`;

function verdict(arm: Record<string, unknown>, amd64: Record<string, unknown>, suites = ['a', 'b'], text = EXPECTATIONS): Verdict {
  return runMjs<Verdict>(
    `const f = await lib('go/fidelity');
     const expectations = f.loadExpectations(input.text, 'x.yml');
     out(f.classify({ suites: input.suites, arm: input.arm, amd64: input.amd64, expectations, source: 'x.yml' }));`,
    { arm, amd64, suites, text },
  );
}

const ok = (tests: Record<string, string>) => ({ built: true, tests: Object.fromEntries(Object.entries(tests).map(([n, s]) => [n, { state: s, output: `output of ${n}` }])) });

describe('the fidelity verdict', () => {
  const expectedArm = { a: ok({ 'reads the test CA': 'failed', works: 'passed' }), b: ok({ 'ticks every second': 'failed' }) };
  const expectedAmd = { a: ok({ 'reads the test CA': 'failed', works: 'passed' }), b: ok({ 'ticks every second': 'passed' }) };

  it('passes when every failure is listed: both sides, or the emulator', () => {
    const v = verdict(expectedArm, expectedAmd);
    expect(v.problems).toEqual([]);
    expect(v.environment.map((e) => e.test)).toEqual(['reads the test CA', 'ticks every second']);
  });

  it('fails on a test that passes on amd64 and fails on ARM, naming the suite, the test and its output', () => {
    const v = verdict({ ...expectedArm, a: ok({ 'reads the test CA': 'failed', works: 'failed' }) }, expectedAmd);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toMatch(/a: "works" FAILS on the ARM target, passed on amd64: fidelity failure/);
    expect(v.problems[0]).toContain('output of works');
  });

  it('fails on an ARM failure whose amd64 side could not be built or run: nothing explains it', () => {
    const v = verdict({ ...expectedArm, a: ok({ 'reads the test CA': 'failed', works: 'failed' }) }, { ...expectedAmd, a: { built: false, buildError: 'boom', tests: {} } });
    expect(v.problems.join('\n')).toMatch(/a: "works" FAILS on the ARM target, amd64 build failed: fidelity failure/);
  });

  it('fails on a failure on both sides that the file does not list', () => {
    const v = verdict({ ...expectedArm, a: ok({ 'reads the test CA': 'failed', other: 'failed' }) }, { ...expectedAmd, a: ok({ 'reads the test CA': 'failed', other: 'failed' }) });
    expect(v.problems.join('\n')).toMatch(/"other" fails on amd64 too .* does not list it/);
  });

  it('fails on a stale entry: a listed test that now passes', () => {
    const v = verdict({ ...expectedArm, a: ok({ 'reads the test CA': 'passed', works: 'passed' }) }, expectedAmd);
    expect(v.problems.join('\n')).toMatch(/lists a "reads the test CA", which passed on the ARM target \(stale/);
  });

  it('reports a test that failed under emulation and passed a re-run as flaky, not as a problem', () => {
    const v = verdict({ ...expectedArm, a: ok({ 'reads the test CA': 'failed', works: 'flaky' }) }, expectedAmd);
    expect(v.problems).toEqual([]);
    expect(v.flaky).toEqual([{ suite: 'a', test: 'works' }]);
    expect(v.refusedSuites).toEqual([]);
  });

  it('names the suites refused by a problem of their own, and only those (their results must run again)', () => {
    const v = verdict({ ...expectedArm, a: ok({ 'reads the test CA': 'failed', works: 'failed' }) }, expectedAmd);
    expect(v.refusedSuites).toEqual(['a']);
    const broken = verdict({ ...expectedArm, b: { built: false, buildError: 'no', tests: {} } }, expectedAmd, ['a', 'b'], EXPECTATIONS.replace(/emulation:[\s\S]*/, ''));
    expect(broken.refusedSuites).toEqual(['b']);
  });

  it('fails, with the compiler message, on a suite whose tests do not compile for the target (not a skip)', () => {
    const v = verdict({ ...expectedArm, b: { built: false, buildError: 'x_test.go:3:1: undefined: atomicAlign', tests: {} } }, expectedAmd);
    expect(v.problems.join('\n')).toMatch(/b: its tests do not compile for the target:\s+x_test.go:3:1: undefined: atomicAlign/);
  });
});

describe('the expectations file', () => {
  const load = (text: string) => runMjs<{ error?: string }>(`const f = await lib('go/fidelity'); try { f.loadExpectations(input, 'stacks/fidelity/x.yml'); out({}); } catch (e) { out({ error: e.message }); }`, text);

  it('needs a one-line reason on every entry, naming file and path', () => {
    expect(load('both_fail:\n  - suite: a\n    test: t\n').error).toMatch(/stacks\/fidelity\/x.yml: both_fail\[0\].reason is missing or empty \(fix: /);
  });

  it('refuses unknown keys and duplicate entries', () => {
    expect(load('skip: []\n').error).toMatch(/unknown key\(s\) skip/);
    expect(load('both_fail:\n  - {suite: a, test: t, reason: r}\n  - {suite: a, test: t, reason: r}\n').error).toMatch(/listed twice/);
  });

  it('accepts the checked-in diego-release file', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    expect(load(readFileSync(`${__dirname}/../../stacks/fidelity/diego-release.yml`, 'utf8')).error).toBeUndefined();
  });
});

describe('the table', () => {
  it('prints package × arch → passed / failed / skipped / time, and the suites left out with why', () => {
    const table = runMjs<string>(
      `const f = await lib('go/fidelity'); out(f.renderTable([{ suite: 'diego:healthcheck', arch: 'armhf', passed: 12, failed: 0, skipped: 1, seconds: 2.5, cached: false, built: true }], [{ suite: 'diego:rep/cmd/rep', reason: 'needs a BBS' }]));`,
    );
    expect(table).toMatch(/^package\s+arch\s+passed\s+failed\s+skipped\s+time\n/);
    expect(table).toMatch(/diego:healthcheck\s+armhf\s+12\s+0\s+1\s+2.5s\n/);
    expect(table).toMatch(/diego:rep\/cmd\/rep\s+skipped \(out of scope: needs a BBS\)/);
  });
});
