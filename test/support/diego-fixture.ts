import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from './lab-files';
import { runMjs } from './mjs';

/** The spec-only upstream diego-release the team shares (real job and package specs of v2.105.0). */
export const FIXTURES_UPSTREAM = UPSTREAM_FIXTURES;
export const DIEGO_FIXTURE = join(FIXTURES_UPSTREAM, 'diego-release-v2.105.0');

/** The file_server packages of upstream v2.105.0, straight from its jobs/file_server/spec. */
export const UPSTREAM_FILE_SERVER_PACKAGES = ['pid_utils', 'file_server', 'buildpack_app_lifecycle', 'docker_app_lifecycle', 'windows_app_lifecycle', 'cnb_app_lifecycle'];

/** A scratch dir under build/ (inside the project, so plan commands reach pipelines/ relatively). */
export function scratchDir(prefix: string): string {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
  return mkdtempSync(join(PROJECT_ROOT, 'build', `test-diego-${prefix}-`));
}

export type MjsResult<T> = { ok: true; value: T } | { ok: false; name: string; message: string };

/**
 * Calls an export of a pipelines/ ESM module in a child node (jest runs tests as CommonJS and cannot
 * import .mjs): arguments and result travel as JSON, a thrown error comes back as {name, message}.
 */
export function callMjs<T>(modulePath: string, exportName: string, ...args: unknown[]): MjsResult<T> {
  return runMjs<MjsResult<T>>(
    [
      `const m = await import(${JSON.stringify(resolve(PROJECT_ROOT, modulePath))});`,
      'try { out({ ok: true, value: (await m[input.name](...input.args)) ?? null }); }',
      'catch (e) { out({ ok: false, name: e.name, message: e.message }); }',
    ].join('\n'),
    { name: exportName, args },
  );
}

export function mustCall<T>(modulePath: string, exportName: string, ...args: unknown[]): T {
  const r = callMjs<T>(modulePath, exportName, ...args);
  if (!r.ok) throw new Error(`${exportName} threw ${r.name}: ${r.message}`);
  return r.value;
}

export interface MaterializeOptions {
  readonly extraPackageDirs?: readonly string[];
  readonly omit?: { readonly jobs?: readonly string[]; readonly packages?: readonly string[] };
}

/** A buildable test upstream tree from the fixture (see pipelines/lib/upstream/upstream-fixture.mjs). */
export function materializeTestTree(destDir: string, opts: MaterializeOptions = {}): { jobs: string[]; packages: string[]; placeholders: number } {
  return mustCall('pipelines/lib/upstream/upstream-fixture.mjs', 'materializeTestTree', { fixtureDir: DIEGO_FIXTURE, destDir, ...opts });
}

/** Stand-ins for the issue-4 ARM package dirs: real shape (spec + packaging), trivial packaging. */
export function armPackageFiles(arch: string, dir = `bosh-packages/${arch}`): Record<string, string> {
  const common = ['code.cloudfoundry.org/go.mod', 'code.cloudfoundry.org/go.sum', 'code.cloudfoundry.org/vendor/modules.txt'];
  const pkgs: Record<string, { deps: string[]; files: string[] }> = {
    [`healthcheck_${arch}`]: { deps: ['golang-1.23-linux'], files: [...common, 'code.cloudfoundry.org/healthcheck/cmd/healthcheck/*.go'] },
    [`diego-sshd_${arch}`]: { deps: ['golang-1.23-linux'], files: [...common, 'code.cloudfoundry.org/diego-ssh/cmd/sshd/*.go'] },
    [`buildpack_app_lifecycle_${arch}`]: {
      deps: ['golang-1.23-linux', `healthcheck_${arch}`, `diego-sshd_${arch}`],
      files: [...common, 'code.cloudfoundry.org/buildpackapplifecycle/**/*.go'],
    },
  };
  const out: Record<string, string> = {};
  for (const [name, p] of Object.entries(pkgs)) {
    const list = (xs: string[]): string => xs.map((x) => `  - ${x}\n`).join('');
    out[`${dir}/${name}/spec`] = `---\nname: ${name}\n\ndependencies:\n${list(p.deps)}\nfiles:\n${list(p.files)}`;
    out[`${dir}/${name}/packaging`] = `set -e\necho "test stand-in for ${name}"\n`;
  }
  return out;
}

export function writeFiles(baseDir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(baseDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
