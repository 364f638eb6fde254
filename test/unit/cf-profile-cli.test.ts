import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshCheckout } from '../support/fresh-build';
import { PROJECT_ROOT } from '../support/lab-files';
import { fixtureCfDeploymentPath } from '../support/manifest-profile';
import { run } from '../support/run';

/** `npm run profile -- <cf-deployment.yml>` as a user runs it: the compiled CLI, in a checkout of its own. */
describe('npm run profile (compiled, in a fresh checkout)', () => {
  const checkout = freshCheckout('se-profile-cli-');
  const cli = join(checkout, 'dist', 'stacks', 'cf-profile.js');
  const profiles = join(checkout, 'constructs', 'cf', 'profiles');
  mkdirSync(profiles, { recursive: true });
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  it('writes the profile, reading a relative path from the directory the user typed it in (INIT_CWD)', () => {
    const upstream = join(fixtureCfDeploymentPath('v58.0.0'), '..', '..');
    const res = run('node', [cli, 'cf-deployment-v58.0.0/cf-deployment.yml'], { cwd: checkout, env: { INIT_CWD: upstream } });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('wrote constructs/cf/profiles/cf-deployment-v58.0.0.json (register it in constructs/cf/profiles/index.ts if it is new)\n');
    expect(readdirSync(profiles)).toEqual(['cf-deployment-v58.0.0.json']);
    expect(readFileSync(join(profiles, 'cf-deployment-v58.0.0.json'), 'utf8')).toBe(readFileSync(join(PROJECT_ROOT, 'constructs', 'cf', 'profiles', 'cf-deployment-v58.0.0.json'), 'utf8'));
  });

  it('refuses a file that is no cf-deployment manifest with one line and exit 2, writing nothing', () => {
    const before = readdirSync(profiles);
    const res = run('node', [cli, join(PROJECT_ROOT, 'lab.yaml')], { cwd: checkout });
    expect(res.status).toBe(2);
    expect(res.stderr).toBe(`${join(PROJECT_ROOT, 'lab.yaml')}: manifest_version: found nothing, expected a cf-deployment tag like v58.0.0 (fix: profile the cf-deployment.yml of a tagged cf-deployment checkout)\n`);
    expect(readdirSync(profiles)).toEqual(before);
  });

  it('refuses a call without the manifest, naming the usage', () => {
    const res = run('node', [cli], { cwd: checkout });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^command line: .*expected one argument: the path of a cf-deployment\.yml \(fix: npm run profile -- .*cf-deployment\.yml\)\n$/);
  });
});
