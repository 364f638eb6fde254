import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/**
 * Bundles an upstream diego-release file_server serves: its lifecycle packages, each at
 * `<package>/<package>.tgz` under the static directory (/var/vcap/jobs/file_server/packages/). The
 * control-plane variant keeps these and adds the ARM ones, so the union is what the Cloud Controller
 * may point at. Returns [] when the spec is not there (the variant's own list must then cover all).
 */
export function upstreamServedBundles(diegoReleaseDir: string): string[] {
  const spec = join(diegoReleaseDir, 'jobs', 'file_server', 'spec');
  if (!existsSync(spec)) return [];
  const doc = load(readFileSync(spec, 'utf8')) as { packages?: unknown };
  const packages = Array.isArray(doc.packages) ? doc.packages.map(String) : [];
  return packages.filter((p) => p.endsWith('_app_lifecycle')).map((p) => `${p}/${p}.tgz`).sort();
}
