import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './lab-files';

/** examples/hello-arm built for a GOARCH into a fresh app directory (what `cf push` would upload). */
export function buildSampleApp(parent: string, goarch: 'arm' | 'arm64' | 'amd64', goarm = '7'): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `hello-${goarch}-`));
  const env = { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: goarch, ...(goarch === 'arm' ? { GOARM: goarm } : {}), GOPROXY: 'off', GOFLAGS: '-mod=mod', GOWORK: 'off', GOTOOLCHAIN: 'local' };
  const r = spawnSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', join(dir, 'hello-arm'), '.'], { cwd: join(PROJECT_ROOT, 'examples', 'hello-arm'), env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go build of examples/hello-arm for ${goarch} failed: ${r.stderr}`);
  return dir;
}
