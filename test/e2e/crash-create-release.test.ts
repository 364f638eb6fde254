import { join } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { outcome, run } from '../support/run';

/**
 * The create-release case of `npm run crash-check`: the plan's buildpack release step (real bosh
 * create-release) is SIGKILLed before every file-system step beside its output and at timed moments; the
 * output must always be the complete old or complete new release (fingerprints, and a tarball matching
 * its release.json), and the next run must clean up and give the same release.
 */
describe('crash consistency of a real plan step: create-release', () => {
  beforeAll(() => {
    const tsc = run(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
    expect(tsc.stdout + tsc.stderr).toBe('');
  }, 300_000);

  it('keeps the release output complete (old or new) whenever create-release is killed, and the next run cleans up', () => {
    const res = run(process.execPath, ['pipelines/crash-check.mjs', '--only=create-release', '--kills=3', '--seed=24'], { env: { STACK_ELEVATOR_UPSTREAM: UPSTREAM_FIXTURES }, timeoutMs: 500_000 });
    const out = res.stdout + res.stderr;
    expect(out).not.toContain('VIOLATION');
    expect(out).toMatch(/^create-release\s+\|\s+\d+\s+\|\s+[1-9]\d* swap steps \+ 3 timed .*\|\s+0\s+\|/m);
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
  }, 600_000);
});
