import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CF_DEPLOYMENT_PROFILES, checkProfile } from '../../constructs/cf/profiles';
import { InputError } from '../../lab/errors';
import { profileJsonText, writeProfile } from '../../stacks/cf-profile';
import { fixtureCfDeploymentPath, loadFixtureCfDeployment } from '../support/manifest-profile';

type Obj = Record<string, unknown>;
const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const PROFILES_DIR = join(__dirname, '..', '..', 'constructs', 'cf', 'profiles');

/**
 * The job properties the stack wiring reads (DESIGN: Cloud Controller wiring, rep, bosh-dns), spelled
 * here from the design, not from the profile code, so a profile that drops one is caught.
 */
const WIRING_PROPERTIES = ['cc.stacks', 'cc.install_buildpacks', 'cc.diego.lifecycle_bundles', 'cc.diego.droplet_destinations', 'diego.rep.preloaded_rootfses', 'diego.rep.placement_tags', 'aliases'].map((p) => p.split('.'));
const GROUP_FIELDS = ['azs', 'instances', 'networks', 'stemcell'];

const at = (v: unknown, path: readonly string[]): unknown => path.reduce<unknown>((x, k) => (isMap(x) ? x[k] : undefined), v);
const named = (list: unknown): Obj[] => (Array.isArray(list) ? list.filter(isMap) : []);

/** Every profile file in the directory, by the tag its file name carries. */
const profileTags = readdirSync(PROFILES_DIR)
  .map((f) => /^cf-deployment-(v\d+\.\d+\.\d+)\.json$/.exec(f)?.[1])
  .filter((t): t is string => t !== undefined)
  .sort();

describe('checked-in cf-deployment profiles', () => {
  it('are all registered, one per profile file', () => {
    expect(profileTags.length).toBeGreaterThan(0);
    expect(Object.keys(CF_DEPLOYMENT_PROFILES).sort()).toEqual(profileTags);
  });

  it.each([
    ['v44.8.0', '2.105.0'],
    ['v58.0.0', '2.138.0'],
  ])('of %s pins diego %s (the version the Diego variants must be built from)', (version, diego) => {
    const releases = (CF_DEPLOYMENT_PROFILES[version] as { releases: Array<{ name: string; version: string }> }).releases;
    expect(releases.find((r) => r.name === 'diego')?.version).toBe(diego);
  });

  describe.each(profileTags)('cf-deployment %s', (tag) => {
    const profile = CF_DEPLOYMENT_PROFILES[tag] as Obj;
    const manifest = loadFixtureCfDeployment(tag) as Obj;

    it('names the deployment and lists its releases and stemcells as the upstream manifest does', () => {
      expect(profile.name).toBe(manifest.name);
      expect(profile.releases).toEqual(manifest.releases);
      expect(profile.stemcells).toEqual(manifest.stemcells);
    });

    it.each(['instance_groups', 'addons'])('keeps every %s entry with its placement and jobs, in upstream order', (scope) => {
      const ours = named(profile[scope]);
      const theirs = named(manifest[scope]);
      expect(ours.map((g) => g.name)).toEqual(theirs.map((g) => g.name));
      theirs.forEach((g, i) => {
        for (const f of GROUP_FIELDS) expect({ group: g.name, [f]: ours[i][f] }).toEqual({ group: g.name, [f]: g[f] });
        expect({ group: g.name, jobs: named(ours[i].jobs).map((j) => `${j.name}@${j.release}`) }).toEqual({ group: g.name, jobs: named(g.jobs).map((j) => `${j.name}@${j.release}`) });
      });
    });

    it('carries each wiring property of each job with exactly its upstream value, and no other property', () => {
      let carried = 0;
      for (const scope of ['instance_groups', 'addons']) {
        named(manifest[scope]).forEach((g, gi) => {
          named(g.jobs).forEach((j, ji) => {
            const ours = named(named(profile[scope])[gi]?.jobs)[ji]?.properties;
            const where = `${scope}/${g.name}/${j.name}`;
            const want: Obj = {};
            for (const path of WIRING_PROPERTIES) {
              const v = at(j.properties, path);
              if (v !== undefined) want[path.join('.')] = v;
            }
            const got: Obj = {};
            for (const path of WIRING_PROPERTIES) {
              const v = at(ours, path);
              if (v !== undefined) got[path.join('.')] = v;
            }
            expect({ where, properties: got }).toEqual({ where, properties: want });
            // nothing else: walking the profile's properties finds only wiring paths
            const leaves: string[] = [];
            const walk = (v: unknown, path: string[]): void => {
              if (WIRING_PROPERTIES.some((w) => w.join('.') === path.join('.'))) return;
              if (isMap(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
              else leaves.push(path.join('.'));
            };
            if (ours !== undefined) walk(ours, []);
            expect({ where, extra: leaves }).toEqual({ where, extra: [] });
            carried += Object.keys(want).length;
          });
        });
      }
      // the fixture has the wiring the design names (cc.stacks, bundles, destinations, rep, aliases)
      expect(carried).toBeGreaterThanOrEqual(10);
    });

    it('holds no credential: no ((variable)) survives', () => {
      expect(JSON.stringify(profile)).not.toMatch(/\(\(/);
    });

    it('is the file the generator writes for it (regenerate with npm run profile -- <cf-deployment.yml>)', () => {
      expect(readFileSync(join(PROFILES_DIR, `cf-deployment-${tag}.json`), 'utf8')).toBe(profileJsonText(manifest));
    });
  });
});

describe('npm run profile (stacks/cf-profile.ts)', () => {
  it('writes the profile of the manifest\'s own tag into constructs/cf/profiles, leaving no temp file', () => {
    const root = mkdtempSync(join(tmpdir(), 'se-profile-'));
    mkdirSync(join(root, 'constructs', 'cf', 'profiles'), { recursive: true });
    expect(writeProfile(fixtureCfDeploymentPath('v44.8.0'), root)).toBe('constructs/cf/profiles/cf-deployment-v44.8.0.json');
    expect(readdirSync(join(root, 'constructs', 'cf', 'profiles'))).toEqual(['cf-deployment-v44.8.0.json']);
    expect(readFileSync(join(root, 'constructs', 'cf', 'profiles', 'cf-deployment-v44.8.0.json'), 'utf8')).toBe(readFileSync(join(PROFILES_DIR, 'cf-deployment-v44.8.0.json'), 'utf8'));
  });

  it('refuses a path that is not there, with the fix, and writes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'se-profile-'));
    expect(() => writeProfile(join(root, 'nope.yml'), root)).toThrow(
      InputError.at({ file: join(root, 'nope.yml'), path: '', found: 'no such file', expected: 'a cf-deployment.yml', fix: 'pass the cf-deployment.yml of a cf-deployment checkout at the tag to profile' }),
    );
    expect(existsSync(join(root, 'constructs'))).toBe(false);
  });
});

describe('a corrupt profile file fails on load with the file, the path and the fix', () => {
  const FIX = '(fix: regenerate it: npm run profile -- <cf-deployment checkout>/cf-deployment.yml)';
  const good = (): Obj => JSON.parse(readFileSync(join(PROFILES_DIR, 'cf-deployment-v58.0.0.json'), 'utf8'));
  const file = 'constructs/cf/profiles/cf-deployment-v58.0.0.json';

  it('accepts the checked-in file as it is, keeping its key order', () => {
    const data = good();
    expect(checkProfile(file, data)).toBe(data);
  });

  it.each([
    ['a job without its release', (p: Obj) => delete (named(p.instance_groups)[2].jobs as Obj[])[0].release, 'instance_groups[2].jobs[0].release: found nothing (missing), expected string'],
    ['an instance count as text', (p: Obj) => (named(p.instance_groups)[0].instances = 'two'), "instance_groups[0].instances: found 'two', expected number"],
    ['a key profileOf never writes', (p: Obj) => (named(p.instance_groups)[1].vm_type = 'small'), "instance_groups[1].vm_type: found unknown key 'vm_type', expected only the keys the schema defines here"],
    ['no releases', (p: Obj) => (p.releases = []), 'releases: found an empty list, expected at least 1 entry'],
  ])('%s', (_name, corrupt, says) => {
    const data = good();
    corrupt(data);
    expect(() => checkProfile(file, data)).toThrow(`${file}: ${says} (a cf-deployment profile as profileOf writes it) ${FIX}`);
  });
});
