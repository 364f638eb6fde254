// The garden VM's pinned Debian packages (vm-debs.json): where they are cached, whether each is
// there with its pinned sha256, and fetching the missing ones with apt-get download.
// child_process needed: setup's probes call this synchronously (apt-get download in a given cwd).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** @returns {{ role: string, package: string, version: string, arch: string, filename: string, sha256: string }[]} */
export function vmDebs() {
  return JSON.parse(readFileSync(join(here, 'vm-debs.json'), 'utf8')).debs;
}

/** @param {string} root */
export function vmCacheDir(root) {
  return join(root, 'build', '.cache', 'garden-vm');
}

/** @param {string} file */
function sha256Of(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Each pinned deb that is missing from the cache or differs from its pin, with what was found.
 * @param {string} root
 */
export function vmDebProblems(root) {
  /** @type {{ deb: ReturnType<typeof vmDebs>[number], what: string }[]} */
  const problems = [];
  for (const d of vmDebs()) {
    const file = join(vmCacheDir(root), d.filename);
    if (!existsSync(file)) problems.push({ deb: d, what: `${file} missing` });
    else {
      const got = sha256Of(file);
      if (got !== d.sha256) problems.push({ deb: d, what: `${file}: sha256 ${got}, vm-debs.json pins ${d.sha256}` });
    }
  }
  return problems;
}

/**
 * apt-get download of each missing deb (as pinned: package:arch=version) into the cache; throws naming the deb.
 * @param {string} root
 * @param {NodeJS.ProcessEnv} [env]
 */
export function fetchVmDebs(root, env = process.env) {
  const dir = vmCacheDir(root);
  mkdirSync(dir, { recursive: true });
  for (const { deb } of vmDebProblems(root)) {
    const r = spawnSync('apt-get', ['download', `${deb.package}:${deb.arch}=${deb.version}`], { cwd: dir, env, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) {
      throw new Error(`apt-get download ${deb.package}:${deb.arch}=${deb.version} failed: ${(r.stderr || '').trim().split('\n').pop()} (fix: dpkg --add-architecture ${deb.arch} && apt-get update; if the version left the archive, update pipelines/lib/garden-vm/vm-debs.json)`);
    }
    // apt-get names a file with an epoch version <pkg>_<epoch>%3a<version>; the pin names the pool file.
    const got = readdirSync(dir).find((f) => f.startsWith(`${deb.package}_`) && f.endsWith(`_${deb.arch}.deb`) && f !== deb.filename);
    if (got && !existsSync(join(dir, deb.filename))) renameSync(join(dir, got), join(dir, deb.filename));
  }
  const left = vmDebProblems(root);
  if (left.length) throw new Error(`garden VM debs not as pinned: ${left.map((p) => p.what).join('; ')} (fix: check pipelines/lib/garden-vm/vm-debs.json)`);
  return Object.fromEntries(vmDebs().map((d) => [d.role, join(dir, d.filename)]));
}
