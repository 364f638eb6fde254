import { join } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { run } from '../support/run';

/**
 * The crash harness's own check that no process of a killed run is left: with --self-test=leaked-process
 * the skeleton step's demo starts a process that leaves its process group halfway (setsid), so no kill
 * reaches it. The harness must report it as a violation (after the grace it gives a dying group), exit
 * non-zero, and still leave no such process behind once it ends.
 */
const leaked = () => run('ps', ['-eo', 'pid=,args=']).stdout.split('\n').filter((l) => /^\s*\d+ sleep 47$/.test(l));

describe('crash-check reports a process that escaped the kill', () => {
  it('names it as a violation, fails, and kills it before it ends', () => {
    const before = leaked();
    const res = run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'crash-check.mjs'), '--only=step', '--kills=1', '--seed=5', '--self-test=leaked-process'], { env: { STACK_ELEVATOR_UPSTREAM: UPSTREAM_FIXTURES }, timeoutMs: 300_000 });
    expect(res.stdout).toMatch(/^VIOLATION step \(skeleton\) killed .*: processes left running: \d+/m);
    expect(res.stdout).toMatch(/^step\s+\|\s+\d+\s+\|.*\|\s+[1-9]\d*\s+\|/m); // the table counts the violations
    expect(res.status).toBe(1);
    expect(leaked()).toEqual(before);
  }, 360_000);
});
