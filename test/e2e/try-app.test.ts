import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, UPSTREAM_FIXTURES, writeLab } from '../support/lab-files';
import { lifecycleBundleFromRelease } from '../support/lifecycle-bundle-from-release';
import { outcome, run, type RunResult } from '../support/run';
import { buildSampleApp } from '../support/sample-app';
import { rpifsRootfsTarball } from '../support/try-app-rootfs';

// try-app on the real Docker Engine under qemu-arm: the lab's rpifs rootfs (built by the pipeline's own
// rootfs steps), an ARM lifecycle bundle built from the pinned diego-release tree, and the ARM binary
// buildpack built by its plan script. The first run on a machine pays for the rootfs and the Go builds.
jest.setTimeout(40 * 60_000);

const WORK = join(PROJECT_ROOT, 'build', 'test-try-app');
let rootfs: string;
let bundle: string;
let buildpackZip: string;
let armApp: string;

/** Names of every container try-app could have left (its names start with se-try-app-). */
function tryAppContainers(): string[] {
  const r = run('docker', ['ps', '-a', '--filter', 'name=se-try-app-', '--format', '{{.Names}}']);
  if (r.status !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).sort();
}

function tryApp(app: string, extra: string[] = [], withInputs = true): RunResult {
  const inputs = withInputs ? [`--rootfs=${rootfs}`, `--bundle=${bundle}`, `--buildpack-zip=${buildpackZip}`] : [];
  return run('node', ['pipelines/try-app.mjs', app, ...inputs, ...extra], { timeoutMs: 15 * 60_000 });
}

/** A bad input: one line on stderr, non-zero, and no container left behind. */
function expectOneLineFailure(r: RunResult, before: string[], pattern: RegExp): void {
  expect(r.status).not.toBe(0);
  expect(r.stderr.trim()).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(tryAppContainers()).toEqual(before);
}

beforeAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  rootfs = rpifsRootfsTarball();
  bundle = lifecycleBundleFromRelease('arm', '7');
  const bp = run('node', [
    'pipelines/build-buildpack.mjs', `--out=${join(WORK, 'buildpack')}`, '--stack=rpifs', '--goarch=arm', '--goarm=7', '--version=v1.1.27',
    '--sha256=89e143724eadd8c0d35260b46b7b435a9f842948c73dbdd66544bbe5f656b2ec', `--source=${join(UPSTREAM_FIXTURES, 'binary-buildpack-v1.1.27-src.tgz')}`,
  ]);
  if (bp.status !== 0) throw new Error(`build-buildpack failed: ${bp.stderr}`);
  buildpackZip = join(WORK, 'buildpack', 'binary_buildpack-rpifs-v1.1.27.zip');
  armApp = buildSampleApp(join(WORK, 'apps'), 'arm');
});

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('npm run try-app: a local Diego cell on the rpifs stack', () => {
  it('stages the sample app with the ARM binary buildpack, runs it, passes the healthcheck and answers ssh with armv7l', () => {
    const before = tryAppContainers();
    const r = tryApp(armApp, ['--start-command=./hello-arm']);
    expect(r.stderr).toBe('');
    expect(outcome(r)).toEqual({ status: 0, tail: '' });
    for (const n of [1, 2, 3, 4]) expect(r.stdout).toMatch(new RegExp(`^\\[try-app\\] phase ${n}/4 .*: passed in \\d+\\.\\d s$`, 'm'));
    // The app's own answer: it runs as an ARM binary on an ARM machine (qemu-arm reports armv7l).
    expect(r.stdout).toMatch(/GET \/ -> 200: hello from stack-elevator: uname -m=armv7l GOARCH=arm GOOS=linux/);
    expect(r.stdout).toMatch(/^\[try-app\] ssh vcap@app 'uname -m' -> armv7l$/m);
    expect(r.stdout).toMatch(/builder: -----> Binary Buildpack version 1\.1\.27/);

    const dir = /droplet and result\.json in (build\/try-app\/[0-9a-f]{16})/.exec(r.stdout)?.[1];
    expect(dir).toBeDefined();
    const result = JSON.parse(readFileSync(join(PROJECT_ROOT, dir as string, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ lifecycle_type: 'buildpack', lifecycle_metadata: { buildpack_key: 'binary_buildpack' } });
    const droplet = run('tar', ['-tzf', join(PROJECT_ROOT, dir as string, 'droplet.tgz')]);
    expect(droplet.stdout).toMatch(/^\.\/app\/hello-arm$/m);
    expect(droplet.stdout).toMatch(/^\.\/staging_info\.yml$/m);
    expect(tryAppContainers()).toEqual(before);
  });

  it('names the failed buildpack phase from the builder exit code, with the buildpack output', () => {
    const before = tryAppContainers();
    // A buildpack whose supply fails, under the binary buildpack's key. The final (here: only) buildpack's
    // supply runs inside the builder's compile phase, so the builder exits 223; 225 is a non-final supply.
    const bp = mkdtempSync(join(WORK, 'failing-bp-'));
    mkdirSync(join(bp, 'bin'));
    writeFileSync(join(bp, 'bin', 'supply'), '#!/bin/bash\necho "-----> checking the app"\necho "no frobnicator.yml in the app" >&2\nexit 7\n', { mode: 0o755 });
    writeFileSync(join(bp, 'bin', 'finalize'), '#!/bin/bash\nexit 0\n', { mode: 0o755 });
    writeFileSync(join(bp, 'bin', 'release'), '#!/bin/bash\necho "--- {}"\n', { mode: 0o755 });
    const zip = join(WORK, 'failing-bp.zip');
    expect(run('zip', ['-q', '-r', zip, 'bin'], { cwd: bp }).status).toBe(0);
    const r = run('node', ['pipelines/try-app.mjs', armApp, `--rootfs=${rootfs}`, `--bundle=${bundle}`, `--buildpack-zip=${zip}`, '--start-command=./hello-arm'], { timeoutMs: 15 * 60_000 });
    expect(r.stdout).toMatch(/^\[try-app\] phase 1\/4 stage with binary_buildpack: FAILED after \d+\.\d s$/m);
    // the buildpack's stdout and stderr interleave as the container streams them: either order is the same output
    expectOneLineFailure(r, before, /^try-app: staging failed: buildpack compile failed \(builder exit 223\); last buildpack output: .*no frobnicator\.yml in the app( \| [^|]*)? \| Failed to compile droplet: Failed to run all supply scripts: exit status 7$/);
  });

  it('reports an app that never becomes healthy with its last log lines and the healthcheck error', () => {
    const before = tryAppContainers();
    const r = tryApp(armApp, ['--start-command=echo started but listening nowhere; sleep 600', '--health-timeout=20']);
    expect(r.stdout).toMatch(/^\[try-app\] phase 3\/4 healthcheck -port=8080 -uri=\/: FAILED after \d+\.\d s$/m);
    expectOneLineFailure(r, before, /^try-app: the app never became healthy in 20 s \(\d+ checks\); healthcheck: .+; app log: .*started but listening nowhere/);
  });

  it('names an x86 binary pushed to the ARM stack as an exec format error before staging', () => {
    const before = tryAppContainers();
    const x86 = buildSampleApp(join(WORK, 'apps'), 'amd64');
    const r = tryApp(x86, ['--start-command=./hello-arm']);
    expectOneLineFailure(r, before, /^try-app: hello-arm is x86-64, stack rpifs runs ARM 32-bit \(armv7l\): starting it fails with "exec format error" \(fix: build it with GOOS=linux GOARCH=arm GOARM=7\)$/);
  });

  it('names a missing app dir, an empty app dir and an unknown stack in one line each', () => {
    const before = tryAppContainers();
    expectOneLineFailure(tryApp(join(WORK, 'no-such-app')), before, /^try-app: app directory \S+no-such-app does not exist/);
    const empty = mkdtempSync(join(WORK, 'empty-'));
    expectOneLineFailure(tryApp(empty), before, /^try-app: app directory \S+empty-\w+ is empty: nothing to push/);
    expectOneLineFailure(tryApp(armApp, ['--stack=cflinuxfs4']), before, /^try-app: unknown stack "cflinuxfs4": \S*lab\.yaml declares rpifs \(fix: --stack=rpifs\)$/);
    expect(existsSync(join(WORK, 'no-such-app'))).toBe(false);
  });

  describe('the try-app gate step of the default lab plan', () => {
    let step: PlannedStep;
    let stackDir: string;
    beforeAll(() => {
      const labDir = mkdtempSync(join(WORK, 'lab-'));
      const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: writeLab(undefined, labDir), outdir: relative(PROJECT_ROOT, join(WORK, 'cdktf.out')), upstreamDir: UPSTREAM_FIXTURES, artifactsOnly: true });
      stackDir = res.stackDir;
      const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')) as { steps: PlannedStep[] };
      step = plan.steps.find((s) => s.id === 'lab-tryapp-rpifs-run') as PlannedStep;
    });

    /** The planned command, on this test's inputs (the lab's bundle step cannot build yet). */
    function runGate(out: string, startCommand = './hello-arm'): RunResult {
      const command = step.command
        .replace(/--out=\S+/, `--out=${out}`)
        .replace(/--rootfs=\S+/, `--rootfs=${rootfs}`)
        .replace(/--bundle=\S+/, `--bundle=${bundle}`)
        .replace(/--buildpack-zip=\S+/, `--buildpack-zip=${buildpackZip}`)
        .replace(/--start-command=\S+/, `--start-command=${startCommand}`);
      return run('sh', ['-c', command], { cwd: stackDir, env: { STACK_ELEVATOR_STEP: step.id }, timeoutMs: 15 * 60_000 });
    }

    it('builds the sample app for the stack from the artifacts and passes all four phases', () => {
      const before = tryAppContainers();
      const out = join(WORK, 'gate-ok');
      const r = runGate(out);
      expect(r.stderr).toBe('');
      expect(outcome(r)).toEqual({ status: 0, tail: '' });
      expect(readFileSync(join(out, 'try-app.log'), 'utf8')).toMatch(/all four phases passed/);
      expect(readFileSync(join(out, 'app', 'hello-arm')).readUInt16LE(18)).toBe(40); // EM_ARM
      expect(tryAppContainers()).toEqual(before);
    });

    it('fails the step, leaving no output, when the app does not pass', () => {
      const before = tryAppContainers();
      // out in a folder of its own: whatever the failed step leaves beside it (a half-written output under
      // another name) shows there, not only at `out`, which a step that writes elsewhere never creates
      const out = join(WORK, 'gate-fail', 'out');
      const r = runGate(out, 'false');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/try-app: the app exited before it became healthy/);
      expect(r.stderr).toMatch(/the sample app did not pass try-app on stack rpifs \(see above\); nothing reaches the director/);
      expect(readdirSync(dirname(out))).toEqual([]);
      expect(tryAppContainers()).toEqual(before);
    });
  });
});
