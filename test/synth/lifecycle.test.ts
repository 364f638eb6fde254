import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack, Testing } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import type { PlanStep } from '../../constructs/plan/plan-step';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import type { Cell, Lab } from '../../lab/model';
import type { LabLock } from '../../lab/lock';
import { addLifecycle, type LifecyclePart } from '../../stacks/parts/lifecycle';
import { PROJECT_ROOT } from '../support/lab-files';

const PINS = {
  'code.cloudfoundry.org/bbs': 'v0.0.0-20241001000000-dddddddddddd',
  'code.cloudfoundry.org/buildpackapplifecycle': 'v0.0.0-20241001000000-aaaaaaaaaaaa',
  'code.cloudfoundry.org/diego-ssh': 'v0.0.0-20241001000000-bbbbbbbbbbbb',
  'code.cloudfoundry.org/healthcheck': 'v0.0.0-20241001000000-cccccccccccc',
  'golang.org/x/crypto': 'v0.29.0',
};
const STEPS = {
  sshd: 'lab-lifecycle-armhf-compilesshd-step',
  healthcheck: 'lab-lifecycle-armhf-compilehealthcheck-step',
  bundle: 'lab-lifecycle-armhf-compilebundle-step',
};

const baseLab = loadLab(join(PROJECT_ROOT, 'lab.yaml'), PROJECT_ROOT);
const baseLock = loadLock(join(PROJECT_ROOT, 'lab.lock.json'), PROJECT_ROOT);

interface Synth {
  parts: ReadonlyMap<string, LifecyclePart>;
  store: ArtifactStore;
  graph: PlanGraph;
  tf: string;
  text(path: string): string;
}

/** The lifecycle part alone on a stack, as the lab stack adds it, so this test does not depend on the other parts. */
function synth(lab: Lab = baseLab, goModules: Record<string, string> = PINS): Synth {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true }); // cdktf's App makes its outdir, but not the parents
  const app = new App({ outdir: join(PROJECT_ROOT, 'build', 'test-lifecycle-synth') });
  const stack = new TerraformStack(app, 'lab');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const store = new ArtifactStore(stack);
  const graph = new PlanGraph(stack, relative(join(PROJECT_ROOT, 'cdktf.out', 'stacks', 'lab'), PROJECT_ROOT));
  const lock: LabLock = { ...baseLock, goModules };
  const parts = addLifecycle({ scope: stack, lab, lock, artifacts: store, graph, projectRoot: PROJECT_ROOT, upstreamDir: join(PROJECT_ROOT, 'upstream'), directorSteps: false });
  const tf = Testing.synth(stack);
  const text = (p: string): string => store.filesUnder(p)[0][1].content.toString('utf8');
  return { parts, store, graph, tf, text };
}

function withCells(cells: Array<Partial<Cell>>): Lab {
  return { ...baseLab, cells: cells.map((c, i) => ({ ...baseLab.cells[0], name: `cell-${i}`, ...c })) };
}

describe('lifecycle part (default lab: armhf cells, GOARM 7)', () => {
  const s = synth();
  const part = s.parts.get('armhf') as LifecyclePart;

  it('hands over one arch with the three packages the control plane adds to its file server', () => {
    expect([...s.parts.keys()]).toEqual(['armhf']);
    expect(part.packages).toEqual(['buildpack_app_lifecycle_armhf', 'diego-sshd_armhf', 'healthcheck_armhf']);
    expect(part.bundlePackage).toBe('buildpack_app_lifecycle_armhf');
    expect(part.packagesArtifactDir).toBe('bosh-packages/armhf');
    expect(s.store.filesUnder('bosh-packages/armhf').map(([p]) => p)).toEqual([
      'bosh-packages/armhf/buildpack_app_lifecycle_armhf/packaging',
      'bosh-packages/armhf/buildpack_app_lifecycle_armhf/spec',
      'bosh-packages/armhf/diego-sshd_armhf/packaging',
      'bosh-packages/armhf/diego-sshd_armhf/spec',
      'bosh-packages/armhf/healthcheck_armhf/packaging',
      'bosh-packages/armhf/healthcheck_armhf/spec',
    ]);
  });

  it('writes specs whose globs are relative to the release src/ (code.cloudfoundry.org/...), like upstream', () => {
    for (const pkg of part.packages) {
      const files = s.text(`bosh-packages/armhf/${pkg}/spec`).split('files:\n')[1].trimEnd().split('\n');
      for (const f of files) expect(f).toMatch(/^ {2}- code\.cloudfoundry\.org\//);
    }
    expect(s.text('bosh-packages/armhf/diego-sshd_armhf/spec')).toContain('  - code.cloudfoundry.org/diego-ssh/**/*.go\n');
  });

  it('builds for GOARM 7 in every package', () => {
    for (const pkg of part.packages) expect(s.text(`bosh-packages/armhf/${pkg}/packaging`)).toContain('export GOARCH=arm\nexport GOARM=7\n');
  });

  it('adds three cross-compile steps: diego-sshd and healthcheck on their own, then the bundle after both', () => {
    const steps = part.packageSteps as ReadonlyMap<string, PlanStep>;
    expect([...steps].map(([pkg, st]) => [pkg, st.stepId])).toEqual([
      ['diego-sshd_armhf', STEPS.sshd],
      ['healthcheck_armhf', STEPS.healthcheck],
      ['buildpack_app_lifecycle_armhf', STEPS.bundle],
    ]);
    expect(part.compileStep.stepId).toBe(STEPS.bundle);
    expect((part.compileStep.props.dependsOn ?? []).map((d) => d.stepId).sort()).toEqual([STEPS.healthcheck, STEPS.sshd]);
    for (const st of steps.values()) expect(st.props.needs).toEqual(['go']);
    const resources = JSON.parse(s.tf).resource.terraform_data as Record<string, { provisioner: Array<{ 'local-exec': { command: string } }> }>;
    const cmds = Object.values(resources).map((r) => r.provisioner[0]['local-exec'].command);
    expect(cmds).toHaveLength(3);
    expect(cmds).toEqual(expect.arrayContaining(
      ['buildpack_app_lifecycle_armhf', 'diego-sshd_armhf', 'healthcheck_armhf'].map((pkg) =>
        expect.stringMatching(new RegExp(`^node \\.\\./\\.\\./\\.\\./pipelines/.*\\bcross-compile\\b.*--packages=bosh-packages/armhf --plan=cross-compile/armhf/${pkg}\\.plan\\.json$`)),
      ),
    ));
  });

  it('gives each step its own in-tree pins, the other pins as requirements, and the earlier steps it reads', () => {
    const sshd = JSON.parse(s.text('cross-compile/armhf/diego-sshd_armhf.plan.json'));
    expect(sshd.inTree).toEqual({ 'code.cloudfoundry.org/bbs': PINS['code.cloudfoundry.org/bbs'], 'code.cloudfoundry.org/diego-ssh': PINS['code.cloudfoundry.org/diego-ssh'] });
    expect(sshd.requires).toEqual({ 'golang.org/x/crypto': 'v0.29.0' });
    expect(sshd.missingPins).toBeUndefined();
    expect(sshd.fromSteps).toBeUndefined();
    const bundle = JSON.parse(s.text('cross-compile/armhf/buildpack_app_lifecycle_armhf.plan.json'));
    expect(bundle.inTree).toEqual({ 'code.cloudfoundry.org/buildpackapplifecycle': PINS['code.cloudfoundry.org/buildpackapplifecycle'] });
    expect(bundle.fromSteps.map((f: { step: string; packages: string[] }) => [f.step, f.packages])).toEqual([
      [STEPS.healthcheck, ['healthcheck_armhf']],
      [STEPS.sshd, ['diego-sshd_armhf']],
    ]);
    expect(bundle.bundle).toEqual({ package: 'buildpack_app_lifecycle_armhf', file: 'buildpack_app_lifecycle.tgz' });
  });

  it('re-runs only the steps a pin feeds: a new healthcheck pin changes healthcheck and the bundle, not diego-sshd', () => {
    const other = synth(baseLab, { ...PINS, 'code.cloudfoundry.org/healthcheck': 'v0.0.0-20241101000000-dddddddddddd' });
    const trig = (p: LifecyclePart, pkg: string): string | undefined => p.packageSteps?.get(pkg)?.trigger;
    const o = other.parts.get('armhf') as LifecyclePart;
    expect(trig(o, 'diego-sshd_armhf')).toBe(trig(part, 'diego-sshd_armhf'));
    expect(trig(o, 'healthcheck_armhf')).not.toBe(trig(part, 'healthcheck_armhf'));
    expect(trig(o, 'buildpack_app_lifecycle_armhf')).not.toBe(trig(part, 'buildpack_app_lifecycle_armhf'));
  });

  it('is deterministic: a second synth gives the same artifacts and trigger', () => {
    const again = synth();
    expect(again.store.all().map(([p, a]) => [p, a.content.toString('base64')])).toEqual(s.store.all().map(([p, a]) => [p, a.content.toString('base64')]));
    expect(again.parts.get('armhf')?.compileStep.trigger).toBe(part.compileStep.trigger);
    expect(s.tf).not.toContain(PROJECT_ROOT);
  });
});

describe('lifecycle part for other cell sets', () => {
  it('builds arm64 packages without GOARM when the lab asks for arm64 cells', () => {
    const s = synth(withCells([{ arch: 'arm64', goarm: undefined }]));
    const part = s.parts.get('arm64') as LifecyclePart;
    expect(part.packages).toEqual(['buildpack_app_lifecycle_arm64', 'diego-sshd_arm64', 'healthcheck_arm64']);
    const script = s.text('bosh-packages/arm64/buildpack_app_lifecycle_arm64/packaging');
    expect(script).toContain('export GOARCH=arm64\n');
    expect(script).not.toContain('GOARM=');
  });

  it('builds one set per arch for a mixed lab, and GOARM 6 when any armhf cell needs it', () => {
    const s = synth(withCells([{ arch: 'armhf', goarm: 7 }, { arch: 'armhf', goarm: 6 }, { arch: 'arm64', goarm: undefined }]));
    expect([...s.parts.keys()]).toEqual(['arm64', 'armhf']);
    expect(s.text('bosh-packages/armhf/healthcheck_armhf/packaging')).toContain('export GOARM=6\n');
  });

  it('still synthesizes with a partial lock, and each build plan names the pins its step lacks', () => {
    const s = synth(baseLab, { 'code.cloudfoundry.org/bbs': PINS['code.cloudfoundry.org/bbs'], 'code.cloudfoundry.org/diego-ssh': PINS['code.cloudfoundry.org/diego-ssh'] });
    const plan = (pkg: string): { missingPins?: { lockFile: string; modules: string[]; matching?: string } } => JSON.parse(s.text(`cross-compile/armhf/${pkg}.plan.json`));
    expect(plan('diego-sshd_armhf').missingPins).toBeUndefined();
    expect(plan('healthcheck_armhf').missingPins).toEqual({ lockFile: 'lab.lock.json', modules: ['code.cloudfoundry.org/healthcheck'], matching: 'diego-release v2.105.0' });
    expect(plan('buildpack_app_lifecycle_armhf').missingPins?.modules).toEqual(['code.cloudfoundry.org/buildpackapplifecycle', 'code.cloudfoundry.org/healthcheck']);
  });

  it('lists every lifecycle module as missing when the lock pins none', () => {
    const s = synth(baseLab, {});
    const plan = JSON.parse(s.text('cross-compile/armhf/buildpack_app_lifecycle_armhf.plan.json'));
    expect(plan.missingPins.modules).toEqual(Object.keys(PINS).filter((m) => m.startsWith('code.cloudfoundry.org/')).sort());
  });
});
