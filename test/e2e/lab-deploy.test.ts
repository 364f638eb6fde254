import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { rebuildStepOut, REPRODUCED_STEPS, reproducibleFiles, sha256Of } from '../support/reproducible-files';
import { outcome, run } from '../support/run';
import { processesIn } from '../support/processes';

/**
 * The whole artifact half of the default lab, run by one `cdktf deploy` on this checkout: rootfs image,
 * export, rootfs release, cross-compiles, both Diego variants (upstream tree from the fixture specs),
 * then the receipt. The first deploy is killed (SIGKILL to its whole process group) once a third of the
 * steps have finished, as a Ctrl-C that escalates or a CI timeout would: the next deploy resumes (each step
 * that finished is not run again, the rest run once), and a deploy after that runs nothing.
 * Other suites write the same content-addressed build/<step>/<trigger> directories, so before deploying the
 * test removes every planned step's output: each one found afterwards was made by this deploy.
 * Then `npm run rebuild`: `--record` takes the resumed deploy's outputs as they are, and a rebuild from a
 * fresh state, never killed, must make the same bits for every step.
 * --skip-provider-lock: cdktf's `terraform providers lock` asks the registry for every platform's
 * hashes, which no mirror answers; `terraform init` still records the mirror's hash in the lock file.
 */
const OUT = join(PROJECT_ROOT, 'build', 'e2e-deploy', 'cdktf.out');
const STACK_DIR = join(OUT, 'stacks', 'lab');
const STEPS_LOG = join(PROJECT_ROOT, 'build', 'steps.log');
const FIXTURES = relative(PROJECT_ROOT, UPSTREAM_FIXTURES);
const ENV = { STACK_ELEVATOR_SCOPE: 'artifacts', STACK_ELEVATOR_UPSTREAM: FIXTURES, CHECKPOINT_DISABLE: '1', CI: 'true', DOCKER_BUILDKIT: '0' };

const readPlan = () => JSON.parse(readFileSync(join(STACK_DIR, 'plan.json'), 'utf8')).steps as PlannedStep[];

/** The plan this deploy will run, synthesized the way cdktf does (cdktf.json's app) into the same directory. */
function synthPlan(): PlannedStep[] {
  const res = run('sh', ['-c', 'node node_modules/typescript/bin/tsc -p tsconfig.json && node dist/stacks/main.js'], { env: { ...ENV, CDKTF_OUTDIR: relative(PROJECT_ROOT, OUT) } });
  if (res.status !== 0) throw new Error(`synth failed:\n${res.stdout}${res.stderr}`);
  return readPlan();
}

/** When a directory came to be: its birth time where the file system records one, else its change time. */
const madeAt = (dir: string) => {
  const st = statSync(dir);
  return st.birthtimeMs > 0 ? st.birthtimeMs : st.ctimeMs;
};

const DEPLOY = ['cdktf', 'deploy', '--auto-approve', '--skip-provider-lock', '--output', relative(PROJECT_ROOT, OUT)];
const logLength = () => (existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8').length : 0);

/** The steps.log lines written since `before`: step id, trigger, exit 0 or not, and whether run-step reused a published output. */
function ranSince(before: number) {
  return (existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8') : '').slice(before).split('\n').filter(Boolean).map((l) => {
    const [id, trigger, exit] = l.split(' ');
    return { id, trigger, ok: exit === 'exit=0', reused: l.endsWith(' reused') };
  });
}

/** Runs `command` and adds the steps it logged. */
function withStepsRan<T extends object>(command: () => T): T & { ran: ReturnType<typeof ranSince> } {
  const before = logLength();
  return { ...command(), ran: ranSince(before) };
}

const RECEIPT = join('build', 'e2e-deploy', 'receipt.json');

/** `npm run rebuild` of the same lab, with the steps it logged. */
function rebuild(...extra: string[]) {
  return withStepsRan(() => run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'rebuild.mjs'), `--receipt=${RECEIPT}`, ...extra], { env: { STACK_ELEVATOR_UPSTREAM: FIXTURES, DOCKER_BUILDKIT: '0' }, timeoutMs: 40 * 60_000 }));
}

/** `cdktf deploy` of the artifacts scope, with the steps it logged. */
function deploy() {
  return withStepsRan(() => run('npx', DEPLOY, { env: ENV, timeoutMs: 40 * 60_000 }));
}

/** A deploy SIGKILLed, with every process it started, once `finished` steps have logged their exit. */
async function killedDeploy(finished: number) {
  const before = logLength();
  const env = { ...process.env, ...ENV, PATH: [join(PROJECT_ROOT, '.tools', 'bin'), process.env.PATH].join(delimiter) };
  const child = spawn('npx', DEPLOY, { cwd: PROJECT_ROOT, env, detached: true, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  for (const end = Date.now() + 30 * 60_000; ranSince(before).length < finished; ) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`the deploy to kill ended or stalled before ${finished} steps finished: ${JSON.stringify(ranSince(before))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(-(child.pid ?? 0), 'SIGKILL');
  await exited;
  return ranSince(before);
}

/** Processes of this checkout's deploy: working in its stack folder (terraform, the steps) or in a step's output. */
const deployProcesses = () => processesIn([OUT, ...readPlan().map((s) => join(PROJECT_ROOT, s.out))]);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function tarballsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
}

describe('one cdktf deploy of the default lab artifact steps', () => {
  let removedOuts: string[] = [];
  let start = 0;
  beforeAll(() => {
    rmSync(join(PROJECT_ROOT, 'build', 'e2e-deploy'), { recursive: true, force: true });
    removedOuts = synthPlan().map((s) => s.out);
    for (const out of removedOuts) rmSync(join(PROJECT_ROOT, out), { recursive: true, force: true });
    start = Date.now();
  }, 10 * 60_000);

  it('runs every step of the plan itself, resumes after a kill without redoing what finished, and a last deploy redoes nothing', async () => {
    const killed = await killedDeploy(Math.ceil(removedOuts.length / 3));
    for (let i = 0; i < 60 && deployProcesses().length > 0; i++) await new Promise((r) => setTimeout(r, 250));
    expect(deployProcesses()).toEqual([]); // nothing of the killed deploy runs on

    const first = deploy();
    // failed step ids and the deploy's last lines, so a red run says which step and why
    expect({ ...outcome(first), failed: first.ran.filter((r) => !r.ok).map((r) => r.id) }).toEqual({ status: 0, tail: '', failed: [] });
    const plan = readPlan();
    expect(plan.map((s) => s.out).sort()).toEqual([...removedOuts].sort());
    const byScript = (script: string) => plan.filter((s) => s.script === script);

    // The resume: a step the killed deploy finished is at most found again (reused), never run again.
    const finishedBeforeKill = killed.filter((r) => r.ok).map((r) => r.id);
    expect(finishedBeforeKill.length).toBeGreaterThanOrEqual(Math.ceil(plan.length / 3));
    expect(first.ran.filter((r) => finishedBeforeKill.includes(r.id) && !r.reused)).toEqual([]);
    const realRuns = [...killed, ...first.ran.filter((r) => !r.reused)];
    // A step the kill hit after it published its output and before it logged its exit is found and reused.
    const publishedByKill = first.ran.filter((r) => r.reused && !killed.some((k) => k.id === r.id)).map((r) => r.id);

    // Every step ran once for real across the killed deploy and its resume, in an order that respects the plan.
    const firstRuns = realRuns.map((r) => r.id);
    for (const s of plan.filter((p) => firstRuns.includes(p.id))) {
      for (const a of s.after) expect(firstRuns.indexOf(a)).toBeLessThan(firstRuns.indexOf(s.id));
    }

    const releases = byScript('create-release');
    expect(releases.map((s) => s.id).sort()).toEqual([
      'lab-buildpack-rpifs-release-create',
      'lab-diego-cell-armhf-create',
      'lab-diego-controlplane-create',
      'lab-rootfs-release-rpifs-create',
      'lab-runtime-bosh-dns-armhf-create',
      'lab-runtime-bpm-armhf-create',
      'lab-runtime-garden-runc-armhf-create',
      'lab-runtime-loggregator-agent-armhf-create',
    ]);
    for (const s of releases) {
      expect(tarballsIn(join(PROJECT_ROOT, s.out))).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(PROJECT_ROOT, s.out, 'release.json'), 'utf8')).sha256).toMatch(/^[0-9a-f]{64}$/);
    }

    // The buildpack release's package holds the very zip try-app ran (same sha256).
    const bp = plan.find((s) => s.id === 'lab-buildpack-rpifs-release-create')!;
    const tryZip = join(PROJECT_ROOT, plan.find((s) => s.id === 'lab-tryapp-rpifs-run')!.args['buildpack-zip'].replace('{root}/', ''));
    const x = join(PROJECT_ROOT, 'build', 'e2e-deploy', 'bp-release');
    rmSync(x, { recursive: true, force: true });
    expect(run('sh', ['-c', `mkdir -p "${x}/pkg" && tar -xzf "${join(PROJECT_ROOT, bp.out, tarballsIn(join(PROJECT_ROOT, bp.out))[0])}" -C "${x}" && tar -xzf "${x}/packages/binary-buildpack-rpifs.tgz" -C "${x}/pkg"`]).status).toBe(0);
    expect(sha256(join(x, 'pkg', bp.args.blob.split(':')[1]))).toBe(sha256(tryZip));

    expect([...firstRuns].sort()).toEqual(plan.map((s) => s.id).filter((id) => !publishedByKill.includes(id)).sort());
    // This deploy ran each step: a log line since the start with the plan's trigger and exit 0, and an
    // output directory made after the start (all were removed before it).
    for (const s of plan) {
      const once = publishedByKill.includes(s.id) ? [] : [{ id: s.id, trigger: s.trigger, ok: true, reused: false }];
      expect({ step: s.id, ran: realRuns.filter((r) => r.id === s.id) }).toEqual({ step: s.id, ran: once });
      expect({ step: s.id, out: existsSync(join(PROJECT_ROOT, s.out)) }).toEqual({ step: s.id, out: true });
      expect({ step: s.id, outMadeSinceStart: madeAt(join(PROJECT_ROOT, s.out)) >= start }).toEqual({ step: s.id, outMadeSinceStart: true });
    }

    // The cells' runtime releases, compiled for the Pi stemcell at the control plane's versions
    // (cf-deployment v44.8.0: bpm 1.4.3, loggregator-agent 8.3.0; garden-runc 1.58.0 by the lab's reason; bosh-dns of its DNS runtime config).
    const compiledRuntime = byScript('compile-release')
      .map((s) => JSON.parse(readFileSync(join(PROJECT_ROOT, s.out, 'compiled.json'), 'utf8')) as { name: string; version: string; stemcell: string; tarball: string })
      .filter((c) => ['bpm', 'garden-runc', 'loggregator-agent', 'bosh-dns'].includes(c.name))
      .map((c) => `${c.name}/${c.version.split('+')[0]}@${c.stemcell}`)
      .sort();
    expect(compiledRuntime).toEqual(['bosh-dns/1.39.0@debian-bookworm-armhf/0.1.0', 'bpm/1.4.3@debian-bookworm-armhf/0.1.0', 'garden-runc/1.58.0@debian-bookworm-armhf/0.1.0', 'loggregator-agent/8.3.0@debian-bookworm-armhf/0.1.0']);

    const second = deploy();
    const finished = realRuns.filter((r) => r.ok).map((r) => r.id);
    expect(second.ran.map((r) => r.id).filter((id) => finished.includes(id))).toEqual([]);
    expect(outcome(second)).toEqual({ status: 0, tail: '' });
    expect(second.ran).toEqual([]);
    expect(second.stdout).toMatch(/No changes/);
  }, 45 * 60_000);

  // Runs after the deploy above (jest keeps a file's order): the outputs it left are the ones compared.
  it('left the bits a deploy that was never killed makes: a rebuild from a fresh state reproduces every step', () => {
    const recordRun = rebuild('--record');
    expect(outcome(recordRun)).toEqual({ status: 0, tail: '' });
    expect(recordRun.ran.length).toBeGreaterThan(0);
    // Recorded as the resumed deploy left them; only the rootfs image build runs again on a fresh state
    // (its result lives in the Docker engine, so run-step never takes it as published).
    const inEngine = readPlan().filter((s) => s.script === 'build-rootfs').map((s) => s.id);
    expect(inEngine.length).toBeGreaterThan(0);
    expect(recordRun.ran.filter((r) => !r.reused && !inEngine.includes(r.id))).toEqual([]);
    const receipt = JSON.parse(readFileSync(join(PROJECT_ROOT, RECEIPT), 'utf8')) as { steps: Record<string, { outputs: Record<string, string> }>; unfinished: string[] };
    const recorded = Object.keys(receipt.steps).sort();
    expect(recorded).toEqual(expect.arrayContaining(['lab-diego-cell-armhf-create', 'lab-diego-controlplane-create', 'lab-rootfs-release-rpifs-create', 'lab-rootfs-rpifs-export', 'lab-lifecycle-armhf-sshd-compile', 'lab-compiled-diego-cell-armhf-rpi-compile', 'lab-compiled-rootfs-rpifs-rpi-compile']));
    expect(Object.keys(receipt.steps['lab-rootfs-rpifs-export'].outputs)).toContain('rootfs.tgz');
    expect(Object.keys(receipt.steps['lab-rootfs-rpifs-bootstrap'].outputs)).toContain('base.json');
    expect(receipt.unfinished).toEqual([]);

    // Hash the outputs here, then delete them, so the rebuild must make every byte again.
    const files = reproducibleFiles();
    const before = sha256Of(files);
    for (const id of REPRODUCED_STEPS) rmSync(rebuildStepOut(id), { recursive: true, force: true });

    const again = rebuild();
    expect(again.stderr).not.toMatch(/rebuilt bits differ/);
    expect(again.ran.filter((r) => r.reused)).toEqual([]); // every step really ran again
    expect(again.stdout).toContain(`rebuild: same bits as ${RECEIPT}: ${recorded.length} of ${recorded.length} recorded step(s)`);
    expect(outcome(again)).toEqual({ status: 0, tail: '' });
    // the bytes themselves, compared by this test: the rebuilt files are new and identical
    expect(sha256Of(reproducibleFiles())).toEqual(before);
    expect(Object.values(before).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  }, 30 * 60_000);
});
