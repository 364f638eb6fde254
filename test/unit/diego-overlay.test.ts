import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { callMjs, materializeTestTree, mustCall, scratchDir, UPSTREAM_FILE_SERVER_PACKAGES } from '../support/diego-fixture';
import { UPSTREAM_FIXTURES } from '../support/lab-files';
import { synthDiego } from '../support/diego-stack';
import { treeDigest } from '../support/tree';

const OVERLAY = 'pipelines/lib/release/overlay.mjs';
const yamlOf = (file: string): Record<string, unknown> => load(readFileSync(file, 'utf8')) as Record<string, unknown>;
const ARM = ['buildpack_app_lifecycle_armhf', 'diego-sshd_armhf', 'healthcheck_armhf'];

interface Overlay {
  release: { name: string; version: string };
  edits: Array<Record<string, unknown>>;
}

// Each case materializes and copies a ~1,100-file tree in a child node: seconds, not milliseconds.
jest.setTimeout(120_000);

/** The one upstream source file the cell variant patches (the fidelity gate's finding), from the pinned source tarball. */
function withPatchedSource(tree: string): void {
  const patched = 'src/code.cloudfoundry.org/rep/conversion_helpers.go';
  const tar = spawnSync('tar', ['-xzf', join(UPSTREAM_FIXTURES, 'diego-release-v2.105.0-src.tgz'), '-C', tree, '--strip-components=1', `diego-release-v2.105.0/${patched}`], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`cannot extract ${patched}: ${tar.stderr}`);
}

describe('Diego overlays applied to the v2.105.0 fixture specs', () => {
  let dir: string;
  let artifacts: string;
  let upstream: string;
  let cpOverlay: Overlay;
  let cellOverlay: Overlay;

  beforeAll(() => {
    dir = scratchDir('unit');
    artifacts = join(synthDiego({ outdir: join(dir, 'out') }).stackDir, 'artifacts');
    cpOverlay = JSON.parse(readFileSync(join(artifacts, 'diego/control-plane/overlay.json'), 'utf8'));
    cellOverlay = JSON.parse(readFileSync(join(artifacts, 'diego/cell-armhf/overlay.json'), 'utf8'));
    upstream = join(dir, 'upstream');
    materializeTestTree(upstream, { extraPackageDirs: ARM.map((p) => join(artifacts, 'diego/control-plane/packages', p)) });
    // The spec fixture has no sources: the file the cell variant's patch changes comes from the tarball.
    withPatchedSource(upstream);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const apply = (overlay: unknown, from: string, to: string) => callMjs<Record<string, unknown>>(OVERLAY, 'applyOverlay', { overlay, upstreamDir: from, destDir: to, sourceDir: artifacts });

  it('control plane: file_server lists the upstream packages plus the ARM ones, and nothing else changed', () => {
    const out = join(dir, 'cp');
    const res = apply(cpOverlay, upstream, out);
    expect(res.ok).toBe(true);

    // The rule: the result is the upstream tree plus the ARM package dirs; of the upstream files, only
    // file_server's package list and final.yml's final_name differ.
    const before = treeDigest(upstream);
    const after = treeDigest(out);
    const added = Object.keys(after).filter((f) => !(f in before));
    expect(added.sort()).toEqual(ARM.flatMap((p) => [`packages/${p}/packaging`, `packages/${p}/spec`]).sort());
    expect(Object.keys(before).filter((f) => !(f in after))).toEqual([]);
    const changed = Object.keys(before).filter((f) => before[f] !== after[f]);
    expect(changed.sort()).toEqual(['config/final.yml', 'jobs/file_server/spec']);

    const upSpec = yamlOf(join(upstream, 'jobs/file_server/spec'));
    const cpSpec = yamlOf(join(out, 'jobs/file_server/spec'));
    expect(cpSpec.packages).toEqual([...UPSTREAM_FILE_SERVER_PACKAGES, ...ARM]);
    expect({ ...cpSpec, packages: null }).toEqual({ ...upSpec, packages: null });
    expect(Object.keys(cpSpec)).toEqual(Object.keys(upSpec));

    const upFinal = yamlOf(join(upstream, 'config/final.yml'));
    const cpFinal = yamlOf(join(out, 'config/final.yml'));
    expect(upFinal.final_name).toBe('diego');
    expect(cpFinal.final_name).toBe('diego-pi-lab-cp');
    expect({ ...cpFinal, final_name: null }).toEqual({ ...upFinal, final_name: null });
  });

  it('the fixture itself (not only the test tree) has the file_server packages the rule starts from', () => {
    const fixture = yamlOf(join(__dirname, '../../../shared/fixtures/upstream/diego-release-v2.105.0/jobs/file_server/spec'));
    expect(fixture.packages).toEqual(UPSTREAM_FILE_SERVER_PACKAGES);
  });

  it('cell: keeps rep and route_emitter with their package closure, retargets every Go package to armhf', () => {
    const out = join(dir, 'cell');
    const res = apply(cellOverlay, upstream, out);
    expect(res.ok).toBe(true);
    const summary = (res as { value: Record<string, string[]> }).value;
    expect(summary.jobs).toEqual(['rep', 'route_emitter']);
    // proxy (x86 envoy) leaves with the rep job's reference to it: the cells run without the container proxy.
    expect(summary.packages).toEqual(['certsplitter', 'golang-1.23-linux', 'healthcheck', 'pid_utils', 'rep', 'route_emitter']);
    expect(yamlOf(join(out, 'jobs/rep/spec')).packages).toEqual(['pid_utils', 'rep', 'healthcheck', 'certsplitter']);
    expect(summary.retargetedPackages).toEqual(['certsplitter', 'healthcheck', 'rep', 'route_emitter']);
    for (const p of summary.retargetedPackages) {
      const packaging = readFileSync(join(out, 'packages', p, 'packaging'), 'utf8');
      expect(packaging).toContain('export GOOS=linux\nexport GOARCH=arm\nexport GOARM=7\nexport CGO_ENABLED=0\n');
      expect(packaging).toContain('/golang-1.23-linux/bosh/compile.env');
    }
    expect(readFileSync(join(out, 'packages/rep/packaging'), 'utf8')).toMatch(/-o "\$\{BOSH_INSTALL_TARGET\}"\/bin\/rep code\.cloudfoundry\.org\/rep\/cmd\/rep\n/);
    // Kept specs are upstream's, byte for byte, but the rep job's (proxy dropped): only packaging is ours.
    const before = treeDigest(upstream);
    const after = treeDigest(out);
    const specs = Object.keys(after).filter((f) => f.endsWith('/spec'));
    expect(specs).toContain('jobs/rep/spec');
    for (const f of specs.filter((x) => x !== 'jobs/rep/spec')) expect([f, after[f]]).toEqual([f, before[f]]);
    expect(yamlOf(join(out, 'config/final.yml')).final_name).toBe('diego-pi-lab-cell-armhf');
  });

  describe('fails loudly, naming the upstream version and the missing thing', () => {
    const tree = (name: string, omit: { jobs?: string[]; packages?: string[] } = {}): string => {
      const t = join(dir, `drift-${name}`);
      materializeTestTree(t, { omit });
      withPatchedSource(t);
      return t;
    };
    const failure = (overlay: unknown, from: string): string => {
      const res = apply(overlay, from, `${from}-out`);
      if (res.ok) throw new Error('overlay applied to a drifted tree');
      expect(res.name).toBe('OverlayError');
      return res.message;
    };

    it('an upstream without jobs/file_server', () => {
      const msg = failure(cpOverlay, tree('no-file-server', { jobs: ['file_server'] }));
      expect(msg).toMatch(/^diego-release v2\.105\.0 has no job "file_server" \(jobs\/file_server\/spec\): overlay diego-pi-lab-cp \(control-plane\) edits\[\d+\] patch-job-spec cannot apply/);
    });

    it('a cell job renamed upstream', () => {
      expect(failure(cellOverlay, tree('no-route-emitter', { jobs: ['route_emitter'] }))).toMatch(/^diego-release v2\.105\.0 has no job "route_emitter" .*keep-jobs/);
    });

    it('a package a kept job needs is missing', () => {
      expect(failure(cellOverlay, tree('no-certsplitter', { packages: ['certsplitter'] }))).toMatch(/^diego-release v2\.105\.0 has no package "certsplitter" \(packages\/certsplitter\), which job rep needs/);
    });

    it('a Go package that moved to another toolchain package', () => {
      const t = tree('golang-bump');
      mkdirSync(join(t, 'packages/golang-1.24-linux'));
      writeFileSync(join(t, 'packages/golang-1.24-linux/spec.lock'), 'name: golang-1.24-linux\n');
      const spec = join(t, 'packages/route_emitter/spec');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('- golang-1.23-linux', '- golang-1.24-linux'));
      expect(failure(cellOverlay, t)).toMatch(/package "route_emitter" does not depend on golang-1\.23-linux \(its dependencies: golang-1\.24-linux\)/);
    });

    it('a command moved out of the package sources', () => {
      const t = tree('cmd-moved');
      const spec = join(t, 'packages/rep/spec');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace(/.*rep\/cmd\/gocurl.*\n/, ''));
      expect(failure(cellOverlay, t)).toMatch(/package "rep" lists no source files under code\.cloudfoundry\.org\/rep\/cmd\/gocurl\//);
    });

    it('a new Go package in the cell closure that nobody retargets', () => {
      const t = tree('new-go-dep');
      const spec = join(t, 'jobs/rep/spec');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('  - certsplitter\n', '  - certsplitter\n  - locket\n'));
      expect(failure(cellOverlay, t)).toMatch(/has Go package\(s\) locket that the overlay does not retarget/);
    });

    it('upstream already shipping a package the overlay adds', () => {
      const t = tree('already-arm');
      const add = cpOverlay.edits.find((e) => e.op === 'add-package') as { name: string };
      mkdirSync(join(t, 'packages', add.name));
      writeFileSync(join(t, 'packages', add.name, 'spec'), `---\nname: ${add.name}\n`);
      expect(failure(cpOverlay, t)).toMatch(new RegExp(`already has a package "${add.name}"`));
    });

    it('a tree that is not a release at all', () => {
      const t = join(dir, 'empty');
      mkdirSync(t);
      expect(failure(cpOverlay, t)).toMatch(/is not a BOSH release: it has no config\/final\.yml/);
    });
  });

  it('rejects malformed overlays before touching any tree', () => {
    const bad = { ...cpOverlay, edits: [...cpOverlay.edits, { op: 'delete-everything' }] };
    const res = callMjs(OVERLAY, 'validateOverlay', bad);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toMatch(/edits\[\d+\]\.op: expected one of set-final-name, add-package/);
    const extra = { ...cpOverlay, edits: [{ op: 'set-final-name', name: 'x', force: true }] };
    expect(callMjs(OVERLAY, 'validateOverlay', extra)).toMatchObject({ ok: false, message: expect.stringMatching(/only op, name, found force/) });
  });
});

describe('test-tree placeholders', () => {
  const path = (g: string): string => mustCall<string>('pipelines/lib/upstream/upstream-fixture.mjs', 'placeholderPathFor', g);
  it('turns each BOSH files glob into a path it matches', () => {
    expect(path('code.cloudfoundry.org/vendor/golang.org/x/sys/unix/*.s')).toBe('code.cloudfoundry.org/vendor/golang.org/x/sys/unix/placeholder.s');
    expect(path('jq/jq-*-linux-amd64.tgz')).toBe('jq/jq-placeholder-linux-amd64.tgz');
    expect(path('code.cloudfoundry.org/vizzini/scripts/**/*')).toBe('code.cloudfoundry.org/vizzini/scripts/placeholder');
    expect(path('pid_utils.sh')).toBe('pid_utils.sh');
    expect(path('a/file-?.[ch]')).toBe('a/file-x.c');
  });
});
