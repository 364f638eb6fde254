#!/usr/bin/env node
// Plan step: the stack's BOSH release. Copies the synthesized release directory (artifacts stay
// untouched), adds the rootfs tarball as the package's blob, and runs
// `bosh create-release --force --tarball`, leaving <out>/<name>.tgz and release.json.
//
//   node pipelines/create-rootfs-release.mjs --root=. --artifacts=<dir> --out=<dir>
//        --release-dir=rootfs/rpifs/release --name=rpifs --version=0.1.0+dev.<hex> --tarball=build/.../rootfs.tgz
import { chmodSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from './lib/rootfs-base.mjs';
import { atomicOutput, logger, parseArgs, required, runStep, StepError, stepPaths, streamCommand } from './lib/step.mjs';
import { requireTool, toolPath } from './lib/tools.mjs';

await runStep('create-rootfs-release', async () => {
  const args = parseArgs();
  const paths = stepPaths(args);
  if (!paths.out) throw new StepError('missing --out=...');
  const releaseDir = paths.fromArtifacts(required(args, 'release-dir'));
  const name = required(args, 'name');
  const version = required(args, 'version');
  const tarball = paths.fromRoot(required(args, 'tarball'));
  if (!existsSync(tarball)) throw new StepError(`rootfs tarball ${tarball} not found (run the export-rootfs step first)`);
  const bosh = requireTool('bosh', paths.root);
  const log = logger(`create-rootfs-release ${name}`);
  const env = { PATH: toolPath(paths.root) };
  const started = Date.now();

  await atomicOutput(paths.out, async (tmp) => {
    const work = join(tmp, 'release');
    cpSync(releaseDir, work, { recursive: true });
    // bosh walks src/ even when every package file is a blob.
    mkdirSync(join(work, 'src'), { recursive: true });
    const blob = `rootfs/${name}-${version}.tar.gz`;
    const run = async (argv, what) => {
      const r = await streamCommand(bosh, argv, { cwd: work, env, onLine: (l) => log(l) });
      if (r.code !== 0) throw new StepError(`${what} failed (exit ${r.code}): ${r.lines.slice(-5).join(' | ')}`);
      return r;
    };
    log(`adding ${blob} as a blob`);
    await run(['add-blob', tarball, blob], 'bosh add-blob');
    const out = join(tmp, `${name}.tgz`);
    await run(['create-release', '--force', `--name=${name}`, `--version=${version}`, `--tarball=${out}`], 'bosh create-release');
    chmodSync(out, 0o644); // bosh writes it private
    const record = { name, version, tarball: `${name}.tgz`, sha256: await sha256File(out), rootfsSha256: await sha256File(tarball) };
    writeFileSync(join(tmp, 'release.json'), `${JSON.stringify(record, null, 2)}\n`);
    // The working copy holds a second copy of the rootfs blob; the release tarball is the output.
    rmSync(work, { recursive: true, force: true });
  });
  log(`${name}/${version} created in ${((Date.now() - started) / 1000).toFixed(0)} s`);
});
