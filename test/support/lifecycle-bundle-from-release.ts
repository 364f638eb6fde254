import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from './lab-files';

/**
 * A real buildpack_app_lifecycle.tgz (builder launcher shell healthcheck diego-sshd), built straight from
 * the pinned diego-release source tree with vendored modules, offline, so try-app's own tests need no
 * whole plan. The plan's bundle step (pipelines/cross-compile.mjs) builds the same sources with the same
 * flags, and the lab-deploy e2e runs the plan's try-app gate on that step's bundle.
 * Cached under build/cache/ by target; built atomically.
 */
export const DIEGO_SOURCE_TGZ = join(UPSTREAM_FIXTURES, 'diego-release-v2.105.0-src.tgz');
const BINARIES: ReadonlyArray<readonly [string, string]> = [
  ['builder', 'buildpackapplifecycle/builder'],
  ['launcher', 'buildpackapplifecycle/launcher'],
  ['shell', 'buildpackapplifecycle/shell/shell'],
  ['healthcheck', 'healthcheck/cmd/healthcheck'],
  ['diego-sshd', 'diego-ssh/cmd/sshd'],
];

export function lifecycleBundleFromRelease(goarch: 'arm' | 'arm64' = 'arm', goarm = '7'): string {
  const cache = join(PROJECT_ROOT, 'build', 'cache', 'try-app-lifecycle');
  // Named by the source tree's sha256 and the target, so a changed fixture never reuses an old bundle.
  const source = createHash('sha256').update(readFileSync(DIEGO_SOURCE_TGZ)).digest('hex').slice(0, 16);
  const tgz = join(cache, `buildpack_app_lifecycle-v2.105.0-${source}-${goarch}${goarch === 'arm' ? `v${goarm}` : ''}.tgz`);
  if (existsSync(tgz)) return tgz;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, '.build-'));
  try {
    must('tar', ['-xzf', DIEGO_SOURCE_TGZ, '-C', tmp, '--strip-components=1', '--no-same-owner', 'diego-release-v2.105.0/src/code.cloudfoundry.org']);
    const mod = join(tmp, 'src', 'code.cloudfoundry.org');
    const bin = join(tmp, 'bundle');
    mkdirSync(bin);
    const env = { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: goarch, ...(goarch === 'arm' ? { GOARM: goarm } : {}), GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOWORK: 'off', GOTOOLCHAIN: 'local' };
    for (const [name, pkg] of BINARIES) {
      must('go', ['build', '-trimpath', '-buildvcs=false', '-o', join(bin, name), `./${pkg}`], { cwd: mod, env });
      utimesSync(join(bin, name), 1747699200, 1747699200);
    }
    const out = join(tmp, 'buildpack_app_lifecycle.tgz');
    must('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-cf', join(tmp, 'b.tar'), '-C', bin, ...BINARIES.map(([n]) => n)]);
    must('sh', ['-c', `gzip -n -c "${join(tmp, 'b.tar')}" > "${out}"`]);
    renameSync(out, tgz);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return tgz;
}

function must(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
}
