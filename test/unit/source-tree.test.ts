import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runMjs } from '../support/mjs';

/** A small release-shaped tree: files relative to its root. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'se-tree-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe('reading a package\'s files from a release tree', () => {
  it('walks only the directories the spec globs start with, and finds what selectFiles would in the whole tree', () => {
    const root = tree({
      'code.cloudfoundry.org/go.mod': 'module code.cloudfoundry.org\n',
      'code.cloudfoundry.org/healthcheck/cmd/healthcheck/main.go': 'package main\n',
      'code.cloudfoundry.org/healthcheck/.git': 'gitdir\n',
      'code.cloudfoundry.org/rep/cmd/rep/main.go': 'package main\n',
      'garden/x.go': 'package garden\n',
    });
    try {
      const globs = ['code.cloudfoundry.org/go.mod', 'code.cloudfoundry.org/healthcheck/**/*.go'];
      const r = runMjs<{ walked: string[]; picked: string[]; whole: string[] }>(
        "const g = await lib('go/go-glob'); out({ walked: g.walkGlobRoots(input.root, input.globs), picked: g.selectFiles(g.walkGlobRoots(input.root, input.globs), input.globs), whole: g.selectFiles(g.walkFiles(input.root), input.globs) });",
        { root, globs },
      );
      // Everything under code.cloudfoundry.org (the go.mod glob's directory), nothing under garden/, no dot-files.
      expect(r.walked).toEqual(['code.cloudfoundry.org/go.mod', 'code.cloudfoundry.org/healthcheck/cmd/healthcheck/main.go', 'code.cloudfoundry.org/rep/cmd/rep/main.go']);
      expect(r.picked).toEqual(['code.cloudfoundry.org/go.mod', 'code.cloudfoundry.org/healthcheck/cmd/healthcheck/main.go']);
      expect(r.picked).toEqual(r.whole);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('an offline release tree (from a source tarball) made buildable by bosh', () => {
  it('drops blobstore records, keeps added blobs, and lists every placeholder it had to make', () => {
    const root = tree({
      'config/blobs.yml': 'proxy/envoy.tgz:\n  size: 1\n  object_id: x\n  sha: sha256:00\n',
      '.final_builds/packages/golang-1.23-linux/index.yml': 'builds: {}\n',
      'packages/golang-1.23-linux/spec.lock': 'name: golang-1.23-linux\nfingerprint: abc\n',
      'packages/proxy/spec': '---\nname: proxy\nfiles:\n  - proxy/envoy.tgz\n',
      'packages/rep/spec': '---\nname: rep\nfiles:\n  - code.cloudfoundry.org/rep/*.go # gosub\n',
      'packages/bbs/spec': '---\nname: bbs\nfiles:\n  - code.cloudfoundry.org/bbs/*.go # gosub\n',
      'packages/healthcheck_armhf/spec': '---\nname: healthcheck_armhf\nfiles:\n  - arm/armhf/healthcheck_armhf/healthcheck\n',
      'src/code.cloudfoundry.org/rep/rep.go': 'package rep\n',
      'blobs/arm/armhf/healthcheck_armhf/healthcheck': 'ELF\n',
    });
    try {
      const filled = runMjs<string[]>("const t = await lib('upstream/offline-tree'); t.dropBlobstoreRecords(input); out(t.fillMissingSources(input));", root);
      expect(filled).toEqual(['package golang-1.23-linux (vendored)', 'package bbs: code.cloudfoundry.org/bbs/*.go', 'package proxy: proxy/envoy.tgz']);
      const complete = runMjs<string[]>("const t = await lib('upstream/offline-tree'); out(t.fillMissingSources(input));", root);
      expect(complete).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
