/**
 * THE ONE PLACE tests get a cell Diego variant SOURCE release built from real sources (the input of the
 * compile-release step). Until the issue-9 create-release step builds the variants from the pinned
 * source tree, this does it by hand: extract ../shared/fixtures/upstream/diego-release-v2.105.0-src.tgz,
 * apply today's cell-variant overlay (synthesized by the real construct) with pipelines/create-release.mjs
 * --upstream, `bosh create-release --tarball`. At merge, switch `cellSourceRelease` to run issue 9's step.
 *
 * The liberties taken: config/blobs.yml and .final_builds/ are emptied (no blobstore here; no kept package needs a blob), and upstream's golang-1.23-linux is a vendored package (spec.lock only; its blob is
 * on a blobstore this machine cannot reach), so the tree gets a same-named stand-in source package. It is
 * what the compile step treats as the compile-time Go toolchain: emulated there, never compiled or shipped.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from './diego-fixture';
import { synthDiego } from './diego-stack';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from './lab-files';
import { run } from './run';

export const DIEGO_SRC_TGZ = join(UPSTREAM_FIXTURES, 'diego-release-v2.105.0-src.tgz');

export interface CellSourceRelease {
  /** The create-release output dir: `<name>-<version>.tgz` and release.json. */
  readonly dir: string;
  readonly tarball: string;
  readonly name: string;
  readonly version: string;
  /** Removes everything this made. */
  readonly cleanup: () => void;
}

/** Source release of the cell Diego variant for `arch` (the default lab's cells are armhf). */
export function cellSourceRelease(arch: 'armhf' | 'arm64' = 'armhf'): CellSourceRelease {
  const work = scratchDir(`cell-src-${arch}`);
  const cleanup = (): void => rmSync(work, { recursive: true, force: true });
  try {
    const untar = run('tar', ['-xzf', DIEGO_SRC_TGZ, '-C', work]);
    if (untar.status !== 0) throw new Error(`extracting ${DIEGO_SRC_TGZ}: ${untar.stderr}`);
    const tree = join(work, 'diego-release-v2.105.0');
    const golang = join(tree, 'packages', 'golang-1.23-linux');
    rmSync(golang, { recursive: true, force: true });
    mkdirSync(golang, { recursive: true });
    writeFileSync(join(golang, 'spec'), '---\nname: golang-1.23-linux\nfiles:\n  - golang-1.23-linux-stand-in/README\n');
    writeFileSync(join(golang, 'packaging'), 'echo "golang-1.23-linux is compile-time only: the compile step emulates it" >&2\nexit 1\n');
    // The kept packages use no blob (proxy, the one that did, is dropped by the overlay): no blobstore.
    writeFileSync(join(tree, 'config', 'blobs.yml'), '--- {}\n');
    // Nor upstream's final builds: bosh would fetch an unchanged package (pid_utils) from their blobstore.
    rmSync(join(tree, '.final_builds'), { recursive: true, force: true });
    mkdirSync(join(tree, 'src', 'golang-1.23-linux-stand-in'), { recursive: true });
    writeFileSync(join(tree, 'src', 'golang-1.23-linux-stand-in', 'README'), 'stand-in for the vendored Go toolchain package\n');

    const s = synthDiego({ outdir: join(work, 'out') });
    const variant = s.part.cellByArch.get(arch);
    if (!variant) throw new Error(`the default lab has no ${arch} cells`);
    const dir = join(work, 'release');
    const res = run('node', [
      join(PROJECT_ROOT, 'pipelines', 'create-release.mjs'),
      `--root=${PROJECT_ROOT}`,
      `--artifacts=${join(s.stackDir, 'artifacts')}`,
      `--overlay=${join(s.stackDir, 'artifacts', 'diego', `cell-${arch}`, 'overlay.json')}`,
      `--upstream=${tree}`,
      `--out=${dir}`,
    ]);
    if (res.status !== 0) throw new Error(`create-release of the cell variant failed:\n${res.stdout}\n${res.stderr}`);
    const tgz = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
    if (tgz.length !== 1 || !existsSync(join(dir, tgz[0]))) throw new Error(`create-release left ${tgz.join(', ') || 'no tarball'} in ${dir}`);
    return { dir, tarball: join(dir, tgz[0]), name: variant.releaseName, version: variant.version, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
