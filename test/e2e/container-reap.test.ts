import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outcome, run, RunResult } from '../support/run';

// A step killed with SIGKILL cannot remove its containers; their names carry its pid
// (<prefix><pid>-<time>...), and the step's next run removes those whose pid no longer runs.
// Real Docker Engine, no qemu: the containers are created from an empty image and never started.
jest.setTimeout(5 * 60_000);

const IMAGE = 'stack-elevator/container-reap-test:empty';
const work = mkdtempSync(join(tmpdir(), 'se-container-reap-'));
/** A pid that ran and ended: what a killed run's containers carry. */
const deadPid = spawnSync('true').pid;

function docker(args: string[]): string {
  const r = run('docker', args);
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const exists = (name: string) => docker(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Names}}']).trim() === name;

/** A package-check context whose base is the empty image: the check reaps, then fails on its `docker run` (no shell). */
function emptyBaseContext(): string {
  const context = join(work, 'context');
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, 'base.json'), JSON.stringify({ kind: 'image', ref: IMAGE }));
  writeFileSync(join(context, 'packages.txt'), 'coreutils\n');
  return context;
}

const STEPS: { step: string; prefix: string; reapedLine: string; runFailing: () => RunResult }[] = [
  {
    step: 'try-app',
    prefix: 'se-try-app-',
    reapedLine: 'of try-app runs that no longer run:',
    // Fails on its missing app dir, after the removal.
    runFailing: () => run(process.execPath, ['pipelines/try-app.mjs', join(work, 'no-such-app')]),
  },
  {
    step: 'check-rootfs-packages',
    prefix: 'se-check-packages-',
    reapedLine: 'of package checks that no longer run:',
    runFailing: () => run(process.execPath, ['pipelines/check-rootfs-packages.mjs', `--root=${work}`, `--artifacts=${work}`, `--out=${join(work, 'check-out')}`, `--context=${emptyBaseContext()}`, '--platform=linux/amd64', '--network=none']),
  },
];

beforeAll(() => {
  const tar = run('sh', ['-c', `tar -cf ${join(work, 'empty.tar')} --files-from /dev/null && docker import ${join(work, 'empty.tar')} ${IMAGE}`]);
  expect(outcome(tar)).toEqual({ status: 0, tail: '' });
});

afterAll(() => {
  for (const { prefix } of STEPS) for (const pid of [deadPid, process.pid]) run('docker', ['rm', '-f', '-v', `${prefix}${pid}-reaptest`]);
  run('docker', ['rmi', IMAGE]);
  rmSync(work, { recursive: true, force: true });
});

describe.each(STEPS)('$step removes the containers of killed runs', ({ prefix, reapedLine, runFailing }) => {
  it('on its next start, whatever it then does: a dead run\'s container goes, a running one\'s stays', () => {
    const dead = `${prefix}${deadPid}-reaptest`;
    const live = `${prefix}${process.pid}-reaptest`;
    for (const name of [dead, live]) docker(['create', '--name', name, IMAGE, '/none']);
    expect(exists(dead)).toBe(true);
    const r = runFailing();
    // The run itself fails, in one line, after the removal.
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain(`${reapedLine} ${dead}`);
    expect(exists(dead)).toBe(false);
    expect(exists(live)).toBe(true);
  });
});
