import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMjs } from '../support/mjs';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const identity = (dir: string) => runMjs<Record<string, string>>("const { stepIdentity } = await lib('receipt'); out(stepIdentity(input));", dir);
const drift = (a: unknown, b: unknown) => runMjs<string[]>("const { identityDrift } = await lib('receipt'); out(identityDrift('s', input.a, input.b));", { a, b });

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
