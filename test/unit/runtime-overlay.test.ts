import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { callMjs, mustCall } from '../support/diego-fixture';
import { runMjs } from '../support/mjs';

const OVERLAY = 'pipelines/lib/release/overlay.mjs';

/** A two-package release tree: tool (C, from a blob) and agent (Go), one job using both. */
function tinyRelease(dir: string): string {
  const put = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put('config/final.yml', 'final_name: tiny\n');
  put('jobs/agent/spec', 'name: agent\npackages: [agent]\n');
  put('jobs/test-errand/spec', 'name: test-errand\npackages: [tester]\n');
  put('packages/agent/spec', 'name: agent\ndependencies: [tool]\nfiles: [agent/**/*]\n');
  put('packages/agent/packaging', 'go build\n');
  put('packages/tool/spec', 'name: tool\ndependencies: [gcc-blob]\nfiles: [tool/tool-1.0.tar.gz]\n');
  put('packages/gcc-blob/spec', 'name: gcc-blob\nfiles: [gcc/gcc.tar.gz]\n');
  put('packages/gcc-blob/packaging', 'true\n');
  put('packages/agent-tools/spec', 'name: agent-tools\nfiles: [agent/**/*]\n');
  put('packages/agent-tools/packaging', 'true\n');
  put('packages/tool/packaging', 'tar xzf tool/tool-1.0.tar.gz && ./configure && make\n');
  put('packages/tester/spec', 'name: tester\nfiles: [agent/**/*]\n');
  put('packages/tester/packaging', 'true\n');
  put('src/agent/main.c', 'int main(void) {\n  return syscall(322);\n}\n');
  return dir;
}

const PATCH = ['--- a/src/agent/main.c', '+++ b/src/agent/main.c', '@@ -1,3 +1,3 @@', ' int main(void) {', '-  return syscall(322);', '+  return syscall(SYS_execveat);', ' }', ''].join('\n');

describe('runtime release overlay edits (apply-patch, replace-package, add-blob)', () => {
  let dir: string;
  let upstream: string;
  let artifacts: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'se-rt-overlay-'));
    upstream = tinyRelease(join(dir, 'upstream'));
    artifacts = join(dir, 'artifacts');
    mkdirSync(join(artifacts, 'rt'), { recursive: true });
    writeFileSync(join(artifacts, 'rt', '01-execveat.patch'), PATCH);
    writeFileSync(join(artifacts, 'rt', 'tool-packaging'), 'set -e\n${TARGET_CC} -o "${BOSH_INSTALL_TARGET}/tool" tool.c\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const overlay = (edits: unknown[]) => ({ format: 1, variant: 'runtime-armhf', upstream: { release: 'tiny-release', version: 'v1.0.0' }, release: { name: 'tiny', version: '1.0.0+arm.1' }, edits });
  const EDITS = [
    { op: 'apply-patch', patch: 'rt/01-execveat.patch', upstreamRef: 'src/agent/main.c:2', why: 'x86-64 syscall number' },
    { op: 'replace-package', package: 'tool', packaging: 'rt/tool-packaging', files: ['tool/tool-v1.0-src.tgz'], dependencies: ['agent-tools'], substitution: { upstream: 'tool from a blob, host gcc', arm: 'same source, cross gcc', why: 'host gcc builds x86' } },
    // after the replacement: the replaced build's dropped tools leave the closure
    { op: 'keep-jobs', jobs: ['agent'] },
    { op: 'add-blob', path: 'tool/tool-v1.0-src.tgz', source: { kind: 'upstream', file: 'tool-v1.0-src.tgz', sha256: 'a'.repeat(64) } },
  ];

  it('patches the tree, replaces the package and records patches, substitutions and blobs in its summary', () => {
    const dest = join(dir, 'out');
    const summary = mustCall<Record<string, any>>(OVERLAY, 'applyOverlay', { overlay: overlay(EDITS), upstreamDir: upstream, destDir: dest, sourceDir: artifacts });
    expect(readFileSync(join(dest, 'src/agent/main.c'), 'utf8')).toContain('syscall(SYS_execveat)');
    expect(load(readFileSync(join(dest, 'packages/tool/spec'), 'utf8'))).toEqual({ name: 'tool', files: ['tool/tool-v1.0-src.tgz'], dependencies: ['agent-tools'] });
    // gcc-blob was the upstream build's tool: no longer in the kept closure, it is gone
    expect(summary.removedPackages).toEqual(['gcc-blob', 'tester']);
    expect(readFileSync(join(dest, 'packages/tool/packaging'), 'utf8')).toContain('${TARGET_CC}');
    expect(summary.removedJobs).toEqual(['test-errand']);
    expect(summary.patches).toEqual([{ patch: '01-execveat.patch', upstreamRef: 'src/agent/main.c:2', why: 'x86-64 syscall number' }]);
    expect(summary.substitutions).toEqual([{ package: 'tool', upstream: 'tool from a blob, host gcc', arm: 'same source, cross gcc', why: 'host gcc builds x86' }]);
    expect(summary.blobs).toEqual([{ path: 'tool/tool-v1.0-src.tgz', source: { kind: 'upstream', file: 'tool-v1.0-src.tgz', sha256: 'a'.repeat(64) } }]);
    // no patch(1) leftovers in the release tree
    expect(existsSync(join(dest, 'src/agent/main.c.orig'))).toBe(false);
  });

  it('refuses a patch that no longer applies, naming the patch, the upstream file:line and the file, and patches nothing', () => {
    writeFileSync(join(upstream, 'src/agent/main.c'), 'int main(void) {\n  return syscall(387);\n}\n');
    const dest = join(dir, 'out');
    const r = callMjs(OVERLAY, 'applyOverlay', { overlay: overlay(EDITS), upstreamDir: upstream, destDir: dest, sourceDir: artifacts });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.name).toBe('OverlayError');
    expect(r.message).toMatch(/tiny-release v1\.0\.0 does not take patch 01-execveat\.patch \(for src\/agent\/main\.c:2; files src\/agent\/main\.c\)/);
    expect(r.message).toMatch(/fix: upstream changed src\/agent\/main\.c: rebase rt\/01-execveat\.patch/);
    expect(readFileSync(join(dest, 'src/agent/main.c'), 'utf8')).toContain('syscall(387)');
  });

  it('refuses to replace a package outside the kept jobs', () => {
    const edits = [{ op: 'keep-jobs', jobs: ['test-errand'] }, EDITS[1]];
    const r = callMjs(OVERLAY, 'applyOverlay', { overlay: overlay(edits), upstreamDir: upstream, destDir: join(dir, 'out'), sourceDir: artifacts });
    expect(r.ok ? '' : r.message).toMatch(/has no package "tool" outside the kept jobs' package closure/);
  });

  it('refuses an edit with a field missing (overlay.json is a contract)', () => {
    const r = callMjs(OVERLAY, 'validateOverlay', overlay([{ op: 'apply-patch', patch: 'rt/01-execveat.patch', why: 'x' }]));
    expect(r.ok ? '' : r.message).toMatch(/edits\[0\]\.upstreamRef: expected a value/);
  });
});

describe('the checks around a runtime release', () => {
  it('finds the packages a release keeping upstream version did not take from upstream final builds', () => {
    const unreleased = (changed: string[]) =>
      runMjs<string[]>(
        "const { unreleasedPackages } = await lib('release/final-builds');\n" +
          "out(unreleasedPackages(input.packages, new Map([['agent', new Set(['f1', 'f2'])], ['tool', new Set(['t1'])], ['golang-1-linux', new Set(['g1'])]]), new Set(input.changed), /^golang-/));",
        { packages: [{ name: 'agent', fingerprint: 'f2' }, { name: 'tool', fingerprint: 'tX' }, { name: 'golang-1-linux', fingerprint: 'stand-in' }], changed },
      );
    expect(unreleased([])).toEqual(['tool/tX']);
    // a package the overlay replaced on purpose is no surprise; the Go toolchain stand-in never is
    expect(unreleased(['tool'])).toEqual([]);
  });

  it("reads upstream final builds written by the old Ruby CLI (!binary fingerprints) as the Go CLI's hex", () => {
    const tree = mkdtempSync(join(tmpdir(), 'final-builds-'));
    try {
      const dir = join(tree, '.final_builds', 'packages', 'consul');
      mkdirSync(dir, { recursive: true });
      const b64 = Buffer.from('3027815996223b560b97d45030636ef744b21bdc').toString('base64');
      writeFileSync(join(dir, 'index.yml'), `---\nbuilds:\n  !binary "${b64}":\n    version: !binary |-\n      ${b64}\n    blobstore_id: x\n  d828a4735b02229631673bc9cb6aab8e2d56eda5:\n    version: d828a4735b02229631673bc9cb6aab8e2d56eda5\nformat-version: '2'\n`);
      const fingerprints = runMjs<Record<string, string[]>>(
        "const { finalBuildFingerprints } = await lib('release/final-builds');\nout(Object.fromEntries([...finalBuildFingerprints(input.tree)].map(([k, v]) => [k, [...v].sort()])));",
        { tree },
      );
      expect(fingerprints).toEqual({ consul: ['3027815996223b560b97d45030636ef744b21bdc', 'd828a4735b02229631673bc9cb6aab8e2d56eda5'] });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it("stops a cells deploy when the director's runtime config names another bosh-dns, or none", () => {
    const problems = (yaml?: string) => mustCall<string[]>('pipelines/lib/director/required-releases.mjs', 'runtimeConfigProblems', ['bosh-dns/1.39.0'], yaml);
    expect(problems('releases:\n- name: bosh-dns\n  version: 1.39.0\naddons: []\n')).toEqual([]);
    expect(problems('releases:\n- name: bosh-dns\n  version: 1.39.1\n')).toEqual(['the runtime config names bosh-dns 1.39.1, the plan built bosh-dns/1.39.0 for the cells']);
    expect(problems('releases: []\n')).toEqual(['the runtime config names no bosh-dns release (the cells need bosh-dns/1.39.0 from it)']);
    expect(problems(undefined)).toEqual(['the runtime config names no bosh-dns release (the cells need bosh-dns/1.39.0 from it)']);
  });
});
