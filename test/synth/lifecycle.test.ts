import { join, relative } from 'node:path';
import { App, LocalBackend, TerraformStack, Testing } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import type { Cell, Lab } from '../../lab/model';
import type { LabLock } from '../../lab/lock';
import { addLifecycle, type LifecyclePart } from '../../stacks/parts/lifecycle';
import { PROJECT_ROOT } from '../support/lab-files';

const PINS = {
  'code.cloudfoundry.org/buildpackapplifecycle': 'v0.0.0-20241001000000-aaaaaaaaaaaa',
  'code.cloudfoundry.org/diego-ssh': 'v0.0.0-20241001000000-bbbbbbbbbbbb',
  'code.cloudfoundry.org/healthcheck': 'v0.0.0-20241001000000-cccccccccccc',
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

  it('adds one cross-compile step whose command runs the step script on the synthesized package dirs', () => {
    expect(part.compileStep.stepId).toBe('lab-lifecycle-armhf-crosscompile-step');
    const resources = JSON.parse(s.tf).resource.terraform_data as Record<string, { provisioner: Array<{ 'local-exec': { command: string } }> }>;
    const cmds = Object.values(resources).map((r) => r.provisioner[0]['local-exec'].command);
    expect(cmds).toEqual([expect.stringMatching(/^node \.\.\/\.\.\/\.\.\/pipelines\/.*\bcross-compile\b.*--packages=bosh-packages\/armhf --plan=cross-compile\/armhf\/build-plan\.json$/)]);
    expect(part.compileStep.props.needs).toEqual(['go']);
  });

  it('puts the module pins into the build plan (and so into the step trigger)', () => {
    const plan = JSON.parse(s.text('cross-compile/armhf/build-plan.json'));
    expect(plan.inTree).toEqual(PINS);
    expect(plan.missingPins).toBeUndefined();
    expect(plan.packages.map((p: { name: string }) => p.name)).toEqual(['healthcheck_armhf', 'diego-sshd_armhf', 'buildpack_app_lifecycle_armhf']);
    const other = synth(baseLab, { ...PINS, 'code.cloudfoundry.org/healthcheck': 'v0.0.0-20241101000000-dddddddddddd' });
    expect(other.parts.get('armhf')?.compileStep.trigger).not.toBe(part.compileStep.trigger);
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

  it('still synthesizes without pins, and the build plan tells the step which lock entries are missing', () => {
    const s = synth(baseLab, {});
    const plan = JSON.parse(s.text('cross-compile/armhf/build-plan.json'));
    expect(plan.missingPins).toEqual({ lockFile: 'lab.lock.json', modules: Object.keys(PINS).sort() });
  });
});
