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

const STEPS = {
  sshd: 'lab-lifecycle-armhf-sshd-compile',
  healthcheck: 'lab-lifecycle-armhf-healthcheck-compile',
  bundle: 'lab-lifecycle-armhf-bundle-compile',
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
function synth(lab: Lab = baseLab, editLock: (l: LabLock) => LabLock = (l) => l): Synth {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true }); // cdktf's App makes its outdir, but not the parents
  const app = new App({ outdir: join(PROJECT_ROOT, 'build', 'test-lifecycle-synth') });
  const stack = new TerraformStack(app, 'lab');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const store = new ArtifactStore(stack);
  const graph = new PlanGraph(stack, relative(join(PROJECT_ROOT, 'cdktf.out', 'stacks', 'lab'), PROJECT_ROOT));
  const lock = editLock(baseLock);
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
        expect.stringMatching(new RegExp(`^node \\.\\./\\.\\./\\.\\./pipelines/.*\\bcross-compile\\b.*--packages=bosh-packages/armhf --plan=cross-compile/armhf/${pkg}\\.plan\\.json --upstream-dir=\\.\\./\\.\\./\\.\\./upstream$`)),
      ),
    ));
  });

  it('builds every step from the pinned diego-release tree, naming only the submodules its packages need', () => {
    const sshd = JSON.parse(s.text('cross-compile/armhf/diego-sshd_armhf.plan.json'));
    expect(sshd.upstream).toEqual({
      go: baseLock.upstream['diego-release'].go,
      release: 'diego-release',
      repo: 'https://github.com/cloudfoundry/diego-release',
      sha: '65555438dad835c7bd39ce2a2e15c2285ff6622a',
      submodules: { bbs: '4b574f98c713f8e77467ec6a4ac953ab52ddc718', 'diego-ssh': '0e1b7b1a4e02374404ab93561abbea77852e55e7' },
      tarballSha256: '141e7f11f315577046de6fb7a3f9bbd08d7726439fa465b27e9533b47ef676fd',
      version: 'v2.105.0',
    });
    expect(sshd.packages[0].submodules).toEqual(['bbs', 'diego-ssh']);
    expect(sshd.fromSteps).toBeUndefined();
    for (const key of ['inTree', 'requires', 'missingPins', 'go']) expect(Object.keys(sshd)).not.toContain(key);
    const bundle = JSON.parse(s.text('cross-compile/armhf/buildpack_app_lifecycle_armhf.plan.json'));
    expect(bundle.upstream.submodules).toEqual({ buildpackapplifecycle: '888a70480a0176ef408014570065e98de75cedf6' });
    expect(bundle.fromSteps.map((f: { step: string; packages: string[] }) => [f.step, f.packages])).toEqual([
      [STEPS.healthcheck, ['healthcheck_armhf']],
      [STEPS.sshd, ['diego-sshd_armhf']],
    ]);
    expect(bundle.bundle).toEqual({ package: 'buildpack_app_lifecycle_armhf', file: 'buildpack_app_lifecycle.tgz' });
  });

  it('lists in plan.json where each arch\'s bundle, healthcheck and diego-sshd land, relative to the step out dir', () => {
    const steps = s.graph.ordered();
    const provided = Object.fromEntries(steps.flatMap((st) => Object.entries(st.provides ?? {}).map(([k, v]) => [k, `${st.out}/${v}`])));
    const out = (id: string) => steps.find((st) => st.id === id)!.out;
    expect(provided).toEqual({
      'diego-sshd/armhf': `${out(STEPS.sshd)}/packages/diego-sshd_armhf/diego-sshd`,
      'healthcheck/armhf': `${out(STEPS.healthcheck)}/packages/healthcheck_armhf/healthcheck`,
      'lifecycle-bundle/armhf': `${out(STEPS.bundle)}/packages/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz`,
    });
  });

  it('re-runs only the steps an input feeds: a new healthcheck submodule commit changes healthcheck and the bundle, not diego-sshd', () => {
    const other = synth(baseLab, (l) => ({
      ...l,
      upstream: { ...l.upstream, 'diego-release': { ...l.upstream['diego-release'], submodules: { ...l.upstream['diego-release'].submodules, healthcheck: 'd'.repeat(40) } } },
    }));
    const trig = (p: LifecyclePart, pkg: string): string | undefined => p.packageSteps.get(pkg)?.trigger;
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
});
