import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { rebuildStepOut, REPRODUCED_STEPS, reproducibleFiles, sha256Of } from '../support/reproducible-files';
import { run } from '../support/run';

/**
 * OPT-IN LONG RUN (STACK_ELEVATOR_COLD=1 npm run test:cold; otherwise jest reports it skipped): the lab
 * rebuilt once as usual, then again from cold caches (`npm run rebuild -- --cold`: a new mmdebstrap base
 * tarball, the base image imported again, the rootfs image built without the Docker layer cache, an empty
 * Go build cache). The bytes of the reproducible artifacts, hashed here, must be the same. It bootstraps
 * Debian and installs the whole package list under qemu twice, which CI cannot afford on every push.
 */
const COLD = process.env.STACK_ELEVATOR_COLD === '1';
const WORK = join('build', 'e2e-rebuild-cold');
const RECEIPT = join(WORK, 'receipt.json');
const BASE_CACHE = join(PROJECT_ROOT, 'build', 'cache', 'rootfs-base');
const GOCACHE = join(PROJECT_ROOT, 'build', 'rebuild', 'cold-gocache');

const rebuild = (...extra: string[]) =>
  run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'rebuild.mjs'), `--receipt=${RECEIPT}`, ...extra], {
    // The switch the cold rebuild sets for its own steps must not leak into the warm one.
    env: { STACK_ELEVATOR_UPSTREAM: relative(PROJECT_ROOT, UPSTREAM_FIXTURES), DOCKER_BUILDKIT: '0', STACK_ELEVATOR_NO_CACHE: '', GOCACHE: undefined },
    timeoutMs: 60 * 60_000,
  });

const newestBaseTarballMtime = () => Math.max(...readdirSync(BASE_CACHE).map((k) => statSync(join(BASE_CACHE, k, 'base.tar')).mtimeMs));

(COLD ? describe : describe.skip)('a lab rebuilt from cold caches (opt-in: STACK_ELEVATOR_COLD=1)', () => {
  beforeAll(() => {
    rmSync(join(PROJECT_ROOT, WORK), { recursive: true, force: true });
    const build = run('npm', ['run', '-s', 'build']);
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  }, 10 * 60_000);

  it('makes the same bytes as a warm rebuild', () => {
    const warm = rebuild('--record');
    if (warm.status !== 0) throw new Error(`warm rebuild failed:\n${warm.stdout.slice(-4000)}\n${warm.stderr.slice(-4000)}`);
    const warmBytes = sha256Of(reproducibleFiles());
    for (const id of REPRODUCED_STEPS) rmSync(rebuildStepOut(id), { recursive: true, force: true });

    const coldStart = Date.now();
    const cold = rebuild('--cold');
    if (cold.status !== 0) throw new Error(`cold rebuild failed:\n${cold.stdout.slice(-6000)}\n${cold.stderr.slice(-4000)}`);

    // It really was cold: a new base tarball from mmdebstrap, a new base import, no layer cache, a Go cache it filled itself.
    expect(cold.stdout).toContain('cold: caches dropped, 1 docker_image(s) build without the layer cache');
    const coldLog = cold.stdout + cold.stderr;
    expect(coldLog).toMatch(/bootstrapping \S+ for armhf with mmdebstrap/);
    expect(coldLog).toMatch(/importing the base tarball as stack-elevator\/base-/);
    expect(newestBaseTarballMtime()).toBeGreaterThanOrEqual(coldStart);
    const tf = JSON.parse(readFileSync(join(PROJECT_ROOT, 'build', 'rebuild', 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'), 'utf8')) as { resource: { docker_image: Record<string, { build: { no_cache?: boolean } }> } };
    expect(Object.values(tf.resource.docker_image).map((i) => i.build.no_cache)).toEqual([true]);
    expect(existsSync(GOCACHE) && readdirSync(GOCACHE).length).toBeGreaterThan(1);

    // The bytes, hashed by this test: every reproducible artifact is new and the same as the warm build's.
    const coldBytes = sha256Of(reproducibleFiles());
    // ctime, not mtime: the steps clamp mtimes, and nothing can set a ctime back.
    for (const f of Object.values(reproducibleFiles())) expect(statSync(f).ctimeMs).toBeGreaterThanOrEqual(coldStart);
    expect(coldBytes).toEqual(warmBytes);
    expect(cold.stdout).toMatch(/rebuild: same bits as \S+: (\d+) of \1 recorded step\(s\)/);
  }, 130 * 60_000);
});
