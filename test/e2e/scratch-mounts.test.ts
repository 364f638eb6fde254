import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMjs } from '../support/mjs';
import { outcome, run } from '../support/run';

// A bootstrap killed with SIGKILL leaves mmdebstrap's chroot in its scratch folder with proc, sys, dev/pts
// and dev/shm still mounted. The step's next run must unmount them before removing the folder. Here a real
// tmpfs stands for those mounts (root, as setup and the plan steps run).

const parent = mkdtempSync(join(tmpdir(), 'se-scratch-mounts-'));
const out = join(parent, 'out');
/** A pid that ran and ended: what a killed run's scratch folder carries. */
const deadPid = spawnSync('true').pid;
const dead = join(parent, `.out.mmdebstrap-${deadPid}-abc123`);
const mountPoint = join(dead, 'chroot', 'proc');
const mountsHere = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(parent));

beforeAll(() => {
  mkdirSync(mountPoint, { recursive: true });
  expect(outcome(run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'se-scratch-test', mountPoint]))).toEqual({ status: 0, tail: '' });
  writeFileSync(join(mountPoint, 'inside-the-mount'), 'x');
});

afterAll(() => {
  for (const m of mountsHere().map((l) => l.split(' ')[4]).reverse()) run('umount', ['--lazy', m]);
  rmSync(parent, { recursive: true, force: true });
});

describe('a killed run\'s scratch folder with mounts in it', () => {
  it('is unmounted and removed by the next run\'s scratchBeside, which makes its own', () => {
    expect(mountsHere()).toHaveLength(1);
    const made = runMjs<string>("const { scratchBeside } = await lib('step/step'); out(scratchBeside(input.out, 'mmdebstrap'));", { out });
    expect(mountsHere()).toEqual([]);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(parent)).toEqual([made.slice(parent.length + 1)]);
    expect(made).toMatch(new RegExp(`/\\.out\\.mmdebstrap-\\d+-\\w+$`));
  });
});
