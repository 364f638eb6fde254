import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { load } from 'js-yaml';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, replaceOnce, UPSTREAM_FIXTURES, writeLab } from '../support/lab-files';

type Step = { id: string; out: string; script: string; args: Record<string, string>; after: string[]; orderAfter?: string[] };
const tagged = (t: string, n: number) => t.replace(new RegExp(`(name: rpi-cell-${n},[^}]*stemcell: rpi) }`), '$1, placement_tags: [rpi] }');
const SEGMENT = '\nisolation_segments:\n  - name: rpi\n    orgs: [arm-org]\n    spaces: [{ org: arm-org, space: pis }]\n';
const SECOND_STACK = `  - name: rpifs2
    description: a second ARM stack
    arch: arm64
    base:
      mmdebstrap: { suite: bookworm, variant: minbase }
    packages: packages/rpifs-ci.txt
    locales: [en_US.UTF-8]
`;

/** Synthesizes a lab file into a fresh out dir under a fresh parent; returns what was written or the error. */
function synth(labFile: string, artifactsOnly = false): { stackDir?: string; error?: Error; parent: string } {
  const parent = mkdtempSync(join(tmpdir(), 'se-bp-seg-'));
  try {
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: relative(PROJECT_ROOT, labFile), outdir: join(parent, 'out'), upstreamDir: relative(PROJECT_ROOT, UPSTREAM_FIXTURES), artifactsOnly });
    return { stackDir: res.stackDir, parent };
  } catch (error) {
    return { error: error as Error, parent };
  }
}

const plan = (stackDir: string): Step[] => JSON.parse(readFileSync(join(stackDir, 'plan.json'), 'utf8')).steps;

/** A refused lab: the message names the lab file and what to fix, and nothing is written (no out dir, no staging left). */
function expectRefused(edit: (t: string) => string, ...wants: RegExp[]): void {
  const lab = writeLab(edit);
  const r = synth(lab);
  try {
    expect(r.error).toBeDefined();
    // displayPath: relative to the project root, or absolute when the lab sits outside it (as here)
    expect(r.error!.message).toMatch(new RegExp(`^${lab.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
    for (const w of wants) expect(r.error!.message).toMatch(w);
    expect(readdirSync(r.parent)).toEqual([]);
  } finally {
    rmSync(r.parent, { recursive: true, force: true });
    rmSync(dirname(lab), { recursive: true, force: true });
  }
}

describe('the ARM buildpack reaches Cloud Controller as a BOSH release (default lab)', () => {
  const r = synth(join(PROJECT_ROOT, 'lab.yaml'));
  afterAll(() => rmSync(r.parent, { recursive: true, force: true }));
  const steps = r.stackDir ? plan(r.stackDir) : [];
  const byId = (id: string) => steps.find((s) => s.id === id);

  it('has no placement tags, so the stack alone places apps (and no segment step)', () => {
    expect(r.error).toBeUndefined();
    const cells = load(readFileSync(join(r.stackDir!, 'artifacts', 'bosh', 'cells', 'manifest.yml'), 'utf8')) as { instance_groups: Array<{ jobs: Array<{ name: string; properties?: { diego?: { rep?: { placement_tags?: string[] } } } }> }> };
    const reps = cells.instance_groups.flatMap((g) => g.jobs).filter((j) => j.name === 'rep');
    expect(reps.length).toBeGreaterThan(0);
    for (const rep of reps) expect(rep.properties?.diego?.rep?.placement_tags ?? []).toEqual([]);
    expect(steps.filter((s) => s.script === 'cf-isolation-segment')).toEqual([]);
  });

  it('creates binary-buildpack-rpifs from the zip the buildpack step builds (the one try-app runs)', () => {
    const create = byId('lab-buildpack-rpifs-release-create')!;
    const build = byId('lab-buildpack-rpifs-build')!;
    const tryApp = byId('lab-tryapp-rpifs-run')!;
    expect(create.script).toBe('create-release');
    expect(create.after).toEqual([build.id]);
    expect(create.args.name).toBe('binary-buildpack-rpifs');
    expect(create.args.version).toMatch(/^1\.1\.27\+arm\.[0-9a-f]{12}$/);
    const zip = create.args.blob.split(':')[0];
    expect(zip).toMatch(/binary_buildpack-rpifs-v1\.1\.27\.zip$/);
    expect(zip).toBe(tryApp.args['buildpack-zip']);
    expect(zip).toBe(`{root}/${build.out}/binary_buildpack-rpifs-v1.1.27.zip`);
  });

  it('uploads it with the control plane (not the cells), which the deploy consumes', () => {
    const up = byId('lab-bosh-control-plane-upload')!;
    expect(up.after).toContain('lab-buildpack-rpifs-release-create');
    expect(byId('lab-bosh-cells-upload')!.after).not.toContain('lab-buildpack-rpifs-release-create');
    expect(byId('lab-bosh-control-plane-deploy')!.after).toEqual(['lab-bosh-control-plane-upload']);
  });

  it('writes the ops-file that installs it', () => {
    const ops = readFileSync(join(r.stackDir!, 'artifacts', 'bosh', 'control-plane', 'ops', '50-install-arm-buildpacks.yml'), 'utf8');
    expect(ops).toContain('/instance_groups/name=api/jobs/name=cloud_controller_ng/properties/cc/install_buildpacks/package=binary-buildpack-rpifs?');
    expect(ops).not.toContain('url:');
  });

  it('gives a new release version when the zip step changes (content-triggered)', () => {
    const lab = writeLab();
    const lock = join(dirname(lab), 'lab.lock.json');
    const text = readFileSync(lock, 'utf8');
    writeFileSync(lock, text.replace(/"binary-buildpack":\s*\{([^}]*)"sha":\s*"[0-9a-f]{64}"/, (_m: string, mid: string) => `"binary-buildpack": {${mid}"sha": "${'0'.repeat(64)}"`));
    const other = synth(lab, true);
    try {
      expect(other.error).toBeUndefined();
      const v = plan(other.stackDir!).find((s) => s.id === 'lab-buildpack-rpifs-release-create')!.args.version;
      expect(v).not.toBe(byId('lab-buildpack-rpifs-release-create')!.args.version);
    } finally {
      rmSync(other.parent, { recursive: true, force: true });
      rmSync(dirname(lab), { recursive: true, force: true });
    }
  });
});

describe('placement tags come with a named isolation segment', () => {
  it('refuses tags without a segment, naming the cells and what is missing', () => {
    expectRefused((t) => tagged(tagged(t, 1), 2), /cells\[0\]\.placement_tags/, /rpi-cell-1, rpi-cell-2/, /no isolation segment named rpi/, /isolation_segments/, /drop placement_tags/);
  });

  it('refuses a space whose org is not entitled', () => {
    expectRefused((t) => `${tagged(t, 1)}${SEGMENT.replace('{ org: arm-org', '{ org: other-org')}`, /isolation_segments\[0\]\.spaces\[0\]\.org/, /other-org/);
  });

  it('with a segment: one step after the control-plane deploy (order only) that creates it through cf curl', () => {
    const lab = writeLab((t) => `${tagged(t, 1)}${SEGMENT}`);
    const r = synth(lab);
    try {
      expect(r.error).toBeUndefined();
      const s = plan(r.stackDir!).find((x) => x.script === 'cf-isolation-segment')!;
      expect(s.id).toBe('lab-cf-segment-rpi-create');
      expect(s.args).toMatchObject({ segment: 'rpi', orgs: 'arm-org', spaces: 'arm-org/pis' });
      expect(s.after).toEqual([]);
      expect(s.orderAfter).toEqual(['lab-bosh-control-plane-deploy']);
    } finally {
      rmSync(r.parent, { recursive: true, force: true });
      rmSync(dirname(lab), { recursive: true, force: true });
    }
  });
});

describe('bad buildpack input is refused at synth with the lab path, nothing written', () => {
  const twoStacks = (t: string) => replaceOnce(t, '\ncontrol_plane:', `\n${SECOND_STACK.trimEnd()}\n\ncontrol_plane:`);

  it('two ARM stacks with the same buildpack package name', () => {
    expectRefused(
      (t) => twoStacks(t).replace('    locales: [en_US.UTF-8]\n\ncontrol_plane', '    locales: [en_US.UTF-8]\n    buildpack_package: binary-buildpack-rpifs\n\ncontrol_plane'),
      /stacks\[1\]\.buildpack_package/,
      /binary-buildpack-rpifs/,
      /stacks\[0\] \(rpifs\)/,
    );
  });

  it('a stack name that is not a valid BOSH package name', () => {
    expectRefused((t) => replaceOnce(t, '  - name: rpifs\n', '  - name: rpi_fs\n'), /stacks\[0\]\.name/, /BOSH packages/);
  });

  it("a buildpack package upstream's binary-buildpack release already has", () => {
    expectRefused((t) => replaceOnce(t, '    locales: [en_US.UTF-8]\n', '    locales: [en_US.UTF-8]\n    buildpack_package: binary-buildpack-cflinuxfs4\n'), /stacks\[0\]\.buildpack_package/, /cf-deployment does not already use/);
  });

});
