// @ts-check
// The files an overlay's add-blob edits pin (constructs/diego/overlay.ts BlobSource), found and checked
// before `bosh add-blob`: a source tarball from the upstream directory, or a Debian package of the target
// arch fetched with apt-get. Each is checked against its pinned sha256 first; a file with other bytes
// stops the step naming the file and both digests, and nothing is added.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPinnedTarball } from './pinned-tarball.mjs';
import { machineSources } from '../rootfs/rootfs-mirror.mjs';
import { runCommandSync, StepError } from '../step/step.mjs';

/** @typedef {import('../../../contracts/release-overlay.ts').AddBlob} AddBlob */

/**
 * @param {object} o
 * @param {string} o.root project root (Debian packages are cached under build/blobs/)
 * @param {string | undefined} o.upstreamDir where upstream tarballs are looked for
 * @param {Omit<AddBlob, 'op'>} o.blob
 * @param {(msg: string) => void} o.log
 * @returns {Promise<string>} the checked file
 */
export async function resolvePinnedBlob({ root, upstreamDir, blob, log }) {
  const src = blob.source;
  if (src.kind === 'upstream') {
    const file = upstreamDir ? join(upstreamDir, src.file) : undefined;
    if (!file || !existsSync(file)) {
      throw new StepError(`blob ${blob.path}: ${src.file} not found (looked in ${upstreamDir ?? '(no upstream dir)'})`, {
        fix: `set STACK_ELEVATOR_UPSTREAM to a directory holding ${src.file} (sha256 ${src.sha256})`,
      });
    }
    await checkPinnedTarball(file, src.sha256, {
      mismatch: (actual) => new StepError(`${file}: sha256 ${actual} differs from the pinned ${src.sha256} (blob ${blob.path}); refused before anything was built`),
    });
    return file;
  }
  const cacheDir = join(root, 'build', 'blobs');
  const cached = join(cacheDir, `${src.sha256.slice(0, 16)}-${blob.path.split('/').pop()}`);
  if (existsSync(cached)) return cached;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, '.download-'));
  try {
    if (src.kind === 'debian-source') {
      const file = join(tmp, src.poolPath.split('/').pop() ?? 'source');
      await downloadFromMirror(src.poolPath, file, blob.path, log);
      await checkPinnedTarball(file, src.sha256, {
        mismatch: (actual) => new StepError(`${src.poolPath} (Debian source ${src.package} ${src.version}): sha256 ${actual} differs from the pinned ${src.sha256} (blob ${blob.path}); refused before anything was built`),
      });
      renameSync(file, cached);
      return cached;
    }
    const spec = `${src.package}:${src.arch}=${src.version}`;
    log(`apt-get download ${spec}`);
    const r = runCommandSync('apt-get', ['download', spec], { cwd: tmp });
    if (r.code !== 0) {
      throw new StepError(`blob ${blob.path}: apt-get download ${spec} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`, {
        fix: `dpkg --add-architecture ${src.arch} && apt-get update (npm run setup does both)`,
      });
    }
    const [deb] = readdirSync(tmp).filter((f) => f.endsWith('.deb'));
    if (!deb) throw new StepError(`blob ${blob.path}: apt-get download ${spec} wrote no .deb`);
    await checkPinnedTarball(join(tmp, deb), src.sha256, {
      mismatch: (actual) => new StepError(`${deb} (Debian ${spec}): sha256 ${actual} differs from the pinned ${src.sha256} (blob ${blob.path}); refused before anything was built`),
    });
    renameSync(join(tmp, deb), cached);
    return cached;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A file of the Debian pool from the mirror this machine's apt uses (STACK_ELEVATOR_DEBIAN_MIRROR
 * overrides it): source packages are not in apt's binary indexes, so apt-get cannot fetch them.
 * @param {string} poolPath e.g. pool/main/t/tar/tar_1.34+dfsg.orig.tar.xz
 * @param {string} file where to write it
 * @param {string} what the blob path, for messages
 * @param {(msg: string) => void} log
 */
async function downloadFromMirror(poolPath, file, what, log) {
  const mirror = process.env.STACK_ELEVATOR_DEBIAN_MIRROR || machineSources().find((s) => s.types.includes('deb') && s.uris.length > 0)?.uris[0];
  if (!mirror) throw new StepError(`blob ${what}: no Debian mirror in this machine's apt sources`, { fix: 'set STACK_ELEVATOR_DEBIAN_MIRROR=<mirror URI>' });
  const url = `${mirror.replace(/\/+$/, '')}/${poolPath}`;
  log(`fetching ${url}`);
  let res;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new StepError(`blob ${what}: ${url} could not be fetched: ${/** @type {Error} */ (err).message}`, { fix: 'check the Debian mirror (STACK_ELEVATOR_DEBIAN_MIRROR)' });
  }
  if (!res.ok) throw new StepError(`blob ${what}: ${url} answered ${res.status}`, { fix: 'the pinned source may have left the mirror: pin one it serves, or point STACK_ELEVATOR_DEBIAN_MIRROR at an archive that keeps it' });
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
}
