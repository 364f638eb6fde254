import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const identity = (dir: string) => runMjs<Record<string, string>>("const { stepIdentity } = await lib('step/receipt'); out(stepIdentity(input));", dir);
const drift = (a: unknown, b: unknown) => runMjs<string[]>("const { identityDrift } = await lib('step/receipt'); out(identityDrift('s', input.a, input.b));", { a, b });

describe('what a rebuild must reproduce', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-receipt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checksums every output except the files a step marks volatile', () => {
    mkdirSync(join(dir, 'a', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a', 'rootfs.tgz'), 'bits');
    writeFileSync(join(dir, 'a', 'sub', 'x'), 'x');
    writeFileSync(join(dir, 'a', 'image.json'), '{"id":"sha256:changes-every-build"}');
    writeFileSync(join(dir, 'a', '.volatile'), 'image.json\n');
    expect(identity(join(dir, 'a'))).toEqual({
      'rootfs.tgz': sha256('bits'),
      'sub/x': sha256('x'),
    });
  });

  it('counts a BOSH release by its job and package fingerprints, not its time-stamped tarball', () => {
    mkdirSync(join(dir, 'r'));
    writeFileSync(join(dir, 'r', 'rel-1.tgz'), `tarball bytes ${Date.now()}`);
    writeFileSync(join(dir, 'r', 'release.json'), JSON.stringify({ name: 'rel', version: '1', tarball: 'rel-1.tgz', sha256: 'whatever', jobs: [{ name: 'j', fingerprint: 'f1' }], packages: [{ name: 'p', fingerprint: 'f2' }] }));
    expect(identity(join(dir, 'r'))).toEqual({ 'release rel/1': 'j/f1 p/f2' });
  });

  it('names each difference, including outputs that appeared or vanished', () => {
    expect(drift({ a: '1111111111111111aaaa', b: '2' }, { a: '1111111111111111aaaa', b: '3', c: '4' })).toEqual(['s/b: recorded 2, rebuilt 3', 's/c: recorded missing, rebuilt 4']);
    expect(drift({ a: '1' }, { a: '1' })).toEqual([]);
  });
});

/**
 * writeReceiptFile(file, record) in a node started with the crash harness's preload: it numbers the
 * file-system calls in the receipt's folder, logs them, and with `at` SIGKILLs the writer before call `at`.
 */
function recordUnderHook(file: string, record: unknown, env: Record<string, string>) {
  const lib = pathToFileURL(join(PROJECT_ROOT, 'pipelines', 'lib', 'step', 'receipt.mjs')).href;
  const code = `const { writeReceiptFile } = await import(${JSON.stringify(lib)}); writeReceiptFile(process.argv[1], JSON.parse(process.argv[2]));`;
  return spawnSync(process.execPath, ['--require', join(PROJECT_ROOT, 'pipelines', 'lib', 'step', 'crash-hook.cjs'), '--input-type=module', '-e', code, file, JSON.stringify(record)], {
    encoding: 'utf8',
    env: { ...process.env, STACK_ELEVATOR_CRASH_DIR: join(file, '..'), ...env },
  });
}

describe('npm run rebuild -- --record: the receipt is written whole or not at all', () => {
  const work = mkdtempSync(join(tmpdir(), 'se-receipt-write-'));
  const dir = join(work, 'lab');
  const file = join(dir, 'lab.receipt.json');
  const old = { lab: 'old', steps: { a: { trigger: '1' } } };
  const neu = { lab: 'new', steps: { a: { trigger: '2' }, b: { trigger: '3' } }, unfinished: [] };
  const read = () => JSON.parse(readFileSync(file, 'utf8'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes a temp file beside the receipt and renames it over it; the receipt itself is never written in place', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(old));
    const log = join(work, 'calls.log');
    expect(recordUnderHook(file, neu, { STACK_ELEVATOR_CRASH_LOG: log }).status).toBe(0);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/^\d+ renameSync \.lab\.receipt\.json\.w-\d+-[0-9a-f]+ lab\.receipt\.json$/m);
    expect(calls).not.toMatch(/^\d+ writeFileSync lab\.receipt\.json /m);
    expect(read()).toEqual(neu);
  });

  it('killed before any file-system step, leaves the old receipt or the new one; the next write leaves no temp file', () => {
    writeFileSync(file, JSON.stringify(old));
    const count = join(work, 'count');
    expect(recordUnderHook(file, neu, { STACK_ELEVATOR_CRASH_COUNT: count }).status).toBe(0);
    const steps = Number(readFileSync(count, 'utf8'));
    expect(steps).toBeGreaterThanOrEqual(2);
    for (let at = 1; at <= steps; at += 1) {
      writeFileSync(file, JSON.stringify(old));
      expect(recordUnderHook(file, neu, { STACK_ELEVATOR_CRASH_AT: String(at) }).signal).toBe('SIGKILL');
      expect([old, neu]).toContainEqual(read());
      expect(recordUnderHook(file, neu, {}).status).toBe(0);
      expect(read()).toEqual(neu);
      expect(readdirSync(dir)).toEqual(['lab.receipt.json']);
    }
  });
});
