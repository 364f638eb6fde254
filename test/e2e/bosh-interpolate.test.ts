import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { applyOps } from '../../constructs/bosh/go-patch';
import { BOSH_ARTIFACTS } from '../../stacks/parts/manifests';
import { bosh } from '../support/bosh-cli';
import { manifestsFor, testLab } from '../support/manifest-lab';
import { UPSTREAM_FIXTURES } from '../support/lab-files';
import { outcome, run } from '../support/run';

const REPO = resolve(__dirname, '..', '..');
// CI clones the repo beside shared/, so the fixture is addressed from the repo root like this.
const FIXTURE = relative(REPO, join(UPSTREAM_FIXTURES, 'cf-deployment-v58.0.0', 'cf-deployment.yml'));
const lab = testLab();
const STACK = lab.stacks[0];

/**
 * Every place the fixture sets one of the three Cloud Controller properties, found by walking the whole
 * document (not just instance_groups/jobs), as a go-patch path with name= selectors.
 */
function fixturePlaces(doc: unknown): Record<'stacks' | 'lifecycle_bundles' | 'droplet_destinations', string[]> {
  const out = { stacks: [] as string[], lifecycle_bundles: [] as string[], droplet_destinations: [] as string[] };
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const name = (item as { name?: unknown })?.name;
        walk(item, `${path}/${typeof name === 'string' ? `name=${name}` : i}`);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (path.endsWith('/cc') && k === 'stacks') out.stacks.push(`${path}/stacks`);
        if (path.endsWith('/cc/diego') && k === 'lifecycle_bundles') out.lifecycle_bundles.push(`${path}/lifecycle_bundles`);
        if (path.endsWith('/cc/diego') && k === 'droplet_destinations') out.droplet_destinations.push(`${path}/droplet_destinations`);
        walk(x, `${path}/${k}`);
      }
    }
  };
  walk(doc, '');
  return out;
}

describe('generated BOSH manifests against the real bosh CLI', () => {
  const work = mkdtempSync(join(tmpdir(), 'se-bosh-int-'));
  const h = manifestsFor(lab);
  const opsFiles: string[] = [];
  for (const [p, a] of h.store.all()) {
    if (!p.startsWith('bosh/')) continue;
    const file = join(work, p);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, a.content);
    if (p.startsWith(`${BOSH_ARTIFACTS.controlPlaneOpsDir}/`)) opsFiles.push(file);
  }
  const interpolated = join(work, 'cf-interpolated.yml');
  const timings: Record<string, number> = {};
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    process.stdout.write(`bosh interpolate timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it('applies every generated ops-file to cf-deployment v58.0.0', () => {
    expect(opsFiles.length).toBe(4);
    const r = bosh(['interpolate', FIXTURE, ...opsFiles.flatMap((f) => ['-o', f])], REPO);
    timings.controlPlane = r.ms;
    expect(r.stderr).toBe('');
    expect(outcome(r)).toEqual({ status: 0, tail: '' });
    writeFileSync(interpolated, r.stdout);
  });

  it('shows the stack, its lifecycle bundle and droplet destination in every place cf-deployment has them', () => {
    const places = fixturePlaces(load(readFileSync(join(REPO, FIXTURE), 'utf8')));
    // The scan must find something, or this test would pass vacuously.
    expect(places.stacks.length).toBeGreaterThanOrEqual(1);
    expect(places.lifecycle_bundles.length).toBeGreaterThanOrEqual(4);
    expect(places.droplet_destinations.length).toBeGreaterThanOrEqual(4);
    const t0 = Date.now();
    const checks: Array<[string, string]> = [
      ...places.stacks.map((p): [string, string] => [`${p}/name=${STACK.name}/name`, STACK.name]),
      ...places.lifecycle_bundles.map((p): [string, string] => [`${p}/buildpack~1${STACK.name}`, STACK.lifecycleBundle]),
      ...places.droplet_destinations.map((p): [string, string] => [`${p}/${STACK.name}`, '/home/vcap']),
    ];
    for (const [path, want] of checks) {
      const r = bosh(['interpolate', interpolated, '--path', path]);
      expect({ path, status: r.status, value: r.stdout.trim() }).toEqual({ path, status: 0, value: want });
    }
    timings.pathChecks = Date.now() - t0;
  });

  it('swaps diego for the control-plane variant everywhere', () => {
    const doc = load(readFileSync(interpolated, 'utf8')) as { releases: Array<{ name: string }>; instance_groups: Array<{ jobs: Array<{ release: string }> }> };
    expect(doc.releases.map((r) => r.name)).not.toContain('diego');
    expect(doc.releases.map((r) => r.name)).toContain('diego-test-cp');
    expect(doc.instance_groups.flatMap((g) => g.jobs).filter((j) => j.release === 'diego')).toEqual([]);
    const r = bosh(['interpolate', interpolated, '--path', '/instance_groups/name=api/jobs/name=file_server/release']);
    expect(r.stdout.trim()).toBe('diego-test-cp');
  });

  it("agrees with the synth's in-memory go-patch (what the consistency check reads)", () => {
    const fixture = load(readFileSync(join(REPO, FIXTURE), 'utf8'));
    const ours = h.manifests.opsFiles.reduce((d, f) => applyOps(d, f.ops, f.file), fixture);
    expect(load(readFileSync(interpolated, 'utf8'))).toEqual(load(dump(ours)));
  });

  const cells = () => join(work, BOSH_ARTIFACTS.cellsManifest);
  const credValue = (name: string, field: string) => `test-${name}-${field}-e2e7c1`;

  describe('cells manifest', () => {
    const varsFile = join(work, 'lab-vars.yml');
    const vars: Record<string, unknown> = {};
    for (const name of lab.director.variables) {
      const key = name === 'system_domain' ? name : `/${lab.director.name}/${lab.controlPlane.deployment}/${name}`;
      vars[key] = name === 'system_domain' ? 'sys.test.example' : { ca: credValue(name, 'ca'), certificate: credValue(name, 'certificate'), private_key: credValue(name, 'private_key') };
    }
    writeFileSync(varsFile, dump(vars));

    it('interpolates cleanly with --var-errs given the variables the Lab provides', () => {
      const r = bosh(['interpolate', cells(), '--var-errs', '-l', varsFile]);
      timings.cells = r.ms;
      expect(r.stderr).toBe('');
      expect(outcome(r)).toEqual({ status: 0, tail: '' });
      // the values really were substituted, so the scan below would see a leak
      expect(r.stdout).toContain(credValue('diego_bbs_client', 'certificate'));
    });

    it('fails --var-errs without them (the check above is not vacuous)', () => {
      const r = bosh(['interpolate', cells(), '--var-errs']);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toContain(`/${lab.director.name}/cf/diego_bbs_client`);
    });

    it("lists the stack's preloaded rootfs in the rep", () => {
      const r = bosh(['interpolate', cells(), '--path', '/instance_groups/name=rpifs-armhf-cell/jobs/name=rep/properties/diego/rep/preloaded_rootfses']);
      expect(outcome(r)).toEqual({ status: 0, tail: '' });
      expect(load(r.stdout)).toEqual(['rpifs:/var/vcap/packages/rpifs/rootfs.tar']);
    });
  });

  describe('never shows a credential: the values bosh substitutes above, given to the deploy step as its director environment', () => {
    const SECRET = credValue('diego_bbs_client', 'private_key');
    const CA = `-----BEGIN CERTIFICATE-----\n${credValue('diego_bbs_client', 'ca')}\n-----END CERTIFICATE-----`;
    const secrets = [SECRET, credValue('diego_bbs_client', 'ca')];
    /** pipelines/bosh-deploy.mjs deploying the rendered cells manifest, as the plan's step runs it. */
    const deployCells = (env: NodeJS.ProcessEnv) => {
      const out = join(work, `deploy-out-${Object.keys(env).length}`);
      const r = run(process.execPath, [join(REPO, 'pipelines', 'bosh-deploy.mjs'), '--action=deploy', '--deployment=rpi-cells', `--manifest=${BOSH_ARTIFACTS.cellsManifest}`, `--root=${REPO}`, `--artifacts=${work}`, `--out=${out}`], {
        env: { BOSH_ENVIRONMENT: '', BOSH_CLIENT: 'admin', BOSH_CLIENT_SECRET: SECRET, BOSH_CA_CERT: CA, STACK_ELEVATOR_STEP: 'lab-bosh-cells-deploy', ...env },
      });
      const written = existsSync(out) ? readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')) : [];
      return { ...r, all: [r.stdout, r.stderr, ...written].join('\n') };
    };

    it('prints the command it would run, without them, when the director is not fully configured', () => {
      const r = deployCells({});
      expect(r.status).toBe(3);
      expect(r.stdout).toBe(`bosh -n -d rpi-cells deploy ${cells()} --vars-env=STACK_ELEVATOR_VAR\n`);
      for (const v of secrets) expect({ leaked: r.all.includes(v) }).toEqual({ leaked: false });
    });

    it('hands them to the real bosh CLI only through its environment (a director that cannot be reached)', () => {
      const r = deployCells({ BOSH_ENVIRONMENT: 'https://127.0.0.1:1' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('[lab-bosh-cells-deploy] FAILED: bosh -n -d rpi-cells deploy');
      for (const v of secrets) expect({ leaked: r.all.includes(v) }).toEqual({ leaked: false });
    });
  });
});
