import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { run } from '../support/run';

/**
 * `npm run rebuild`: every artifact step of the default lab rebuilt from the lock with a fresh state,
 * twice: the first run records the receipt, the second must reproduce every recorded step bit for bit.
 */
const RECEIPT = join('build', 'e2e-rebuild', 'receipt.json');
const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')) as { goModules: Record<string, string> };
const LIFECYCLE_PINNED = ['code.cloudfoundry.org/buildpackapplifecycle', 'code.cloudfoundry.org/healthcheck'].every((m) => m in lock.goModules);

const rebuild = (...extra: string[]) =>
  run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'rebuild.mjs'), `--receipt=${RECEIPT}`, ...extra], {
    env: { STACK_ELEVATOR_UPSTREAM: relative(PROJECT_ROOT, UPSTREAM_FIXTURES), DOCKER_BUILDKIT: '0' },
    timeoutMs: 40 * 60_000,
  });

describe('a lab rebuilt from its lock', () => {
  beforeAll(() => rmSync(join(PROJECT_ROOT, 'build', 'e2e-rebuild'), { recursive: true, force: true }));

  it('reproduces every recorded step bit for bit', () => {
    const recordRun = rebuild('--record');
    const receipt = JSON.parse(readFileSync(join(PROJECT_ROOT, RECEIPT), 'utf8')) as { steps: Record<string, { outputs: Record<string, string> }>; unfinished: string[] };
    const recorded = Object.keys(receipt.steps).sort();
    expect(recorded).toEqual(expect.arrayContaining(['lab-diegocell-armhf-createrelease', 'lab-diegocontrolplane-createrelease', 'lab-rootfs-release-rpifs-create', 'lab-rootfs-rpifs-export', 'lab-lifecycle-armhf-compilesshd-step']));
    expect(Object.keys(receipt.steps['lab-rootfs-rpifs-export'].outputs)).toContain('rootfs.tgz');
    expect(Object.keys(receipt.steps['lab-rootfs-rpifs-build'].outputs)).not.toContain('image.json');
    if (LIFECYCLE_PINNED) {
      expect(recordRun.status).toBe(0);
      expect(receipt.unfinished).toEqual([]);
    } else {
      // Known gap (docs/pins.md): these cannot build until their module pins exist.
      expect(recordRun.status).toBe(1);
      expect(receipt.unfinished.sort()).toEqual(['lab-lifecycle-armhf-compilebundle-step', 'lab-lifecycle-armhf-compilehealthcheck-step', 'lab-receipt', 'lab-tryapp-rpifs']);
    }

    const again = rebuild();
    expect(again.stderr).not.toMatch(/rebuilt bits differ/);
    expect(again.stdout).toContain(`rebuild: same bits as ${RECEIPT}: ${recorded.length} of ${recorded.length} recorded step(s)`);
    expect(again.status).toBe(LIFECYCLE_PINNED ? 0 : 1);
  }, 45 * 60_000);
});
