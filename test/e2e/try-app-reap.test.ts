import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outcome, run } from '../support/run';

// A try-app killed with SIGKILL cannot remove its containers; their names carry its pid
// (se-try-app-<pid>-<time>-<role>), and the next try-app removes those whose pid no longer runs.
// Real Docker Engine, no qemu: the containers are created from an empty image and never started.
jest.setTimeout(5 * 60_000);

const IMAGE = 'stack-elevator/try-app-reap-test:empty';
const work = mkdtempSync(join(tmpdir(), 'se-try-app-reap-'));
/** A pid that ran and ended: what a killed try-app's containers carry. */
const deadPid = spawnSync('true').pid;
const dead = `se-try-app-${deadPid}-reaptest-stage`;
const live = `se-try-app-${process.pid}-reaptest-stage`;

function docker(args: string[]): string {
  const r = run('docker', args);
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const exists = (name: string) => docker(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Names}}']).trim() === name;

beforeAll(() => {
  const tar = run('sh', ['-c', `tar -cf ${join(work, 'empty.tar')} --files-from /dev/null && docker import ${join(work, 'empty.tar')} ${IMAGE}`]);
  expect(outcome(tar)).toEqual({ status: 0, tail: '' });
  for (const name of [dead, live]) docker(['create', '--name', name, IMAGE, '/none']);
});

afterAll(() => {
  for (const name of [dead, live]) run('docker', ['rm', '-f', '-v', name]);
  run('docker', ['rmi', IMAGE]);
  rmSync(work, { recursive: true, force: true });
});

describe('try-app removes the containers of killed runs', () => {
  it('on its next start, whatever it then does: a dead run\'s container goes, a running one\'s stays', () => {
    expect(exists(dead)).toBe(true);
    const r = run(process.execPath, ['pipelines/try-app.mjs', join(work, 'no-such-app')]);
    // The run itself fails on its missing app dir, in one line, after the removal.
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain(`of try-app runs that no longer run: ${dead}`);
    expect(exists(dead)).toBe(false);
    expect(exists(live)).toBe(true);
  });
});
