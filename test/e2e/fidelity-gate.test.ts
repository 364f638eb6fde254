import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

// The fidelity gate (pipelines/fidelity.mjs) on its own fixture tree (test/fixtures/fidelity: a counter
// updated with 64-bit atomics) and on the pinned diego-release's healthcheck suite.
jest.setTimeout(1_200_000);

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'fidelity');
const work = mkdtempSync(join(tmpdir(), 'se-fidelity-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fixturePlan = {
  release: 'fidelity-fixture',
  arch: 'armhf',
  moduleDir: 'code.cloudfoundry.org',
  roots: ['counter'],
  upstream: { release: 'fidelity-fixture', version: 'v1', repo: '' },
  expectationsSource: 'fixture.yml',
};

/**
 * The fixture's gates keep their test binaries and results under this file's own root, so that a result
 * kept by an earlier run of this file (the flaky test's accepted re-run, say) is never met again; the
 * pinned diego tree's gate uses the project's, whose extracted tree and caches it shares with the plan.
 */
const FIXTURE_ROOT = join(work, 'root');

function gate(name: string, plan: object, expectations: string, upstreamDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}, root = FIXTURE_ROOT) {
  const artifacts = join(work, name);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'plan.json'), JSON.stringify(plan));
  writeFileSync(join(artifacts, 'expectations.yml'), expectations);
  const res = run(process.execPath, ['pipelines/fidelity.mjs', `--root=${root}`, `--artifacts=${artifacts}`, `--out=${join(artifacts, 'out')}`, '--plan=plan.json', '--expectations=expectations.yml', `--upstream-dir=${upstreamDir}`, ...extra], { env });
  return { ...res, out: join(artifacts, 'out') };
}

/** A copy of the fixture tree with one file replaced or added. */
function fixtureWith(name: string, file: string, text: (old: string) => string): string {
  const dir = join(work, `tree-${name}`);
  cpSync(FIXTURE, dir, { recursive: true });
  const p = join(dir, 'fidelity-fixture-v1', 'src', 'code.cloudfoundry.org', file);
  let old = '';
  try {
    old = readFileSync(p, 'utf8');
  } catch {
    /* a new file */
  }
  writeFileSync(p, text(old));
  return dir;
}

describe('the fidelity gate', () => {
  it('passes the fixture on armhf under qemu, prints the table and records a report', () => {
    const r = gate('ok', fixturePlan, 'out_of_scope: []\n', FIXTURE);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^package\s+arch\s+passed\s+failed\s+skipped\s+time$/m);
    expect(r.stdout).toMatch(/^fidelity-fixture:counter\s+armhf\s+2\s+0\s+0\s+/m);
    const report = JSON.parse(readFileSync(join(r.out, 'report.json'), 'utf8'));
    expect(report.suites.counter.tests).toEqual({ TestHitCounts: { arm: 'passed' }, TestReadyAfterHit: { arm: 'passed' } });
    // unchanged: runs nothing
    const again = gate('ok', fixturePlan, 'out_of_scope: []\n', FIXTURE);
    expect(outcome(again)).toEqual({ status: 0, tail: '' });
    expect(again.stdout).toMatch(/nothing to do/);
  });

  it('fails on an ARM-only bug (a 64-bit atomic field made unaligned), naming the test; amd64 passes it', () => {
    const tree = fixtureWith('unaligned', 'counter/counter.go', (s) => s.replace('\thits  int64\n\tready bool\n', '\tready bool\n\thits  int64\n'));
    const r = gate('unaligned', fixturePlan, 'out_of_scope: []\n', tree);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/counter: "TestHitCounts" FAILS on the ARM target, passed on amd64: fidelity failure/);
    expect(r.stderr).toMatch(/unaligned 64-bit atomic operation/);
  });

  it('runs a refused suite again next time rather than replaying its failure', () => {
    const tree = fixtureWith('unaligned-again', 'counter/counter.go', (s) => s.replace('\thits  int64\n\tready bool\n', '\tready bool\n\thits  int64\n'));
    gate('unaligned-again', fixturePlan, 'out_of_scope: []\n', tree);
    const again = gate('unaligned-again', fixturePlan, 'out_of_scope: []\n', tree);
    expect(again.stderr).toMatch(/"TestHitCounts" FAILS on the ARM target/);
    // the first ARM run and both re-runs happen again: nothing of the refused verdict was kept
    expect(again.stdout.match(/counter armhf: \d+ passed, \d+ failed/g)).toHaveLength(3);
  });

  it('reports a test that fails once under emulation and passes its re-run as flaky, and passes the gate', () => {
    // fails the first time it runs anywhere (ARM runs first), passes afterwards: a timing flake's shape
    const tree = fixtureWith('flaky', 'counter/flaky_test.go', () => 'package counter\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestOnceLate(t *testing.T) {\n\tmark := os.Getenv("FIDELITY_FLAKE_MARK")\n\tif mark == "" {\n\t\treturn\n\t}\n\tif _, err := os.Stat(mark); err != nil {\n\t\t_ = os.WriteFile(mark, []byte("ran"), 0o644)\n\t\tt.Fatal("missed its timing window")\n\t}\n}\n');
    const r = gate('flaky', fixturePlan, 'out_of_scope: []\n', tree, [], { FIDELITY_FLAKE_MARK: join(work, 'flake-mark') });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^fidelity-fixture:counter\s+flaky under emulation \(failed, then passed a re-run\): "TestOnceLate"$/m);
    const report = JSON.parse(readFileSync(join(r.out, 'report.json'), 'utf8'));
    expect(report.suites.counter.tests.TestOnceLate).toEqual({ arm: 'flaky', amd64: 'passed' });
    expect(report.flaky).toEqual([{ suite: 'counter', test: 'TestOnceLate' }]);
  });

  it('fails, with the compiler message, when the tests do not compile for ARM (not a skip)', () => {
    const tree = fixtureWith('nocompile', 'counter/arm_test.go', () => '//go:build arm\n\npackage counter\n\nvar wordSize int = "4"\n');
    const r = gate('nocompile', fixturePlan, 'out_of_scope: []\n', tree);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/counter: its tests do not compile for the target:[\s\S]*arm_test.go:5:\d+: cannot use "4"/);
  });

  it('fails on a stale expectation and on a failure on both sides that is not listed', () => {
    const stale = gate('stale', fixturePlan, 'both_fail:\n  - {suite: counter, test: TestHitCounts, reason: was broken}\n', FIXTURE);
    expect(stale.status).not.toBe(0);
    expect(stale.stderr).toMatch(/lists counter "TestHitCounts", which passed on the ARM target \(stale: remove the entry\)/);
    const tree = fixtureWith('bothfail', 'counter/env_test.go', () => 'package counter\n\nimport "testing"\n\nfunc TestNeedsDatabase(t *testing.T) { t.Fatal("no database at 127.0.0.1:5432") }\n');
    const both = gate('bothfail', fixturePlan, 'out_of_scope: []\n', tree);
    expect(both.stderr).toMatch(/"TestNeedsDatabase" fails on amd64 too \(environment-dependent\), and fixture.yml does not list it/);
    const listed = gate('bothfail-listed', fixturePlan, 'both_fail:\n  - {suite: counter, test: TestNeedsDatabase, reason: needs a database}\n', tree);
    expect({ status: listed.status, stderr: listed.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it("runs diego-release's healthcheck suite on armhf under qemu as on amd64", () => {
    const plan = {
      release: 'diego-release', arch: 'armhf', goarm: 7, moduleDir: 'code.cloudfoundry.org', roots: ['buildpackapplifecycle', 'diego-ssh', 'healthcheck', 'rep', 'route-emitter'],
      upstream: JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')).upstream['diego-release'],
      expectationsSource: 'stacks/fidelity/diego-release.yml',
    };
    const expectations = readFileSync(join(PROJECT_ROOT, 'stacks', 'fidelity', 'diego-release.yml'), 'utf8');
    const r = gate('healthcheck', { ...plan, upstream: { release: 'diego-release', version: 'v2.105.0', repo: '', ...plan.upstream } }, expectations, join(PROJECT_ROOT, '..', 'shared', 'fixtures', 'upstream'), ['--only=healthcheck'], {}, PROJECT_ROOT);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^diego:healthcheck\s+armhf\s+12\s+0\s+0\s+/m);
  });
});
