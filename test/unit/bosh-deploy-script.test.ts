import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const SCRIPT = join(REPO, 'pipelines', 'bosh-deploy.mjs');
const SECRET = 'client-secret-9d41e7';
const CA = '-----BEGIN CERTIFICATE-----\nMIICA9d41e7\n-----END CERTIFICATE-----';
const DIRECTOR = { BOSH_ENVIRONMENT: '10.0.0.6', BOSH_CLIENT: 'admin', BOSH_CLIENT_SECRET: SECRET, BOSH_CA_CERT: CA };

/** A scratch project root with a fake bosh in .tools/bin that logs its argv (and whether it got the secret). */
function scratchRoot(opts: { failOn?: string; stemcells?: string[] } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'se-bosh-deploy-'));
  mkdirSync(join(root, '.tools', 'bin'), { recursive: true });
  const rows = (opts.stemcells ?? ['debian-bookworm-armhf/0.1.0', 'ubuntu-jammy/1.639*']).map((s) => ({ os: s.split('/')[0], version: s.split('/')[1] }));
  writeFileSync(
    join(root, '.tools', 'bin', 'bosh'),
    [
      '#!/bin/sh',
      `echo "$* secret=\${BOSH_CLIENT_SECRET:+yes}" >> "${join(root, 'bosh.log')}"`,
      opts.failOn ? `case "$*" in *${opts.failOn}*) echo boom >&2; exit 1;; esac` : '',
      `if [ "$1" = stemcells ]; then echo '${JSON.stringify({ Tables: [{ Rows: rows }] })}'; fi`,
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(join(root, '.tools', 'bin', 'bosh'), 0o755);
  for (const d of ['build/rel-a/1', 'build/rel-b/2']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'build/rel-a/1/rpifs-1.0.tgz'), 'x');
  writeFileSync(join(root, 'build/rel-b/2/diego-cell-2.tgz'), 'x');
  mkdirSync(join(root, 'artifacts', 'bosh', 'cells'), { recursive: true });
  return root;
}

function runScript(root: string, args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BOSH_') && !k.startsWith('STACK_ELEVATOR_')));
  const r = spawnSync(process.execPath, [SCRIPT, `--root=${root}`, `--artifacts=${join(root, 'artifacts')}`, `--out=${join(root, 'out')}`, ...args], {
    cwd: root,
    env: { ...clean, PATH: '/usr/bin:/bin', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pipelines/bosh-deploy.mjs', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const root = (o?: Parameters<typeof scratchRoot>[0]) => {
    const r = scratchRoot(o);
    roots.push(r);
    return r;
  };

  it('without a director prints exactly the commands it would run and exits non-zero', () => {
    const r0 = root();
    const up = runScript(r0, ['--action=upload', '--releases=build/rel-a/1,build/rel-b/2', '--stemcells=ubuntu-jammy/1.639']);
    expect(up.status).not.toBe(0);
    expect(up.stdout).toBe(`bosh -n upload-release ${r0}/build/rel-a/1/rpifs-1.0.tgz\nbosh -n upload-release ${r0}/build/rel-b/2/diego-cell-2.tgz\nbosh stemcells --json\n`);
    expect(up.stderr).toMatch(/^no director configured: set BOSH_ENVIRONMENT, BOSH_CLIENT, BOSH_CLIENT_SECRET, BOSH_CA_CERT \(missing: BOSH_ENVIRONMENT/);
    const dep = runScript(r0, ['--action=deploy', '--deployment=rpi-cells', '--manifest=bosh/cells/manifest.yml'], { BOSH_CLIENT: 'admin' });
    expect(dep.status).not.toBe(0);
    expect(dep.stdout).toBe(`bosh -n -d rpi-cells deploy ${r0}/artifacts/bosh/cells/manifest.yml --vars-env=STACK_ELEVATOR_VAR\n`);
    expect(dep.stderr).toContain('missing: BOSH_ENVIRONMENT, BOSH_CLIENT_SECRET, BOSH_CA_CERT');
    expect(existsSync(join(r0, 'bosh.log'))).toBe(false);
    expect(existsSync(join(r0, 'out'))).toBe(false);
  });

  it('plans the cf-deployment deploy from the upstream directory, ops-files in order', () => {
    const r0 = root();
    const res = runScript(r0, ['--action=deploy', '--deployment=cf', '--base=cf-deployment@v58.0.0', '--ops=bosh/a.yml,bosh/b.yml', '--vars=system_domain=sys.example'], { STACK_ELEVATOR_UPSTREAM: join(REPO, '..', 'shared', 'fixtures', 'upstream') });
    expect(res.stdout).toBe(
      `bosh -n -d cf deploy ${join(REPO, '..', 'shared', 'fixtures', 'upstream', 'cf-deployment-v58.0.0', 'cf-deployment.yml')} -o ${r0}/artifacts/bosh/a.yml -o ${r0}/artifacts/bosh/b.yml -v system_domain=sys.example --vars-env=STACK_ELEVATOR_VAR\n`,
    );
  });

  it('with a director runs the commands, passes credentials only through the environment, never prints them', () => {
    const r0 = root();
    const res = runScript(r0, ['--action=upload', '--releases=build/rel-a/1,build/rel-b/2', '--stemcells=ubuntu-jammy/1.639,debian-bookworm-armhf/0.1.0'], DIRECTOR);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(readFileSync(join(r0, 'bosh.log'), 'utf8')).toBe(
      [`-n upload-release ${r0}/build/rel-a/1/rpifs-1.0.tgz secret=yes`, `-n upload-release ${r0}/build/rel-b/2/diego-cell-2.tgz secret=yes`, 'stemcells --json secret=yes', ''].join('\n'),
    );
    const receipt = readFileSync(join(r0, 'out', 'receipt.json'), 'utf8');
    for (const text of [res.stdout, res.stderr, receipt]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('MIICA9d41e7');
    }
  });

  it('fails, leaving no output, when bosh fails or a stemcell is missing', () => {
    const r1 = root({ failOn: 'deploy' });
    const dep = runScript(r1, ['--action=deploy', '--deployment=rpi-cells', '--manifest=bosh/cells/manifest.yml'], DIRECTOR);
    expect(dep.status).not.toBe(0);
    expect(dep.stderr).toContain('FAILED: bosh -n -d rpi-cells deploy');
    expect(existsSync(join(r1, 'out'))).toBe(false);
    const r2 = root({ stemcells: ['ubuntu-jammy/1.639'] });
    const up = runScript(r2, ['--action=upload', '--releases=build/rel-a/1', '--stemcells=debian-bookworm-armhf/0.1.0'], DIRECTOR);
    expect(up.status).not.toBe(0);
    expect(up.stderr).toContain('stemcell(s) not on the director: debian-bookworm-armhf/0.1.0');
  });
});
