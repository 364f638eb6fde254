import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileOf } from '../../constructs/cf/cf-deployment-profile';
import { CF_DEPLOYMENT_PROFILES } from '../../constructs/cf/profiles';
import { loadFixtureCfDeployment, profileModuleText } from '../support/manifest-profile';

describe('checked-in cf-deployment profile', () => {
  it.each(['v44.8.0', 'v58.0.0'])('is exactly what profileOf makes of the upstream %s manifest', (version) => {
    expect(CF_DEPLOYMENT_PROFILES[version]).toEqual(profileOf(loadFixtureCfDeployment(version)));
    expect(readFileSync(join(__dirname, '..', '..', 'constructs', 'cf', 'profiles', `cf-deployment-${version}.ts`), 'utf8')).toBe(profileModuleText(version));
  });

  it.each([
    ['v44.8.0', '2.105.0'],
    ['v58.0.0', '2.138.0'],
  ])('of %s pins diego %s (the version the Diego variants must be built from)', (version, diego) => {
    const releases = (CF_DEPLOYMENT_PROFILES[version] as { releases: Array<{ name: string; version: string }> }).releases;
    expect(releases.find((r) => r.name === 'diego')?.version).toBe(diego);
  });

  it('keeps the wiring properties and drops everything else (credentials included)', () => {
    const p = JSON.stringify(CF_DEPLOYMENT_PROFILES['v58.0.0']);
    expect(p).toContain('"lifecycle_bundles"');
    expect(p).toContain('"preloaded_rootfses"');
    expect(p).not.toMatch(/\(\(/);
  });
});
