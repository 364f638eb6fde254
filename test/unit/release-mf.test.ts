import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { runMjs } from '../support/mjs';

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');
const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** An extracted compiled release with one job (sha256 digest, as bosh writes) and two compiled packages (sha1). */
function releaseDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-mf-'));
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'compiled_packages'));
  const files = { 'jobs/rep.tgz': 'job bytes', 'compiled_packages/rep.tgz': 'rep bytes', 'compiled_packages/healthcheck.tgz': 'healthcheck bytes' };
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  const mf = {
    name: 'r',
    version: '1',
    jobs: [{ name: 'rep', version: 'f', fingerprint: 'f', sha1: sha256('job bytes'), packages: ['rep'] }],
    compiled_packages: [
      { name: 'healthcheck', version: 'h', fingerprint: 'h', sha1: sha1('healthcheck bytes'), stemcell: 'os/1', dependencies: [] },
      { name: 'rep', version: 'r', fingerprint: 'r', sha1: sha1('rep bytes'), stemcell: 'os/1', dependencies: [] },
    ],
  };
  writeFileSync(join(dir, 'release.MF'), dump(mf));
  return dir;
}

const problems = (dir: string): string[] => runMjs<string[]>("out((await lib('release/release-mf')).releaseShaProblems(input))", dir);

describe('every sha1 in release.MF matches its file (the bosh CLI does not check them when it inspects)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = () => {
    const d = releaseDir();
    dirs.push(d);
    return d;
  };

  it('passes a consistent release (sha1 and sha256: digests)', () => {
    expect(problems(fresh())).toEqual([]);
  });

  it('catches a compiled package whose bytes changed after its sha1 was recorded', () => {
    const d = fresh();
    writeFileSync(join(d, 'compiled_packages', 'rep.tgz'), 'rep bytes, corrupted');
    expect(problems(d)).toEqual([`compiled package rep: sha1 ${sha1('rep bytes')} in release.MF does not match compiled_packages/rep.tgz`]);
  });

  it('catches a job archive that no longer matches its sha256: digest, and a missing file', () => {
    const d = fresh();
    writeFileSync(join(d, 'jobs', 'rep.tgz'), 'other job bytes');
    rmSync(join(d, 'compiled_packages', 'healthcheck.tgz'));
    expect(problems(d)).toEqual([`job rep: sha1 ${sha256('job bytes')} in release.MF does not match jobs/rep.tgz`, 'compiled package healthcheck: compiled_packages/healthcheck.tgz missing']);
  });
});

describe('the cells deploy check of releases the lab supplies', () => {
  const missing = (required: unknown, inspected: Record<string, unknown>): string[] =>
    runMjs<string[]>("out((await lib('director/required-releases')).missingReleases(input.required, new Map(Object.entries(input.inspected).map(([k, v]) => [k, JSON.stringify(v)]))))", { required, inspected });
  // Shape of `bosh inspect-release --json` (cmd/inspect_release.go: a packages table with a "Compiled for" column).
  const inspect = (compiledFor: string[]) => ({ Tables: [{ Content: 'jobs', Rows: [] }, { Content: 'packages', Rows: [{ package: 'bpm/abc', compiled_for: '(source)', blobstore_id: 'x', digest: 'd' }, ...compiledFor.map((c) => ({ package: '', compiled_for: c, blobstore_id: 'y', digest: 'e' }))] }] });
  const required = [
    { release: 'bpm/1.4.33', stemcell: 'debian-bookworm-armhf/0.1.0' },
    { release: 'garden-runc/1.92.0', stemcell: 'debian-bookworm-armhf/0.1.0' },
  ];

  it('lists a release the director lacks, and one it has only as source or for another stemcell', () => {
    expect(missing(required, { 'bpm/1.4.33': inspect(['ubuntu-jammy/1.639']) })).toEqual(['bpm/1.4.33 compiled for debian-bookworm-armhf/0.1.0', 'garden-runc/1.92.0 compiled for debian-bookworm-armhf/0.1.0']);
  });

  it('lists nothing when each is there compiled for the cells stemcell', () => {
    expect(missing(required, { 'bpm/1.4.33': inspect(['ubuntu-jammy/1.639', 'debian-bookworm-armhf/0.1.0']), 'garden-runc/1.92.0': inspect(['debian-bookworm-armhf/0.1.0']) })).toEqual([]);
  });
});
