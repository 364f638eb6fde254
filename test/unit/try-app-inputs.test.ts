import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMjs } from '../support/mjs';

type Located = { rootfs: string; bundle: string; buildpack: string } | { error: string };

/** cellArtifacts run in a child node against a fake project root; errors come back as their message. */
function locate(root: string, args: Record<string, string> = {}): Located {
  return runMjs<Located>(
    `const { cellArtifacts, labStack } = await lib('try-app-inputs');
     try { out(cellArtifacts({ root: input.root, stack: labStack(input.root + '/lab.yaml', 'rpifs'), args: { buildpack: 'binary_buildpack', ...input.args } })); }
     catch (e) { out({ error: e.message }); }`,
    { root, args },
  );
}

describe('where try-app finds what a cell would get', () => {
  const root = mkdtempSync(join(tmpdir(), 'se-try-app-inputs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const steps = [
    { id: 'lab-rootfs-rpifs-export', script: 'export-rootfs', args: { stack: 'rpifs' }, out: 'build/lab-rootfs-rpifs-export/aaaa' },
    { id: 'lab-lifecycle-armhf-bundle-compile', script: 'cross-compile', args: {}, out: 'build/lab-lifecycle-armhf-bundle-compile/bbbb', provides: { 'lifecycle-bundle/armhf': 'packages/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz' } },
    { id: 'lab-buildpack-rpifs-build', script: 'build-buildpack', args: { stack: 'rpifs' }, out: 'build/lab-buildpack-rpifs-build/cccc' },
  ];
  writeFileSync(join(root, 'lab.yaml'), 'stacks:\n  - { name: rpifs, arch: armhf }\n');
  mkdirSync(join(root, 'cdktf.out', 'stacks', 'lab'), { recursive: true });
  writeFileSync(join(root, 'cdktf.out', 'stacks', 'lab', 'plan.json'), JSON.stringify({ steps }));

  it('names the plan step to run when an output is not built yet, and the override flag', () => {
    expect(locate(root)).toEqual({ error: 'rootfs tarball for stack rpifs is not built yet (build/lab-rootfs-rpifs-export/aaaa; fix: run the plan step lab-rootfs-rpifs-export with cdktf deploy, or pass --rootfs=<file>)' });
  });

  it("takes the plan steps' outputs: rootfs.tgz, the bundle under packages/, the buildpack zip", () => {
    const file = (rel: string): string => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), 'x');
      return join(root, rel);
    };
    const rootfs = file('build/lab-rootfs-rpifs-export/aaaa/rootfs.tgz');
    const bundle = file('build/lab-lifecycle-armhf-bundle-compile/bbbb/packages/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz');
    const buildpack = file('build/lab-buildpack-rpifs-build/cccc/binary_buildpack-rpifs-v1.1.27.zip');
    expect(locate(root)).toEqual({ rootfs, bundle, buildpack });
    const other = file('elsewhere/bundle.tgz');
    expect(locate(root, { bundle: other })).toEqual({ rootfs, bundle: other, buildpack });
    expect(locate(root, { bundle: join(root, 'missing.tgz') })).toEqual({ error: `--bundle=${join(root, 'missing.tgz')}: no such file` });
  });
});
