import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { CfApiStandIn, CfState, writeFakeCf } from '../support/cf-api-stand-in';
import { PROJECT_ROOT } from '../support/lab-files';

const SCRIPT = join(PROJECT_ROOT, 'pipelines', 'cf-isolation-segment.mjs');
const work = mkdtempSync(join(tmpdir(), 'se-cf-seg-'));
const cfDir = dirname(writeFakeCf(join(work, 'bin')));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ARGS = ['--segment=rpi', '--orgs=arm-org', '--spaces=arm-org/pis'];
const fresh = (): CfState => ({ segments: [], orgs: [{ guid: 'org-1', name: 'arm-org' }], spaces: [{ guid: 'space-1', name: 'pis', org: 'org-1' }], entitled: {}, assigned: {} });

/** Runs the step asynchronously (the stand-in answers in this process), with only the fake cf and node on PATH. */
function runStep(api: string, args = ARGS, env: NodeJS.ProcessEnv = {}, path = [cfDir, dirname(process.execPath)].join(delimiter)): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [SCRIPT, ...args], { env: { PATH: path, FAKE_CF_API: api, HOME: work, ...env } }, (err, stdout, stderr) => ok({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('cf-isolation-segment: the segment, its orgs and spaces through cf curl (CF API v3 stand-in)', () => {
  let cf: CfApiStandIn;
  let api: string;
  const start = async (state: CfState) => {
    cf = new CfApiStandIn(state);
    api = await cf.start();
  };
  afterEach(async () => cf?.stop());

  it('creates the segment, entitles the org and assigns the space; a second run only reads', async () => {
    await start(fresh());
    const out = join(work, 'out-1');
    const r = await runStep(api, [...ARGS, `--out=${out}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(cf.writes()).toEqual([
      { method: 'POST', path: '/v3/isolation_segments', body: { name: 'rpi' } },
      { method: 'POST', path: '/v3/isolation_segments/seg-1/relationships/organizations', body: { data: [{ guid: 'org-1' }] } },
      { method: 'PATCH', path: '/v3/spaces/space-1/relationships/isolation_segment', body: { data: { guid: 'seg-1' } } },
    ]);
    expect(JSON.parse(readFileSync(join(out, 'segment.json'), 'utf8'))).toEqual({ segment: 'rpi', guid: 'seg-1', created: true, entitled: ['arm-org'], assigned: ['arm-org/pis'] });
    // every write came after the read that showed it was needed
    const firstWrite = cf.requests.findIndex((q) => q.method !== 'GET');
    expect(cf.requests.slice(0, firstWrite).map((q) => q.path)).toEqual(['/v3/organizations?names=arm-org', '/v3/isolation_segments?names=rpi']);

    cf.requests.length = 0;
    const again = await runStep(api);
    expect(again.code).toBe(0);
    expect(cf.writes()).toEqual([]);
    expect(again.stdout).toContain('nothing to change');
  });

  it('segment already there and org already entitled: assigns only the space', async () => {
    await start({ ...fresh(), segments: [{ guid: 'seg-9', name: 'rpi' }], entitled: { 'seg-9': ['org-1'] } });
    const r = await runStep(api);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('isolation segment rpi exists (seg-9)');
    expect(r.stdout).toContain('org arm-org already entitled to rpi');
    expect(cf.writes()).toEqual([{ method: 'PATCH', path: '/v3/spaces/space-1/relationships/isolation_segment', body: { data: { guid: 'seg-9' } } }]);
  });

  it('an API error: a clear message, non-zero, the failed write sent once and nothing after it', async () => {
    await start(fresh());
    cf.failOn = 'POST /v3/isolation_segments';
    const r = await runStep(api);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cf curl -X POST /v3/isolation_segments: the CF API refused it: CF-UnprocessableEntity (10008): Name must be unique (stand-in refusal) (nothing was retried)');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(cf.writes()).toEqual([{ method: 'POST', path: '/v3/isolation_segments', body: { name: 'rpi' } }]);
  });

  it('no cf login: names it, and sends nothing', async () => {
    await start(fresh());
    const r = await runStep(api, ARGS, { FAKE_CF_LOGGED_OUT: '1' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not logged in .*\(fix: cf login -a https:\/\/api\.<system domain>/);
    expect(cf.requests).toEqual([]);
  });

  it('no API targeted: the same fix, nothing sent', async () => {
    await start(fresh());
    const r = await runStep(api, ARGS, { FAKE_CF_NO_API: '1' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No API endpoint set.*\(fix: cf login -a/);
    expect(cf.requests).toEqual([]);
  });

  it('no cf on PATH: names it', async () => {
    await start(fresh());
    const r = await runStep(api, ARGS, {}, dirname(process.execPath));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("cf not found on PATH: this step uses the operator's cf CLI session (cf curl)");
  });

  it('an org that does not exist: named with the fix, nothing written (orgs are never created here)', async () => {
    await start({ ...fresh(), orgs: [] });
    const r = await runStep(api);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('org arm-org does not exist on this foundation (fix: cf create-org arm-org');
    expect(cf.writes()).toEqual([]);
  });
});
