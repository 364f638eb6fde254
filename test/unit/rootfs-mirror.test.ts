import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMjs } from '../support/mjs';

// The shape of a Debian 12 machine's /etc/apt/sources.list.d/debian.sources, with a made-up host.
const DEB822 = `Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

const lines = (aptDir: string, suite: string, override?: string): string[] =>
  runMjs<string[]>(
    `const { machineSources, mirrorLinesFor } = await lib('rootfs/rootfs-mirror');
     out(mirrorLinesFor(input.suite, machineSources(input.aptDir), input.override));`,
    { aptDir, suite, override: override ?? '' },
  );

describe('mirror from the machine apt sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rootfs-apt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'deb822', 'sources.list.d'), { recursive: true });
  writeFileSync(join(dir, 'deb822', 'sources.list.d', 'debian.sources'), DEB822);
  mkdirSync(join(dir, 'oneline'), { recursive: true });
  writeFileSync(join(dir, 'oneline', 'sources.list'), '# comment\ndeb-src http://src.example/debian trixie main\ndeb [arch=amd64] http://one.example/debian trixie main contrib\n');

  it('takes the suite entry of a deb822 sources file', () => {
    expect(lines(join(dir, 'deb822'), 'bookworm')).toEqual(['deb http://mirror.example/debian bookworm main']);
  });

  it('reads one-line sources.list, skipping deb-src and options', () => {
    expect(lines(join(dir, 'oneline'), 'trixie')).toEqual(['deb http://one.example/debian trixie main']);
  });

  it('lets STACK_ELEVATOR_DEBIAN_MIRROR name the mirror', () => {
    expect(lines(join(dir, 'deb822'), 'bookworm', 'http://lab.example/debian')).toEqual(['deb http://lab.example/debian bookworm main']);
  });

  it('fails with the fix when the machine has no mirror for the suite', () => {
    expect(() => lines(join(dir, 'deb822'), 'trixie')).toThrow(/no Debian mirror for suite trixie .*STACK_ELEVATOR_DEBIAN_MIRROR/s);
  });
});
