import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runMjs } from '../support/mjs';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

// setup's probes against the real toolchain, and against broken copies of it that no test has to
// uninstall anything for: a PATH whose arch-test is hidden, a HOME without the provider mirror, a
// Docker host that is not there, a lock asking for versions nobody has.

interface Probe {
  ok: boolean;
  detail: string;
  fix?: string;
}

const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')) as { tools: Record<string, string> };
const realPath = [join(PROJECT_ROOT, '.tools', 'bin'), process.env.PATH ?? ''].join(delimiter);

function probe(name: string, ctx: { env?: NodeJS.ProcessEnv; lock?: unknown } = {}): Probe {
  return runMjs<Probe>(
    `const m = await lib('setup/setup-probes');
     out(await m[input.name]({ root: input.root, binfmtDir: '/proc/sys/fs/binfmt_misc', binfmtConfDir: '/usr/lib/binfmt.d', ...input.ctx }));`,
    { name, root: PROJECT_ROOT, ctx: { lock, ...ctx, env: { ...process.env, PATH: realPath, ...ctx.env } } },
  );
}

/** PATH as it is, except that every directory holding `hide` is replaced by a copy (of links) without it. */
function pathWithout(hide: string): string {
  const shadowRoot = mkdtempSync(join(tmpdir(), `se-no-${hide}-`));
  return realPath
    .split(delimiter)
    .map((dir, i) => {
      if (!dir || !existsSync(join(dir, hide))) return dir;
      const shadow = join(shadowRoot, String(i));
      mkdirSync(shadow);
      for (const name of readdirSync(dir)) if (name !== hide) symlinkSync(join(dir, name), join(shadow, name));
      return shadow;
    })
    .join(delimiter);
}

describe('setup probes on this machine', () => {
  it('mmdebstrap: arch-test answers armhf and arm64; with arch-test hidden it names the package', () => {
    expect(probe('probeMmdebstrap')).toMatchObject({ ok: true, detail: expect.stringContaining('armhf ok, arm64 ok') });
    const broken = probe('probeMmdebstrap', { env: { PATH: pathWithout('arch-test') } });
    expect(broken.ok).toBe(false);
    expect(broken.detail).toMatch(/^arch-test not found on PATH .*: mmdebstrap cannot bootstrap armhf \(E: install arch-test for foreign architecture support\)$/);
    expect(broken.fix).toBe('apt-get install arch-test');
  });

  it('binfmt: the registered handlers run the ARM probe binaries', () => {
    expect(probe('probeBinfmt')).toEqual({ ok: true, detail: 'qemu-arm, qemu-aarch64 run ARM binaries' });
  });

  it('docker: an arm/v7 container runs; a Docker host that is not there is reported with the fix', () => {
    expect(probe('probeDockerArm')).toEqual({ ok: true, detail: 'an armv7 container runs' });
    const gone = probe('probeDockerEngine', { env: { DOCKER_HOST: `unix://${join(tmpdir(), 'se-no-such-docker.sock')}` } });
    expect(gone.ok).toBe(false);
    expect(gone.detail).toMatch(/^docker info: .*se-no-such-docker\.sock/);
    expect(gone.fix).toMatch(/^start the engine: dockerd --storage-driver=vfs --iptables=false/);
  });

  it('bosh and terraform: report the version found against the lock', () => {
    const tfVersion = (JSON.parse(run('terraform', ['version', '-json']).stdout) as { terraform_version: string }).terraform_version;
    expect(probe('probeTerraform')).toEqual({ ok: true, detail: `terraform ${tfVersion} (lab.lock.json: >= ${lock.tools.terraform.replace(/^v/, '')})` });
    const tooOld = probe('probeTerraform', { lock: { tools: { ...lock.tools, terraform: 'v99.0.0' } } });
    expect(tooOld).toMatchObject({ ok: false, detail: `terraform ${tfVersion} found, lab.lock.json wants 99.0.0 or newer` });
    expect(probe('probeBosh')).toEqual({ ok: true, detail: `version ${lock.tools['bosh-cli'].replace(/^v/, '')}` });
    const otherPin = probe('probeBosh', { lock: { tools: { ...lock.tools, 'bosh-cli': 'v0.0.1' } } });
    expect(otherPin).toMatchObject({ ok: false, detail: `bosh prints version ${lock.tools['bosh-cli'].replace(/^v/, '')}, lab.lock.json pins 0.0.1` });
  });

  it('provider: terraform init finds kreuzwerker/docker in the mirror; a HOME without it gets the path to build it into', () => {
    expect(probe('probeDockerProvider')).toMatchObject({ ok: true, detail: expect.stringMatching(/^terraform init installs kreuzwerker\/docker 3\.6\.2 from /) });
    const home = mkdtempSync(join(tmpdir(), 'se-home-'));
    const none = probe('probeDockerProvider', { env: { HOME: home, XDG_DATA_HOME: '' } });
    expect(none.ok).toBe(false);
    expect(none.detail).toMatch(/^terraform init does not find kreuzwerker\/docker 3\.6\.2/);
    expect(none.fix).toBe(`npm run setup builds it into ${home}/.local/share/terraform/plugins/registry.terraform.io/kreuzwerker/docker/3.6.2/linux_amd64/terraform-provider-docker_v3.6.2`);
    rmSync(home, { recursive: true, force: true });
  });
});

describe('npm run setup', () => {
  it('--check: one ok line per prerequisite on this machine, exit 0', () => {
    const res = run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'setup.mjs'), '--check'], { timeoutMs: 5 * 60_000 });
    expect(res.stderr).toBe('');
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    const lines = res.stdout.trim().split('\n');
    // every prerequisite the toolchain needs, each on its own line, each answering on this machine
    const names = lines.slice(0, -1).map((l) => l.slice(17, 45).trim());
    expect(names).toEqual(['debian tools', 'binfmt qemu-user', 'mmdebstrap armhf/arm64', 'docker engine', 'docker arm/v7 container', 'go', 'cross toolchain armhf/arm64', 'bosh cli', 'terraform', 'provider kreuzwerker/docker', 'actionlint', 'qemu-system-arm', 'garden VM debs (armhf)']);
    expect(lines.slice(0, -1).map((l) => l.slice(0, 16))).toEqual(Array(names.length).fill('setup: ok       '));
    expect(lines.at(-1)).toBe('setup: every prerequisite answers');
  }, 5 * 60_000);

  it('a provider tarball with the wrong sha256: names file and expected sha, leaves no mirror', () => {
    const home = mkdtempSync(join(tmpdir(), 'se-home-'));
    const upstream = mkdtempSync(join(tmpdir(), 'se-upstream-'));
    const bad = join(upstream, 'terraform-provider-docker-v3.6.2-src.tgz');
    writeFileSync(bad, 'not the provider\n');
    const res = run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'setup.mjs')], {
      env: { HOME: home, XDG_DATA_HOME: '', STACK_ELEVATOR_UPSTREAM: upstream },
      timeoutMs: 5 * 60_000,
    });
    expect(res.status).toBe(1);
    const line = res.stdout.split('\n').find((l) => l.includes('provider kreuzwerker/docker'));
    expect(line).toMatch(new RegExp(`^setup: failed +provider kreuzwerker/docker +${bad} has sha256 [0-9a-f]{64}, lab.lock.json expects ${lock.tools['terraform-provider-docker-src-sha256']}`));
    expect(res.stderr).toBe('setup failed at provider kreuzwerker/docker (the fix is on its line above)\n');
    expect(existsSync(join(home, '.local', 'share', 'terraform'))).toBe(false);
    rmSync(home, { recursive: true, force: true });
    rmSync(upstream, { recursive: true, force: true });
  }, 5 * 60_000);
});
