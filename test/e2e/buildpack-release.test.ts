import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { outcome, run } from '../support/run';

type Step = { id: string; args: Record<string, string> };
type ReleaseJson = { tarball: string; jobs: Array<{ name: string; fingerprint: string; packages: string[] }>; packages: Array<{ name: string; fingerprint: string; dependencies: string[] }> };
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The plan's binary-buildpack-rpifs release, made by the real `bosh create-release` through
 * pipelines/create-release.mjs with the step's own arguments, from a stand-in zip in place of the
 * buildpack step's (that step builds Go for ARM; test/e2e/buildpack.test.ts covers it).
 */
describe('binary-buildpack-rpifs: the buildpack zip as a BOSH package (real bosh create-release)', () => {
  const work = mkdtempSync(join(tmpdir(), 'se-bp-release-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(work, 'out'), upstreamDir: relative(PROJECT_ROOT, UPSTREAM_FIXTURES), artifactsOnly: true });
  const steps: Step[] = JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps;
  const args = steps.find((s) => s.id === 'lab-buildpack-rpifs-release-create')!.args;
  const blobPath = args.blob.split(':')[1];

  const src = join(work, 'zip-src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'manifest.yml'), 'language: binary\nstack: rpifs\n');
  writeFileSync(join(src, 'bin', 'detect'), '#!/bin/sh\nexit 1\n');
  const zip = join(work, 'binary_buildpack-rpifs-v1.1.27.zip');
  run('zip', ['-X', '-q', zip, 'manifest.yml', 'bin/detect'], { cwd: src });

  const create = (out: string) =>
    run(process.execPath, [join(PROJECT_ROOT, 'pipelines', 'create-release.mjs'), `--root=${PROJECT_ROOT}`, '--artifacts=artifacts', `--out=${out}`, `--release-dir=${args['release-dir']}`, `--name=${args.name}`, `--version=${args.version}`, `--blob=${zip}:${blobPath}`], { cwd: res.stackDir });
  const first = create(join(work, 'r1'));
  const rel = (dir: string): ReleaseJson => JSON.parse(readFileSync(join(work, dir, 'release.json'), 'utf8'));

  it('creates the release: one package and one job named binary-buildpack-rpifs, the job naming the package', () => {
    expect(first.stderr).not.toMatch(/FAILED|failed/);
    expect(outcome(first)).toEqual({ status: 0, tail: '' });
    const r = rel('r1');
    expect(r.tarball).toBe(`binary-buildpack-rpifs-${args.version}.tgz`);
    expect(r.packages.map((p) => [p.name, p.dependencies])).toEqual([['binary-buildpack-rpifs', []]]);
    expect(r.jobs.map((j) => [j.name, j.packages])).toEqual([['binary-buildpack-rpifs', ['binary-buildpack-rpifs']]]);
  });

  it('whose package holds exactly the zip it was given (same sha256), which its packaging installs as it is', () => {
    const x = join(work, 'x');
    mkdirSync(join(x, 'pkg'), { recursive: true });
    expect(run('tar', ['-xzf', join(work, 'r1', rel('r1').tarball), '-C', x]).status).toBe(0);
    expect(run('tar', ['-xzf', join(x, 'packages', 'binary-buildpack-rpifs.tgz'), '-C', join(x, 'pkg')]).status).toBe(0);
    expect(sha256(join(x, 'pkg', blobPath))).toBe(sha256(zip));
    // what a compile VM does: the packaging script with BOSH_INSTALL_TARGET
    const target = join(work, 'installed');
    mkdirSync(target);
    const sh = run('bash', ['-e', join(x, 'pkg', 'packaging')], { cwd: join(x, 'pkg'), env: { BOSH_INSTALL_TARGET: target } });
    expect(outcome(sh)).toEqual({ status: 0, tail: '' });
    expect(sha256(join(target, 'binary_buildpack-rpifs-v1.1.27.zip'))).toBe(sha256(zip));
  });

  it('is reproducible: a second create-release gives the same job and package fingerprints', () => {
    expect(create(join(work, 'r2')).status).toBe(0);
    const fp = (r: ReleaseJson) => [...r.jobs, ...r.packages].map((e) => `${e.name}/${e.fingerprint}`);
    expect(fp(rel('r2'))).toEqual(fp(rel('r1')));
  });
});
