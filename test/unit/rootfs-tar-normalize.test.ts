import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header, type HeaderData } from 'tar';
import { listTar } from '../support/tar-list';
import { runMjs } from '../support/mjs';

// Inputs are written with node-tar's own header encoder, outputs read back with node-tar and GNU tar:
// the normalizer is never checked against itself.
const EPOCH = 1_700_000_000;
const FUTURE = new Date((EPOCH + 86_400 * 400) * 1000);
const PAST = new Date((EPOCH - 86_400 * 400) * 1000);

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

function entry(h: HeaderData, body: Buffer = Buffer.alloc(0)): Buffer {
  const block = Buffer.alloc(512);
  new Header({ mode: 0o644, uid: 0, gid: 0, mtime: PAST, uname: 'someone', gname: 'somegroup', ...h, size: body.length }).encode(block, 0);
  return Buffer.concat([block, body, pad(body.length)]);
}

/** A pax 'x' header written by hand (node-tar's Pax class knows no xattr keys). */
function paxFor(records: Record<string, string>): Buffer {
  const body = Buffer.from(
    Object.entries(records)
      .map(([k, v]) => {
        const rest = ` ${k}=${v}\n`;
        let len = rest.length + 2;
        while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
        return `${len}${rest}`;
      })
      .join(''),
    'latin1',
  );
  return entry({ path: 'PaxHeader/x', type: 'ExtendedHeader' }, body);
}

const LONG_DIR = `usr/share/${'very-long-directory-name-'.repeat(5)}`;

/** A docker-export-like archive: unsorted, ./ prefixes, future mtimes, names, a link before its data. */
function messyTar(order: 'a' | 'b', mtime: Date): Buffer {
  const parts: Record<string, Buffer> = {
    etc: entry({ path: './etc/', type: 'Directory', mode: 0o755, mtime }),
    // A directory and a sibling that share a prefix: 'ca-certificates.conf' < 'ca-certificates/'.
    cadir: entry({ path: './etc/ca-certificates/', type: 'Directory', mode: 0o755, mtime }),
    cachild: entry({ path: './etc/ca-certificates/update.d/', type: 'Directory', mode: 0o755, mtime }),
    caconf: entry({ path: './etc/ca-certificates.conf', type: 'File', mtime }, Buffer.from('mozilla/x.crt\n')),
    passwd: entry({ path: './etc/passwd', type: 'File', mtime }, Buffer.from('root:x:0:0::/root:/bin/bash\nvcap:x:2000:2000::/home/vcap:/bin/bash\n')),
    home: entry({ path: 'home/vcap/', type: 'Directory', mode: 0o755, uid: 2000, gid: 2000, mtime }),
    profile: entry({ path: 'home/vcap/.profile', type: 'File', uid: 2000, gid: 2000, mtime: PAST }, Buffer.from('# profile\n')),
    // The data holder sorts after its hardlink: the normalizer must move the data to the first name.
    data: entry({ path: 'usr/bin/perl5.36', type: 'File', mode: 0o755, mtime }, Buffer.from('#!perl\n')),
    link: entry({ path: 'usr/bin/perl', type: 'Link', linkpath: 'usr/bin/perl5.36', mode: 0o755, mtime }),
    sym: entry({ path: 'bin', type: 'SymbolicLink', linkpath: 'usr/bin', mode: 0o777, mtime }),
    dev: entry({ path: 'dev/null', type: 'CharacterDevice', devmaj: 1, devmin: 3, mode: 0o666, mtime }),
    ping: Buffer.concat([
      paxFor({ 'SCHILY.xattr.security.capability': 'caps\u0001', atime: '1.5', ctime: '2.5' }),
      entry({ path: 'usr/bin/ping', type: 'File', mode: 0o4755, mtime }, Buffer.from('ELF')),
    ]),
    long: Buffer.concat([paxFor({ path: `${LONG_DIR}file.txt` }), entry({ path: 'truncated', type: 'File', mtime }, Buffer.from('long\n'))]),
    aptlog: entry({ path: 'var/log/apt/history.log', type: 'File', mtime }, Buffer.from(`Start-Date: ${mtime.toISOString()}\n`)),
    aptdir: entry({ path: 'var/log/apt/', type: 'Directory', mode: 0o755, mtime }),
    lists: entry({ path: 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', type: 'File', mtime }, Buffer.from('Release\n')),
    backup: entry({ path: 'etc/passwd-', type: 'File', mtime }, Buffer.from('old\n')),
    dockerenv: entry({ path: '.dockerenv', type: 'File', mode: 0o755, mtime }),
  };
  const keys = Object.keys(parts);
  const ordered = order === 'a' ? keys : [...keys].reverse().filter((k) => k !== 'link').concat('link');
  // A hardlink must follow its data holder in any valid input.
  const valid = ordered.filter((k) => k !== 'link');
  valid.splice(valid.indexOf('data') + 1, 0, 'link');
  return Buffer.concat([...valid.map((k) => parts[k]), Buffer.alloc(1024)]);
}

interface NormResult {
  sha256: string;
  entries: number;
  dropped: string[];
  captured: Record<string, { type: 'Buffer'; data: number[] }>;
}

function normalize(input: Buffer, ownership: 'keep' | 'root' = 'keep'): { out: string; result: NormResult } {
  const dir = mkdtempSync(join(tmpdir(), 'rootfs-norm-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'in.tar'), input);
  const result = runMjs<NormResult>(
    `const { normalizeTar } = await lib('rootfs/tar-normalize');
     const { dropApt } = await lib('rootfs/rootfs-drop');
     out(normalizeTar(input.in, input.out, { epoch: input.epoch, ownership: input.ownership, drop: dropApt, capture: ['etc/passwd'] }));`,
    { in: join(dir, 'in.tar'), out: join(dir, 'out.tar'), epoch: EPOCH, ownership },
  );
  return { out: join(dir, 'out.tar'), result };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('normalizeTar', () => {
  const { out, result } = normalize(messyTar('a', FUTURE));
  const rows = listTar(out);
  const byPath = new Map(rows.map((r) => [r.path, r]));

  it('sorts entries bytewise by their names, without ./ prefixes', () => {
    const names = rows.map((r) => r.path);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(names.some((n) => n.startsWith('./') || n.startsWith('/'))).toBe(false);
    expect(names.indexOf('etc/ca-certificates.conf')).toBeLessThan(names.indexOf('etc/ca-certificates/'));
    expect(names.indexOf('etc/ca-certificates/')).toBeLessThan(names.indexOf('etc/ca-certificates/update.d/'));
    // GNU tar agrees on the listing and on the order.
    const gnu = spawnSync('tar', ['-tf', out], { encoding: 'utf8' });
    expect(gnu.status).toBe(0);
    expect(gnu.stdout.trim().split('\n')).toEqual(names);
  });

  it('clamps mtimes to the epoch and leaves older ones alone', () => {
    expect(byPath.get('etc/passwd')?.mtime).toBe(EPOCH);
    expect(byPath.get('home/vcap/.profile')?.mtime).toBe(Math.floor(PAST.getTime() / 1000));
    expect(Math.max(...rows.map((r) => r.mtime))).toBeLessThanOrEqual(EPOCH);
  });

  it('drops owner names and keeps numeric ids (vcap stays 2000), or forces 0 when asked', () => {
    expect(rows.every((r) => r.uname === '')).toBe(true);
    expect(byPath.get('home/vcap/')).toMatchObject({ uid: 2000, gid: 2000 });
    const rooted = listTar(normalize(messyTar('a', FUTURE), 'root').out);
    expect(rooted.every((r) => r.uid === 0 && r.gid === 0)).toBe(true);
  });

  it('drops apt logs, package lists, backup files and the docker marker but keeps their directories', () => {
    expect(result.dropped).toEqual(['.dockerenv', 'etc/passwd-', 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease', 'var/log/apt/history.log']);
    for (const p of result.dropped) expect(byPath.has(p)).toBe(false);
    expect(byPath.get('var/log/apt/')?.type).toBe('Directory');
  });

  it('moves hardlink data to the first name in the new order', () => {
    expect(byPath.get('usr/bin/perl')).toMatchObject({ type: 'File', size: 7, mode: 0o755 });
    expect(byPath.get('usr/bin/perl5.36')).toMatchObject({ type: 'Link', linkpath: 'usr/bin/perl' });
    const dir = mkdtempSync(join(tmpdir(), 'rootfs-x-'));
    dirs.push(dir);
    const x = spawnSync('tar', ['-xf', out, '-C', dir, 'usr/bin'], { encoding: 'utf8' });
    expect(x.status).toBe(0);
    expect(readFileSync(join(dir, 'usr/bin/perl5.36'), 'utf8')).toBe('#!perl\n');
    expect(statSync(join(dir, 'usr/bin/perl5.36')).ino).toBe(statSync(join(dir, 'usr/bin/perl')).ino);
  });

  it('keeps symlinks, device numbers, setuid bits, long paths and xattrs; drops atime/ctime', () => {
    expect(byPath.get('bin')).toMatchObject({ type: 'SymbolicLink', linkpath: 'usr/bin' });
    expect(byPath.get('usr/bin/ping')?.mode).toBe(0o4755);
    expect(byPath.has(`${LONG_DIR}file.txt`)).toBe(true);
    const gnu = spawnSync('tar', ['-tvf', out, 'dev/null'], { encoding: 'utf8' });
    expect(gnu.stdout).toMatch(/^crw-rw-rw- 0\/0\s+1,3 /);
    const bytes = readFileSync(out).toString('latin1');
    expect(bytes).toContain('SCHILY.xattr.security.capability=caps\u0001\n');
    expect(bytes).not.toMatch(/ atime=| ctime=/);
  });

  it('returns captured file contents for receipts', () => {
    expect(Buffer.from(result.captured['etc/passwd'].data).toString()).toMatch(/^vcap:x:2000:2000:/m);
  });

  it('gives the same bytes for inputs that differ only in order and in times after the epoch', () => {
    const other = normalize(messyTar('b', new Date(FUTURE.getTime() + 3_600_000)));
    expect(other.result.sha256).toBe(result.sha256);
    expect(createHash('sha256').update(readFileSync(other.out)).digest('hex')).toBe(result.sha256);
    expect(result.entries).toBe(rows.length);
  });
});
