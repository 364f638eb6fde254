import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileOf } from '../../constructs/cf/cf-deployment-profile';
import { CF_DEPLOYMENT_PROFILES } from '../../constructs/cf/profiles';
import { loadFixtureCfDeployment, profileModuleText } from '../support/manifest-profile';

describe('checked-in cf-deployment profile', () => {
  it('is exactly what profileOf makes of the upstream v58.0.0 manifest', () => {
    expect(CF_DEPLOYMENT_PROFILES['v58.0.0']).toEqual(profileOf(loadFixtureCfDeployment('v58.0.0')));
    expect(readFileSync(join(__dirname, '..', '..', 'constructs', 'cf', 'profiles', 'cf-deployment-v58.0.0.ts'), 'utf8')).toBe(profileModuleText('v58.0.0'));
  });

  it('keeps the wiring properties and drops everything else (credentials included)', () => {
    const p = JSON.stringify(CF_DEPLOYMENT_PROFILES['v58.0.0']);
    expect(p).toContain('"lifecycle_bundles"');
    expect(p).toContain('"preloaded_rootfses"');
    expect(p).not.toMatch(/\(\(/);
  });
});
