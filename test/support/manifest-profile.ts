import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/** Upstream fixtures, beside the repo as CI clones them: <repo>/../shared/fixtures/upstream. */
export { UPSTREAM_FIXTURES } from './lab-files';
import { UPSTREAM_FIXTURES } from './lab-files';

export function fixtureCfDeploymentPath(version = 'v58.0.0'): string {
  return join(UPSTREAM_FIXTURES, `cf-deployment-${version}`, 'cf-deployment.yml');
}

export function loadFixtureCfDeployment(version = 'v58.0.0'): unknown {
  return load(readFileSync(fixtureCfDeploymentPath(version), 'utf8'));
}
