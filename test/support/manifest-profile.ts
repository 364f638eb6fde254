import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { profileOf } from '../../constructs/cf/cf-deployment-profile';

/** Upstream fixtures, beside the repo as CI clones them: <repo>/../shared/fixtures/upstream. */
export { UPSTREAM_FIXTURES } from './lab-files';
import { UPSTREAM_FIXTURES } from './lab-files';

export function fixtureCfDeploymentPath(version = 'v58.0.0'): string {
  return join(UPSTREAM_FIXTURES, `cf-deployment-${version}`, 'cf-deployment.yml');
}

export function loadFixtureCfDeployment(version = 'v58.0.0'): unknown {
  return load(readFileSync(fixtureCfDeploymentPath(version), 'utf8'));
}

/** Source text of constructs/cf/profiles/cf-deployment-<version>.ts, regenerated from the fixture. */
export function profileModuleText(version = 'v58.0.0'): string {
  const profile = profileOf(loadFixtureCfDeployment(version));
  return [
    `// Generated from cf-deployment ${version}/cf-deployment.yml by test/support/manifest-profile.ts (profileOf).`,
    '// test/unit/cf-profile.test.ts fails when it no longer matches the upstream manifest.',
    `export const profile: unknown = ${JSON.stringify(profile, null, 2)};`,
    '',
  ].join('\n');
}

if (require.main === module) {
  process.stdout.write(profileModuleText(process.argv[2]));
}
