import { baseRecipeOf } from '../../constructs/rootfs/base-recipe';
import { renderDockerfile, renderImageContext, type ImageContextSpec } from '../../constructs/rootfs/image-context';
import { localeGenLine, localeGenLines } from '../../constructs/rootfs/locales';
import { pinPackages, pinsFromLock } from '../../constructs/rootfs/package-pins';
import { renderPreStart, renderRootfsReleaseFiles, rootfsBlobPath } from '../../constructs/rootfs/release-files';
import type { MmdebstrapBase } from '../../lab/model';

const BOOKWORM: MmdebstrapBase = { kind: 'mmdebstrap', suite: 'bookworm', variant: 'minbase', include: [] };

function spec(over: Partial<ImageContextSpec> = {}): ImageContextSpec {
  return {
    stack: 'rpifs',
    platform: 'linux/arm/v7',
    base: baseRecipeOf(BOOKWORM, 'armhf', 1),
    packages: ['bash', 'ca-certificates', 'locales'],
    localeGen: ['en_US.UTF-8 UTF-8'],
    vcapUid: 2000,
    vcapGid: 2000,
    trustedCaCerts: [],
    ...over,
  };
}

describe('base recipe', () => {
  it('maps the arch to the Debian arch and the docker platform', () => {
    expect(baseRecipeOf(BOOKWORM, 'armhf', 1)).toMatchObject({ arch: 'armhf', platform: 'linux/arm/v7', suite: 'bookworm' });
    expect(baseRecipeOf(BOOKWORM, 'arm64', 1)).toMatchObject({ arch: 'arm64', platform: 'linux/arm64' });
  });

  it('tags the base by content: same recipe same tag, any change a new one', () => {
    const tag = baseRecipeOf(BOOKWORM, 'armhf', 1).tag;
    expect(tag).toMatch(/^stack-elevator\/base-bookworm-armhf:[0-9a-f]{16}$/);
    expect(baseRecipeOf({ ...BOOKWORM }, 'armhf', 1).tag).toBe(tag);
    expect(baseRecipeOf({ ...BOOKWORM, include: ['zstd'] }, 'armhf', 1).tag).not.toBe(tag);
    expect(baseRecipeOf({ ...BOOKWORM, variant: 'buildd' }, 'armhf', 1).tag).not.toBe(tag);
    expect(baseRecipeOf(BOOKWORM, 'armhf', 2).tag).not.toBe(tag);
  });

  it('uses a registry image reference as it is', () => {
    expect(baseRecipeOf({ kind: 'image', ref: 'registry.lab/debian@sha256:abc' }, 'arm64', 1)).toEqual({
      kind: 'image',
      ref: 'registry.lab/debian@sha256:abc',
      platform: 'linux/arm64',
      tag: 'registry.lab/debian@sha256:abc',
    });
  });
});

describe('image build context', () => {
  it('renders the cflinuxfs4 steps in cache-friendly order, starting FROM the base argument', () => {
    const df = renderDockerfile(spec());
    const steps = df.split('\n').filter((l) => /^(FROM|RUN|COPY|ARG|LABEL)/.test(l));
    expect(steps[0]).toBe('ARG BASE_IMAGE');
    expect(steps[1]).toBe('FROM ${BASE_IMAGE}');
    const runs = steps.filter((l) => l.startsWith('RUN'));
    expect(runs).toEqual([
      'RUN sh /tmp/stack-elevator/install-packages.sh /tmp/stack-elevator/packages.txt',
      'RUN sh /tmp/stack-elevator/generate-locales.sh /tmp/stack-elevator/locale.gen',
      'RUN sh /tmp/stack-elevator/create-vcap.sh 2000 2000',
      'RUN sh /tmp/stack-elevator/cleanup.sh && rm -rf /tmp/stack-elevator',
    ]);
    expect(df).toContain('ARG SOURCE_DATE_EPOCH');
    expect(df).not.toMatch(/update-ca-certificates/);
  });

  it('installs with --no-install-recommends and creates vcap with the ids it is given', () => {
    const files = renderImageContext(spec({ vcapUid: 3000, vcapGid: 3001 }));
    expect(files.get('install-packages.sh')?.content).toMatch(/install --no-install-recommends \$\(cat "\$list"\)/);
    expect(files.get('create-vcap.sh')?.content).toMatch(/useradd --uid "\$uid" --gid "\$gid" --create-home --shell \/bin\/bash vcap/);
    expect(files.get('Dockerfile')?.content).toContain('create-vcap.sh 3000 3001');
    expect(files.get('packages.txt')?.content).toBe('bash\nca-certificates\nlocales\n');
    expect(files.get('locale.gen')?.content).toBe('en_US.UTF-8 UTF-8\n');
    expect(JSON.parse(files.get('base.json')?.content ?? '{}')).toMatchObject({ kind: 'mmdebstrap', suite: 'bookworm', arch: 'armhf' });
    expect(files.get('install-packages.sh')?.mode).toBe(0o755);
  });

  it('adds trusted CAs as one file each plus an update-ca-certificates step', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const files = renderImageContext(spec({ trustedCaCerts: [pem, pem] }));
    expect([...files.keys()].filter((k) => k.startsWith('certs/'))).toEqual(['certs/stack-elevator-01.crt', 'certs/stack-elevator-02.crt']);
    expect(files.get('certs/stack-elevator-01.crt')?.content).toBe(`${pem}\n`);
    expect(files.get('Dockerfile')?.content).toMatch(/COPY certs\/ \/usr\/local\/share\/ca-certificates\/stack-elevator\/\nRUN update-ca-certificates\n/);
  });

  it('cleans what apt leaves behind inside the image too', () => {
    const cleanup = renderImageContext(spec()).get('cleanup.sh')?.content ?? '';
    for (const p of ['/var/lib/apt/lists/*', '/var/log/apt/*', '/var/log/dpkg.log', '/var/cache/debconf/*-old', '/etc/passwd-']) expect(cleanup).toContain(p);
  });
});

describe('locales', () => {
  it('turns bare and charset-qualified names into locale.gen lines', () => {
    expect(localeGenLine('af_ZA')).toBe('af_ZA.UTF-8 UTF-8');
    expect(localeGenLine('en_US.UTF-8')).toBe('en_US.UTF-8 UTF-8');
    expect(localeGenLine('en_US.utf8')).toBe('en_US.UTF-8 UTF-8');
    expect(localeGenLine('de_DE.ISO-8859-1')).toBe('de_DE.ISO-8859-1 ISO-8859-1');
    expect(localeGenLine('sr_RS@latin')).toBe('sr_RS.UTF-8@latin UTF-8');
    // cflinuxfs4's list still has names glibc renamed.
    expect(localeGenLine('iw_IL')).toBe('he_IL.UTF-8 UTF-8');
    expect(localeGenLine('no_NO')).toBe('nb_NO.UTF-8 UTF-8');
    expect(localeGenLine('sr_YU')).toBe('sr_RS.UTF-8 UTF-8');
  });

  it('sorts and de-duplicates, and rejects what is not a locale name', () => {
    expect(localeGenLines(['en_US.UTF-8', 'de_DE', 'en_US'])).toEqual(['de_DE.UTF-8 UTF-8', 'en_US.UTF-8 UTF-8']);
    expect(() => localeGenLine('en US')).toThrow("a stack: locales: found 'en US', expected a locale of the form ll_CC, ll_CC.CHARSET or ll_CC.CHARSET@modifier (fix: write it like en_US.UTF-8 (stacks[].locales in the lab))");
    expect(() => localeGenLines(['en_US', 'en_US; rm -rf /'], 'lab/rootfs-rpifs')).toThrow("lab/rootfs-rpifs: locales[1]: found 'en_US; rm -rf /', expected a locale of the form ll_CC, ll_CC.CHARSET or ll_CC.CHARSET@modifier (fix: write it like en_US.UTF-8 (stacks[].locales in the lab))");
  });
});

describe('package pins', () => {
  it('pins only the names the lock knows, sorted', () => {
    expect(pinPackages(['jq', 'bash'], { bash: '5.2.15-2+b13' })).toEqual(['bash=5.2.15-2+b13', 'jq']);
  });

  it('reads pins from the lock and refuses malformed ones with where they are', () => {
    expect(pinsFromLock('rpifs', undefined)).toEqual({});
    expect(pinsFromLock('rpifs', { packages: { bash: '5.2' } })).toEqual({ bash: '5.2' });
    expect(() => pinsFromLock('rpifs', { packages: ['bash'] })).toThrow('lab.lock.json: rootfs.rpifs.packages: found a list, expected a mapping of package name to version (fix: restore lab.lock.json from git, or rebuild the stack to record its package versions again)');
    expect(() => pinsFromLock('rpifs', { packages: { bash: '5 2; x' } })).toThrow("lab.lock.json: rootfs.rpifs.packages.bash: found '5 2; x', expected a Debian version string like 5.2.15-2+b2 (fix: restore lab.lock.json from git, or rebuild the stack to record its package versions again)");
  });
});

describe('rootfs release files', () => {
  const files = renderRootfsReleaseFiles({ stack: 'rpifs', jobName: 'rpifs-rootfs-setup', certsProperty: 'rpifs-rootfs.trusted_certs' });

  it('is shaped like cflinuxfs4-release under the stack name', () => {
    expect([...files.keys()].sort()).toEqual([
      'config/blobs.yml',
      'config/final.yml',
      'jobs/rpifs-rootfs-setup/monit',
      'jobs/rpifs-rootfs-setup/spec',
      'jobs/rpifs-rootfs-setup/templates/pre-start.sh',
      'jobs/rpifs-rootfs-setup/templates/trusted_ca.crt.erb',
      'packages/rpifs/packaging',
      'packages/rpifs/spec',
    ]);
    expect(files.get('config/final.yml')?.content).toBe('---\nfinal_name: rpifs\n');
    expect(files.get('packages/rpifs/spec')?.content).toBe('---\nname: rpifs\nfiles:\n- rootfs/rpifs-*.tar.gz\n');
    expect(rootfsBlobPath('rpifs', '0.1.0+dev.abc')).toBe('rootfs/rpifs-0.1.0+dev.abc.tar.gz');
    const job = files.get('jobs/rpifs-rootfs-setup/spec')?.content ?? '';
    expect(job).toMatch(/^name: rpifs-rootfs-setup$/m);
    expect(job).toMatch(/^ {2}pre-start.sh: bin\/pre-start$/m);
    expect(job).toMatch(/^ {2}trusted_ca.crt.erb: config\/certs\/trusted_ca.crt$/m);
    expect(job).toMatch(/^packages:\n- rpifs$/m);
    expect(job).toMatch(/^ {2}rpifs-rootfs.trusted_certs:$/m);
  });

  it('installs the rootfs where the rep is told to find it, with the property CAs', () => {
    const pre = renderPreStart('rpifs', 'rpifs-rootfs-setup');
    expect(pre).toContain('pkg="$VCAP_ROOT/packages/rpifs"');
    expect(pre).toContain('mv -f "$pkg/rootfs.tar.tmp" "$pkg/rootfs.tar"');
    expect(pre).toContain('certs_file="$VCAP_ROOT/jobs/rpifs-rootfs-setup/config/certs/trusted_ca.crt"');
    expect(pre).toContain('chroot "$work" /usr/sbin/update-ca-certificates');
    expect(files.get('jobs/rpifs-rootfs-setup/templates/trusted_ca.crt.erb')?.content).toContain("p('rpifs-rootfs.trusted_certs')");
    expect(files.get('packages/rpifs/packaging')?.content).toContain('cp rootfs/rpifs-*.tar.gz "${BOSH_INSTALL_TARGET}/rpifs.tar.gz"');
  });
});
