// Builds kreuzwerker/docker from its pinned source tarball into Terraform's implied local mirror
// (~/.local/share/terraform/plugins/...), which `terraform init` searches with no CLI configuration.
// No CLI config is written on purpose: a provider_installation block would switch the implied mirrors off.
// The version directory is built beside its final place and renamed in, so a failed or killed build
// leaves no partial mirror for terraform to half-trust.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { checkPinnedTarball } from '../upstream/pinned-tarball.mjs';
import { providerBinaryPath } from './setup-probes.mjs';
import { runCommand } from '../step/step.mjs';

export class ProviderSourceError extends Error {
  /**
   * @param {string} message
   * @param {string} message
   */
  constructor(message) {
    super(message);
    this.name = 'ProviderSourceError';
  }
}

/** @param {string} version */
export function providerTarballName(version) {
  return `terraform-provider-docker-v${version}-src.tgz`;
}


/**
 * The pinned source tarball, checked against its sha256; throws ProviderSourceError naming file and sha.
 * @param {{ dirs: string[], version: string, sha256: string }} o
 */
export async function locateProviderSource({ dirs, version, sha256 }) {
  const name = providerTarballName(version);
  const file = dirs.map((d) => join(d, name)).find((f) => existsSync(f));
  if (!file) {
    throw new ProviderSourceError(`${name} not found in ${dirs.join(', ')} (expected sha256 ${sha256}; fix: set STACK_ELEVATOR_UPSTREAM to the directory holding it)`);
  }
  await checkPinnedTarball(file, sha256, {
    mismatch: (actual) => new ProviderSourceError(`${file} has sha256 ${actual}, lab.lock.json expects ${sha256} (fix: replace it with the pinned kreuzwerker/terraform-provider-docker v${version} source)`),
  });
  return file;
}

/**
 * Never rejects: a command that cannot run is exit code -1 with the reason as its last line.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, onLine?: (line: string) => void }} options
 * @returns {Promise<{ code: number, lines: string[] }>}
 */
async function exec(cmd, args, { cwd, env, onLine }) {
  try {
    const r = await runCommand(cmd, args, { cwd, env, onLine });
    return { code: r.code, lines: r.lines };
  } catch (err) {
    return { code: -1, lines: [String(err.message)] };
  }
}

/**
 * Extracts the verified tarball, `go build`s the provider (dependencies from the Go module proxy) and
 * moves `<version>/linux_amd64/terraform-provider-docker_v<version>` into the mirror in one rename.
 * Returns the installed binary's path.
 * @param {{ tarball: string, version: string, env: NodeJS.ProcessEnv, log?: (msg: string) => void }} args
 */
export async function installProvider({ tarball, version, env, log = () => {} }) {
  const target = providerBinaryPath(env, version);
  const versionDir = dirname(dirname(target));
  mkdirSync(dirname(versionDir), { recursive: true });
  const staging = mkdtempSync(join(dirname(versionDir), `.${version}.tmp-`));
  const src = mkdtempSync(join(tmpdir(), 'se-provider-src-'));
  try {
    const untar = await exec('tar', ['-xzf', tarball, '-C', src], { env });
    if (untar.code !== 0) throw new ProviderSourceError(`extracting ${tarball} failed: ${untar.lines.slice(-1)[0] ?? ''}`);
    const top = join(src, basename(tarball).replace(/-src\.tgz$/, ''));
    if (!existsSync(join(top, 'go.mod'))) throw new ProviderSourceError(`${tarball} has no ${basename(top)}/go.mod`);
    const out = join(staging, 'linux_amd64', basename(target));
    mkdirSync(dirname(out), { recursive: true });
    log(`go build kreuzwerker/docker ${version} (dependencies from the Go module proxy; a few minutes the first time)`);
    const goEnv = { ...env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64', GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' };
    const build = await exec('go', ['build', '-trimpath', '-ldflags', `-s -w -X main.version=${version}`, '-o', out, '.'], { cwd: top, env: goEnv, onLine: (l) => log(`go: ${l}`) });
    if (build.code !== 0) throw new ProviderSourceError(`go build of kreuzwerker/docker ${version} failed: ${build.lines.slice(-5).join(' | ')}`);
    // A version directory without the binary (left by hand or by an older setup) is replaced whole.
    chmodSync(staging, 0o755); // mkdtemp makes it private; the mirror is for every user
    rmSync(versionDir, { recursive: true, force: true });
    renameSync(staging, versionDir);
    return target;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
  }
}
