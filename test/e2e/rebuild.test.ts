import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { rebuildStepOut, REPRODUCED_STEPS, reproducibleFiles, sha256Of } from '../support/reproducible-files';
import { outcome, run } from '../support/run';

/**
 * `npm run rebuild`: every artifact step of the default lab rebuilt from the lock with a fresh state,
 * twice: the first run records the receipt, the second must reproduce every recorded step bit for bit.
 */
const RECEIPT = join('build', 'e2e-rebuild', 'receipt.json');

const rebuild = (...extra: string[]) =>
  run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'rebuild.mjs'), `--receipt=${RECEIPT}`, ...extra], {
    env: { STACK_ELEVATOR_UPSTREAM: relative(PROJECT_ROOT, UPSTREAM_FIXTURES), DOCKER_BUILDKIT: '0' },
    timeoutMs: 40 * 60_000,
  });

describe('a lab rebuilt from its lock', () => {
  beforeAll(() => {
    rmSync(join(PROJECT_ROOT, 'build', 'e2e-rebuild'), { recursive: true, force: true });
    // rebuild.mjs synthesizes with dist/: build it from the sources as they are now.
    const build = run('npm', ['run', '-s', 'build']);
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  }, 10 * 60_000);

  it('reproduces every recorded step bit for bit', () => {
    const recordRun = rebuild('--record');
    expect(outcome(recordRun)).toEqual({ status: 0, tail: '' });
    const receipt = JSON.parse(readFileSync(join(PROJECT_ROOT, RECEIPT), 'utf8')) as { steps: Record<string, { outputs: Record<string, string> }>; unfinished: string[] };
    const recorded = Object.keys(receipt.steps).sort();
    expect(recorded).toEqual(expect.arrayContaining(['lab-diego-cell-armhf-create', 'lab-diego-controlplane-create', 'lab-rootfs-release-rpifs-create', 'lab-rootfs-rpifs-export', 'lab-lifecycle-armhf-sshd-compile', 'lab-compiled-diego-cell-armhf-rpi-compile', 'lab-compiled-rootfs-rpifs-rpi-compile']));
    expect(Object.keys(receipt.steps['lab-rootfs-rpifs-export'].outputs)).toContain('rootfs.tgz');
    expect(Object.keys(receipt.steps['lab-rootfs-rpifs-bootstrap'].outputs)).toContain('base.json');
    expect(receipt.unfinished).toEqual([]);

    // Hash the outputs here, then delete them, so the second rebuild must make every byte again.
    const files = reproducibleFiles();
    const before = sha256Of(files);
    for (const id of REPRODUCED_STEPS) rmSync(rebuildStepOut(id), { recursive: true, force: true });

    const again = rebuild();
    expect(again.stderr).not.toMatch(/rebuilt bits differ/);
    expect(again.stdout).toContain(`rebuild: same bits as ${RECEIPT}: ${recorded.length} of ${recorded.length} recorded step(s)`);
    expect(outcome(again)).toEqual({ status: 0, tail: '' });
    // the bytes themselves, compared by this test: the rebuilt files are new and identical
    expect(sha256Of(reproducibleFiles())).toEqual(before);
    expect(Object.values(before).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  }, 45 * 60_000);
});
