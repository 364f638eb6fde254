import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, UPSTREAM_FIXTURES, writeLab } from '../support/lab-files';
import { outcome, run } from '../support/run';

// The ARM binary buildpack plan step of the default lab, run twice as a deploy would (real Go, zip,
// unzip): the zip must be byte-identical and laid out as upstream's manifest.yml include_files.
jest.setTimeout(15 * 60_000);

const WORK = join(PROJECT_ROOT, 'build', 'test-buildpack');
const FIXTURE_TGZ = join(UPSTREAM_FIXTURES, 'binary-buildpack-v1.1.27-src.tgz');

function upstreamIncludeFiles(): string[] {
  const r = run('tar', ['-xzOf', FIXTURE_TGZ, 'binary-buildpack-v1.1.27/manifest.yml']);
  if (r.status !== 0) throw new Error(r.stderr);
  return (load(r.stdout) as { include_files: string[] }).include_files;
}

describe('binary buildpack for the rpifs stack', () => {
  let step: PlannedStep;
  let stackDir: string;
  const outs: string[] = [];

  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    const labDir = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-buildpack-lab-'));
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: writeLab(undefined, labDir), outdir: relative(PROJECT_ROOT, join(WORK, 'cdktf.out')), upstreamDir: UPSTREAM_FIXTURES, artifactsOnly: true });
    rmSync(labDir, { recursive: true, force: true });
    stackDir = res.stackDir;
    const plan = JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')) as { steps: PlannedStep[] };
    step = plan.steps.find((s) => s.script === 'build-buildpack' && s.args.stack === 'rpifs') as PlannedStep;
  });
  afterAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    for (const o of outs) rmSync(o, { recursive: true, force: true });
  });

  function build(out: string): { status: number | null; stderr: string; zip: string } {
    outs.push(out);
    const command = step.command.replace(/--out=\S+/, `--out=${out}`);
    const r = run('sh', ['-c', command], { cwd: stackDir, env: { STACK_ELEVATOR_STEP: step.id }, timeoutMs: 10 * 60_000 });
    return { status: r.status, stderr: r.stderr, zip: join(out, 'binary_buildpack-rpifs-v1.1.27.zip') };
  }

  it('is a plan step pinned by lab.lock.json, building from the pinned source for linux/arm GOARM=7', () => {
    expect(step).toBeDefined();
    expect(step.args).toMatchObject({ stack: 'rpifs', goarch: 'arm', goarm: '7', version: 'v1.1.27', sha256: '89e143724eadd8c0d35260b46b7b435a9f842948c73dbdd66544bbe5f656b2ec' });
    expect(step.needs).toEqual(['go']);
  });

  it('gives byte-identical zips from two builds, with upstream include_files and ARM ELF bin/supply, bin/finalize', () => {
    const a = build(join(WORK, 'a'));
    expect(a.stderr).toBe('');
    expect(outcome(a)).toEqual({ status: 0, tail: '' });
    const b = build(join(WORK, 'b'));
    expect(outcome(b)).toEqual({ status: 0, tail: '' });
    const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(sha(b.zip)).toBe(sha(a.zip));

    const listing = run('unzip', ['-l', a.zip]);
    expect(outcome(listing)).toEqual({ status: 0, tail: '' });
    const names = listing.stdout
      .split('\n')
      .map((l) => /^\s*\d+\s+\S+\s+\S+\s+(\S+)$/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    // Upstream's list minus the Windows builds of the two binaries (a Linux ARM stack has no use for them).
    expect(names).toEqual(upstreamIncludeFiles().filter((f) => !f.endsWith('.exe')).sort());
    for (const bin of ['bin/supply', 'bin/finalize']) {
      const bytes = run('sh', ['-c', `unzip -p "$1" "$2" | head -c 64 | od -An -tx1 -v`, 'sh', a.zip, bin]).stdout.replace(/\s+/g, '');
      const buf = Buffer.from(bytes, 'hex');
      expect(buf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(buf[4]).toBe(1); // ELFCLASS32
      expect(buf.readUInt16LE(18)).toBe(40); // EM_ARM
      expect(buf.readUInt32LE(36) >>> 24).toBe(5); // EABI5
      expect(run('sh', ['-c', `unzip -Z "$1" "$2"`, 'sh', a.zip, bin]).stdout).toMatch(/^-rwxr-xr-x/);
    }
    const manifest = load(run('unzip', ['-p', a.zip, 'manifest.yml']).stdout) as { stack: string; language: string };
    expect(manifest).toMatchObject({ stack: 'rpifs', language: 'binary' });
    expect(readFileSync(`${a.zip}.sha256`, 'utf8')).toBe(`${sha(a.zip)}  binary_buildpack-rpifs-v1.1.27.zip\n`);
  });

  it('refuses a source tarball whose sha256 is not the pinned one, leaving no output', () => {
    const out = join(WORK, 'bad-sha');
    outs.push(out);
    const command = step.command.replace(/--out=\S+/, `--out=${out}`).replace(/--sha256=\S+/, `--sha256=${'0'.repeat(64)}`);
    const r = run('sh', ['-c', command], { cwd: stackDir, env: { STACK_ELEVATOR_STEP: step.id } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/binary-buildpack-v1\.1\.27-src\.tgz: sha256 89e14372\S+, but lab\.lock\.json pins binary-buildpack v1\.1\.27 to 0{64}/);
    expect(existsSync(out)).toBe(false);
  });
});
