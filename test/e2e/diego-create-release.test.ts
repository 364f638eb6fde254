import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CELL_GO_PACKAGES } from '../../constructs/diego/go-packaging';
import { renderPackagingScript } from '../../constructs/golang/packaging-script';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { materializeTestTree, scratchDir, UPSTREAM_FILE_SERVER_PACKAGES, writeFiles } from '../support/diego-fixture';
import { synthDiego } from '../support/diego-stack';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

const BOSH = join(PROJECT_ROOT, '.tools', 'bin', 'bosh');
const ARM = ['buildpack_app_lifecycle_armhf', 'diego-sshd_armhf', 'healthcheck_armhf'];

interface ReleaseJson {
  name: string;
  version: string;
  tarball: string;
  sha256: string;
  jobs: Array<{ name: string; fingerprint: string; packages: string[] }>;
  packages: Array<{ name: string; fingerprint: string; dependencies: string[] }>;
  source: { kind: string; upstream: { version: string; tree: string } };
  deployable: boolean;
}

interface Inspected {
  jobs: string[];
  packages: string[];
  fileServerPackages: string[];
}

/** `bosh inspect-local-release --json`, boiled down to job and package names. */
function inspect(tarball: string): Inspected {
  const res = run(BOSH, ['inspect-local-release', '--json', tarball]);
  expect(outcome(res)).toEqual({ status: 0, tail: '' });
  const tables = JSON.parse(res.stdout).Tables as Array<{ Content: string; Rows: Array<Record<string, string>> }>;
  const rows = (c: string) => tables.find((t) => t.Content === c)?.Rows ?? [];
  const jobs = rows('jobs');
  return {
    jobs: jobs.map((r) => r.job.split('/')[0]).sort(),
    packages: rows('packages').map((r) => r.package.split('/')[0]).sort(),
    fileServerPackages: (jobs.find((r) => r.job.startsWith('file_server/'))?.packages ?? '').split(/\s+/).filter(Boolean).sort(),
  };
}

/** Runs a planned step exactly as terraform's local-exec would: its command, from the stack dir. */
function runStep(stackDir: string, step: PlannedStep): { seconds: number; stdout: string; stderr: string; status: number | null } {
  const t0 = Date.now();
  const res = run('sh', ['-c', step.command], { cwd: stackDir });
  return { ...res, seconds: (Date.now() - t0) / 1000 };
}

describe('create-release of the two Diego variants (real bosh CLI, from the v2.105.0 source tarball)', () => {
  let dir: string;
  let stackDir: string;
  let steps: PlannedStep[];
  const outs: string[] = [];

  beforeAll(() => {
    expect(existsSync(BOSH)).toBe(true);
    dir = scratchDir('e2e');
    const s = synthDiego({ outdir: join(dir, 'out'), realLifecycle: true });
    stackDir = s.stackDir;
    steps = s.steps;
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const o of outs) {
      rmSync(join(PROJECT_ROOT, o), { recursive: true, force: true });
      // build/<step id>/ too, unless a real plan run keeps outputs there.
      const parent = join(PROJECT_ROOT, o, '..');
      if (existsSync(parent) && readdirSync(parent).length === 0) rmSync(parent, { recursive: true });
    }
  });

  const step = (id: string): PlannedStep => {
    const found = steps.find((s) => s.id === id);
    if (!found) throw new Error(`no step ${id} in ${steps.map((s) => s.id).join(', ')}`);
    outs.push(found.out);
    return found;
  };

  it('control plane: a tarball whose file_server carries the upstream packages plus the ARM ones, holding the built bytes', () => {
    const s = step('lab-diego-controlplane-create');
    // The ARM packages' blobs are what the lab's cross-compile steps built: run those first, as a deploy does.
    for (const builder of steps.filter((x) => s.after.includes(x.id))) {
      const built = runStep(stackDir, builder);
      expect(built.stderr).not.toContain('FAILED');
      expect(outcome(built)).toEqual({ status: 0, tail: '' });
    }
    const res = runStep(stackDir, s);
    expect(res.stderr).toBe('');
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    expect(res.stdout).toContain('from tarball');
    expect(res.stdout).toContain('NOT DEPLOYABLE');
    process.stdout.write(`control-plane create-release: ${res.seconds.toFixed(1)} s\n`);

    const out = join(PROJECT_ROOT, s.out);
    const rel = JSON.parse(readFileSync(join(out, 'release.json'), 'utf8')) as ReleaseJson;
    expect(rel.name).toBe('diego-pi-lab-cp');
    expect(rel.version).toBe(s.args.version);
    expect(rel.tarball).toBe(`diego-pi-lab-cp-${s.args.version}.tgz`);
    expect(readdirSync(out).sort()).toEqual(['NOT-DEPLOYABLE.txt', rel.tarball, 'release.json'].sort());
    expect(rel.deployable).toBe(false);
    const tarball = join(out, rel.tarball);
    expect(rel.sha256).toBe(createHash('sha256').update(readFileSync(tarball)).digest('hex'));
    expect(rel.source.upstream).toMatchObject({ version: 'v2.105.0', tree: 'tarball' });
    for (const p of rel.packages) expect(p.fingerprint).toMatch(/^[0-9a-f]{40,64}$/);

    const got = inspect(tarball);
    expect(got.packages).toEqual(expect.arrayContaining(ARM));
    expect(got.packages).toHaveLength(24 + ARM.length);
    expect(got.fileServerPackages).toEqual([...UPSTREAM_FILE_SERVER_PACKAGES, ...ARM].sort());
    expect(got.jobs).toHaveLength(11);
    expect(rel.packages.map((p) => p.name)).toEqual(got.packages);

    // The bundle inside the release is byte for byte the one the bundle step built and checked.
    const bundleStep = steps.find((x) => x.provides?.['lifecycle-bundle/armhf'])!;
    const built = join(PROJECT_ROOT, bundleStep.out, bundleStep.provides!['lifecycle-bundle/armhf']);
    const x = join(dir, 'cp-x');
    mkdirSync(join(x, 'pkg'), { recursive: true });
    expect(run('tar', ['-xzf', tarball, '-C', x]).status).toBe(0);
    expect(run('tar', ['-xzf', join(x, 'packages', 'buildpack_app_lifecycle_armhf.tgz'), '-C', join(x, 'pkg')]).status).toBe(0);
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(sha(join(x, 'pkg', 'arm/armhf/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz'))).toBe(sha(built));
    expect(readFileSync(join(x, 'pkg', 'packaging'), 'utf8')).not.toContain('go build');
    // What is missing from the tarball tree are upstream's other submodules and blobs, never the ARM packages.
    expect(readFileSync(join(out, 'NOT-DEPLOYABLE.txt'), 'utf8')).not.toMatch(/_armhf/);
  }, 900_000);

  it('cell: a tarball with only rep and route_emitter, their real sources, Go packages built for armhf', () => {
    const s = step('lab-diego-cell-armhf-create');
    const res = runStep(stackDir, s);
    expect(res.stderr).toBe('');
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    expect(res.stdout).toContain('NOT DEPLOYABLE');
    process.stdout.write(`cell create-release: ${res.seconds.toFixed(1)} s\n`);

    const out = join(PROJECT_ROOT, s.out);
    const rel = JSON.parse(readFileSync(join(out, 'release.json'), 'utf8')) as ReleaseJson;
    expect(rel.name).toBe('diego-pi-lab-cell-armhf');
    const got = inspect(join(out, rel.tarball));
    expect(got.jobs).toEqual(['rep', 'route_emitter']);
    // No proxy: the cell variant drops the x86 envoy package from the rep job (cells run without the container proxy).
    expect(got.packages).toEqual(['certsplitter', 'golang-1.23-linux', 'healthcheck', 'pid_utils', 'rep', 'route_emitter']);

    // The packaging inside the release tarball (not just our artifact) is the retargeted one.
    const x = join(dir, 'cell-x');
    mkdirSync(x);
    expect(run('tar', ['-xzf', join(out, rel.tarball), '-C', x]).status).toBe(0);
    for (const p of ['certsplitter', 'healthcheck', 'rep', 'route_emitter']) {
      const px = join(x, `pkg-${p}`);
      mkdirSync(px);
      expect(run('tar', ['-xzf', join(x, 'packages', `${p}.tgz`), '-C', px]).status).toBe(0);
      expect(readFileSync(join(px, 'packaging'), 'utf8')).toContain('export GOOS=linux\nexport GOARCH=arm\nexport GOARM=7\nexport CGO_ENABLED=0\n');
    }
    // rep and route_emitter carry the tree's real Go sources, not placeholders.
    for (const f of ['pkg-rep/code.cloudfoundry.org/rep/cmd/rep/main.go', 'pkg-route_emitter/code.cloudfoundry.org/route-emitter/cmd/route-emitter/main.go']) {
      expect(readFileSync(join(x, f), 'utf8')).toMatch(/^package main$/m);
    }
    // Only what the lab leaves untouched was made up, and the step says the release is not deployable.
    const note = readFileSync(join(out, 'NOT-DEPLOYABLE.txt'), 'utf8');
    expect(note).toContain('package golang-1.23-linux (vendored)');
    // proxy (the x86 envoy blob) is dropped from the cell variant, so it needs no placeholder
    expect(note).not.toMatch(/package proxy/);
    expect(note).not.toMatch(/package (rep|route_emitter|certsplitter|healthcheck):/);
    expect(rel.deployable).toBe(false);
  }, 300_000);

  it('an upstream tree without jobs/file_server: the overlay error, exit 1, and no release', () => {
    const upstream = join(dir, 'no-file-server');
    materializeTestTree(upstream, { omit: { jobs: ['file_server'] } });
    const out = join(dir, 'drift-out');
    const res = run('node', [join(PROJECT_ROOT, 'pipelines/create-release.mjs'), `--root=${PROJECT_ROOT}`, '--artifacts=artifacts', `--out=${out}`, '--overlay=artifacts/diego/control-plane/overlay.json', `--upstream=${upstream}`], { cwd: stackDir });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^create-release: diego-release v2\.105\.0 has no job "file_server" \(jobs\/file_server\/spec\): overlay diego-pi-lab-cp \(control-plane\) edits\[\d+\] patch-job-spec cannot apply/);
    expect(res.stdout).not.toMatch(/bosh create-release/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('drift-out'))).toEqual([]);
  }, 120_000);

  it('clones the upstream at its pinned tag when no tree is given, and refuses a tag that moved', () => {
    // A local repo stands in for GitHub: same clone path (tag, submodules, sha check), no network.
    const repo = join(dir, 'diego-release.git');
    const artifacts = join(stackDir, 'artifacts');
    materializeTestTree(repo, { extraPackageDirs: ARM.map((p) => join(artifacts, 'diego/control-plane/packages', p)) });
    const git = (...a: string[]) => run('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...a]);
    for (const a of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'fixture'], ['tag', 'v2.105.0']]) expect(git(...a).status).toBe(0);
    const sha = git('rev-parse', 'HEAD').stdout.trim();
    const overlay = JSON.parse(readFileSync(join(artifacts, 'diego/control-plane/overlay.json'), 'utf8'));
    const root = join(dir, 'git-root');
    const attempt = (pin: string, name: string) => {
      writeFiles(artifacts, { [`diego/${name}.json`]: JSON.stringify({ ...overlay, upstream: { ...overlay.upstream, repo: `file://${repo}`, sha: pin } }) });
      return run('node', [join(PROJECT_ROOT, 'pipelines/create-release.mjs'), `--root=${root}`, '--artifacts=artifacts', `--out=${join(dir, name)}`, `--overlay=artifacts/diego/${name}.json`], { cwd: stackDir });
    };
    const ok = attempt(sha, 'git-ok');
    expect(ok.stderr).toBe('');
    expect(outcome(ok)).toEqual({ status: 0, tail: '' });
    expect(existsSync(join(root, 'build/upstream/diego-release-v2.105.0/jobs/file_server/spec'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'git-ok', 'release.json'), 'utf8')).source.upstream).toMatchObject({ tree: 'git', sha });

    const moved = attempt('0'.repeat(40), 'git-moved');
    expect(moved.status).toBe(1);
    expect(moved.stderr).toContain(`tag v2.105.0 is at ${sha}, but lab.lock.json pins ${'0'.repeat(40)}`);
    expect(existsSync(join(dir, 'git-moved'))).toBe(false);
  }, 300_000);

  it('is generic: a plain --release-dir, and a clear message when bosh is missing', () => {
    const rd = join(dir, 'plain');
    writeFiles(rd, {
      'config/final.yml': '---\nfinal_name: plain\n',
      'jobs/j/spec': '---\nname: j\ntemplates: {}\npackages: [p]\n',
      'jobs/j/monit': '',
      'packages/p/spec': '---\nname: p\nfiles: [p.txt]\n',
      'packages/p/packaging': 'set -e\n',
      'src/p.txt': 'p\n',
    });
    const out = join(dir, 'plain-out');
    const args = [join(PROJECT_ROOT, 'pipelines/create-release.mjs'), `--out=${out}`, `--release-dir=${rd}`, '--version=1.0.0'];
    const ok = run('node', [...args, `--root=${PROJECT_ROOT}`]);
    expect(outcome(ok)).toEqual({ status: 0, tail: '' });
    expect(JSON.parse(readFileSync(join(out, 'release.json'), 'utf8'))).toMatchObject({ name: 'plain', version: '1.0.0', tarball: 'plain-1.0.0.tgz', source: { kind: 'release-dir' } });
    expect(existsSync(join(rd, 'dev_releases'))).toBe(false);

    const nobosh = run('node', [...args, `--root=${dir}`], { env: { PATH: '/usr/bin:/bin' } });
    expect(nobosh.status).toBe(1);
    expect(nobosh.stderr).toMatch(/bosh not found in .* or on PATH \(fix: run npm run setup\)/);
  }, 120_000);
});

describe('the generated cell packaging, run like a BOSH compile VM would', () => {
  // A module shaped like diego-release's src/code.cloudfoundry.org with the commands of two cell packages
  // (healthcheck installs at the top, rep under bin/), and a stand-in golang package whose compile.env puts
  // the machine's Go on PATH. The scripts are rendered as CellDiegoVariant renders them.
  const builds = CELL_GO_PACKAGES.filter((b) => b.package === 'healthcheck' || b.package === 'rep');
  it.each([
    ['armhf', { goos: 'linux', goarch: 'arm', goarm: 7 }, 1, 0x28],
    ['arm64', { goos: 'linux', goarch: 'arm64' }, 2, 0xb7],
  ] as const)('cross-compiles static %s binaries on this x86 machine, each passing the script\'s ELF check', (_arch, target, elfClass, machine) => {
    const dir = scratchDir('go');
    try {
      const goBin = ['/usr/local/go/bin/go', ...(process.env.PATH ?? '').split(':').map((p) => join(p, 'go'))].find((p) => existsSync(p));
      expect(goBin).toBeDefined();
      const mains = Object.fromEntries(
        builds.flatMap((b) => b.binaries).map((x) => [`compile/${x.importPath}/main.go`, 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("ok") }\n']),
      );
      writeFiles(dir, {
        'compile/code.cloudfoundry.org/go.mod': 'module code.cloudfoundry.org\n\ngo 1.22\n',
        'compile/code.cloudfoundry.org/vendor/modules.txt': '',
        ...mains,
        'packages/golang-1.23-linux/bosh/compile.env': `export PATH=${join(goBin!, '..')}:$PATH\nexport GOCACHE=${join(dir, 'gocache')}\nexport GOFLAGS=\n`,
      });
      for (const b of builds) {
        const packaging = renderPackagingScript({
          packageName: b.package,
          generator: 'CellDiegoVariant',
          golangPackage: 'golang-1.23-linux',
          moduleDir: 'code.cloudfoundry.org',
          target,
          binaries: b.binaries,
          installDir: b.installDir,
        });
        writeFiles(dir, { [`packaging-${b.package}`]: packaging });
        const res = run('bash', [join(dir, `packaging-${b.package}`)], {
          cwd: join(dir, 'compile'),
          env: { BOSH_INSTALL_TARGET: join(dir, 'install', b.package), BOSH_PACKAGES_DIR: join(dir, 'packages'), HOME: dir },
          timeoutMs: 300_000,
        });
        expect(res.stderr).toBe('');
        expect(outcome(res)).toEqual({ status: 0, tail: '' });
        for (const x of b.binaries) expect(res.stdout).toContain(`${x.name}: ${elfClass === 1 ? 'ELF 32-bit ARM EABI5' : 'ELF 64-bit ARM aarch64'} executable, statically linked`);
      }
      for (const installed of ['healthcheck/healthcheck', 'rep/bin/rep', 'rep/bin/gocurl']) {
        const elf = readFileSync(join(dir, 'install', installed));
        expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
        expect(elf[4]).toBe(elfClass);
        expect(elf.readUInt16LE(18)).toBe(machine);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
