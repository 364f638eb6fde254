import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { outcome, run } from '../support/run';

/**
 * The whole artifact half of the default lab, run by one `cdktf deploy` on this checkout: rootfs image,
 * export, rootfs release, cross-compiles, both Diego variants (upstream tree from the fixture specs),
 * then the receipt. A second deploy must run only what did not finish the first time.
 * Other suites write the same content-addressed build/<step>/<trigger> directories, so before deploying the
 * test removes every planned step's output: each one found afterwards was made by this deploy.
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

function deploy() {
  const before = existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8').length : 0;
  const res = run('npx', ['cdktf', 'deploy', '--auto-approve', '--skip-provider-lock', '--output', relative(PROJECT_ROOT, OUT)], { env: ENV, timeoutMs: 40 * 60_000 });
  const ran = (existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8') : '').slice(before).split('\n').filter(Boolean).map((l) => {
    const [id, trigger, exit] = l.split(' ');
    return { id, trigger, ok: exit === 'exit=0' };
  });
  return { ...res, ran };
}

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

  it('runs every step of the plan itself, and a second deploy redoes nothing that finished', () => {
    const first = deploy();
    // failed step ids and the deploy's last lines, so a red run says which step and why
    expect({ ...outcome(first), failed: first.ran.filter((r) => !r.ok).map((r) => r.id) }).toEqual({ status: 0, tail: '', failed: [] });
    const plan = readPlan();
    expect(plan.map((s) => s.out).sort()).toEqual([...removedOuts].sort());
    const byScript = (script: string) => plan.filter((s) => s.script === script);

    // Every step ran once, in an order that respects the plan.
    const firstRuns = first.ran.map((r) => r.id);
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

    expect([...firstRuns].sort()).toEqual(plan.map((s) => s.id).sort());
    // This deploy ran each step: a log line since the start with the plan's trigger and exit 0, and an
    // output directory made after the start (all were removed before it).
    for (const s of plan) {
      expect({ step: s.id, ran: first.ran.filter((r) => r.id === s.id) }).toEqual({ step: s.id, ran: [{ id: s.id, trigger: s.trigger, ok: true }] });
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
    const finished = first.ran.filter((r) => r.ok).map((r) => r.id);
    expect(second.ran.map((r) => r.id).filter((id) => finished.includes(id))).toEqual([]);
    expect(outcome(second)).toEqual({ status: 0, tail: '' });
    expect(second.ran).toEqual([]);
    expect(second.stdout).toMatch(/No changes/);
  }, 45 * 60_000);
});
