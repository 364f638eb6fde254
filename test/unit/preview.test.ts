import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph, PlannedStep } from '../../constructs/plan/plan-graph';
import { PlanStep } from '../../constructs/plan/plan-step';
import { DeploymentSummary, summarizeDeployment } from '../../constructs/bosh/deployment-summary';
import { planFlowchart } from '../../stacks/preview/mermaid';
import { diffPlans, readSynth, withoutBase } from '../../stacks/preview/plan-diff';
import { redact, secretValues } from '../../stacks/preview/redact';
import { markerFor, PreviewFacts, renderPreview, summaryOf } from '../../stacks/preview/render-markdown';
import { riskWarnings } from '../../stacks/preview/warnings';
import { PROJECT_ROOT } from '../support/lab-files';
import { synthMiniPlan } from '../support/mini-stack';

const facts = (over: Partial<Omit<PreviewFacts, 'cut'>> = {}): Omit<PreviewFacts, 'cut'> => ({
  marker: markerFor('lab.yaml'),
  lab: 'lab.yaml',
  status: 'ok',
  errors: [],
  base: { ref: 'main', status: 'ok', cached: false },
  summary: { artifactSteps: 0, directorSteps: 0, warnings: 0 },
  steps: [],
  warnings: [],
  files: [],
  ...over,
});

describe('plan preview', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const synth = (note: string) => {
    const p = synthMiniPlan(note);
    dirs.push(p.outdir);
    return p;
  };

  it('reports a no-op when nothing changed, under the marker and a one-line summary', () => {
    const diff = diffPlans(readSynth(synth('same').stackDir), readSynth(synth('same').stackDir));
    expect(diff.steps.map((s) => s.change)).toEqual(['unchanged', 'unchanged']);
    expect(diff.files).toEqual([]);
    const { markdown } = renderPreview(facts({ steps: diff.steps, summary: summaryOf(diff.steps, []) }), { fileDiffs: new Map(), headSteps: [], budget: 60_000 });
    const [marker, summary] = markdown.split('\n');
    expect(marker).toBe('<!-- stack-elevator preview: lab.yaml -->');
    expect(summary).toBe('**stack-elevator preview of `lab.yaml`** against `main`: 0 artifact step(s) and 0 director step(s) would run, 0 warning(s).');
    expect(markdown).toContain('No step would run');
  });

  it('names the changed input of a step and re-runs its dependents, as triggers_replace would', () => {
    const a = synth('v1');
    const diff = diffPlans(readSynth(a.stackDir), readSynth(synth('v2').stackDir));
    expect(diff.files).toEqual([{ path: 'notes/input.txt', change: 'changed' }]);
    const [first, second] = diff.steps;
    expect(first).toMatchObject({ id: a.first.stepId, change: 'reruns', reasons: ['inputs changed: notes/input.txt'] });
    expect(second).toMatchObject({ id: a.second.stepId, change: 'reruns', reasons: [`after re-run of ${a.first.stepId}`] });
    const { markdown } = renderPreview(facts({ steps: diff.steps, files: diff.files }), { fileDiffs: new Map([['notes/input.txt', '@@ -1 +1 @@\n-v1\n+v2']]), headSteps: [], budget: 60_000 });
    expect(markdown).toContain('2 of 2 steps would run');
    expect(markdown).toContain('```diff\n@@ -1 +1 @@\n-v1\n+v2\n```');
  });

  it('reports no step as new when the base is unknown', () => {
    const head = readSynth(synth('v1').stackDir);
    const diff = withoutBase(head);
    expect(diff.steps.map((s) => s.change)).toEqual(['unknown', 'unknown']);
    const { markdown } = renderPreview(facts({ base: { ref: 'main', status: 'failed', error: 'lab.yaml:3: name: found 1, expected a string', cached: false }, steps: diff.steps }), { fileDiffs: new Map(), headSteps: head.steps, budget: 60_000 });
    expect(markdown).toContain('> The base `main` could not be synthesized');
    expect(markdown).toContain('> `lab.yaml:3: name: found 1, expected a string`');
    expect(markdown).not.toMatch(/new step|\| added \|/);
  });

  it('shows a failed head as a failure section with its errors, naming a bug as a bug', () => {
    const errors = ['lab.yaml:57: cells[0].arch: found sparc, expected armhf or arm64'];
    const lab = renderPreview(facts({ status: 'failed', failure: 'lab-invalid', errors }), { fileDiffs: new Map(), headSteps: [], budget: 60_000 }).markdown;
    expect(lab.split('\n')[1]).toBe('**stack-elevator preview of `lab.yaml` failed**: 1 lab error(s), no plan.');
    expect(lab).toContain('#### ❌ The lab does not validate\n\nNothing was planned. Fix these and push again:\n\n```\nlab.yaml:57: cells[0].arch: found sparc, expected armhf or arm64\n```');
    const bug = renderPreview(facts({ status: 'failed', failure: 'internal-error', errors: ['TypeError: x is undefined'] }), { fileDiffs: new Map(), headSteps: [], budget: 60_000 }).markdown;
    expect(bug).toContain('#### ❌ The synth failed');
    expect(bug.split('\n')[1]).toBe('**stack-elevator preview of `lab.yaml` failed**: 1 internal error(s), no plan.');
    expect(bug).not.toContain('does not validate');
  });

  it('redacts the values of secret-looking environment variables', () => {
    const secrets = secretValues({ BOSH_CLIENT_SECRET: 's3cr3t-value', BOSH_ENVIRONMENT: '10.0.0.6', HOME: '/root' });
    expect(secrets).toEqual(['s3cr3t-value']);
    expect(redact('password: s3cr3t-value at 10.0.0.6', secrets)).toBe('password: ((redacted)) at 10.0.0.6');
  });
});

describe('order-only edges', () => {
  /** first <- second (trigger edge), first <- third (order only), with first's input given. */
  function graph(input: string) {
    mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
    const dir = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-order-'));
    const app = new App({ outdir: dir });
    const stack = new TerraformStack(app, 'order');
    const store = new ArtifactStore(stack);
    new PlanGraph(stack, relative(join(dir, 'stacks', 'order'), PROJECT_ROOT));
    store.add('in.txt', input);
    const first = new PlanStep(stack, 'First', { script: 'write-receipt', description: 'first', inputs: ['in.txt'] });
    const second = new PlanStep(stack, 'Second', { script: 'write-receipt', description: 'second', dependsOn: [first] });
    const third = new PlanStep(stack, 'Third', { script: 'write-receipt', description: 'third', orderAfter: [first] });
    rmSync(dir, { recursive: true, force: true });
    return { first, second, third, planned: PlanGraph.of(first).ordered() };
  }

  it('order a step after another without putting its trigger into this one', () => {
    const a = graph('one');
    const b = graph('two');
    expect(b.first.trigger).not.toBe(a.first.trigger);
    expect(b.second.trigger).not.toBe(a.second.trigger);
    expect(b.third.trigger).toBe(a.third.trigger);
    const third = a.planned.find((s) => s.id === a.third.stepId)!;
    expect(third).toMatchObject({ after: [], orderAfter: [a.first.stepId] });
    expect(a.planned.map((s) => s.id).indexOf(a.first.stepId)).toBeLessThan(a.planned.map((s) => s.id).indexOf(a.third.stepId));
  });

  it('draw trigger edges solid and order-only edges dotted, the running steps filled', () => {
    const { planned, first, second, third } = graph('one');
    const chart = planFlowchart(planned, new Set([first.stepId, second.stepId]));
    const node = (s: PlanStep) => `s_${s.stepId.replace(/[^A-Za-z0-9]/g, '_')}`;
    expect(chart.split('\n')[0]).toBe('flowchart LR');
    expect(chart).toContain(`  ${node(first)} --> ${node(second)}`);
    expect(chart).toContain(`  ${node(first)} -.-> ${node(third)}`);
    expect(chart).not.toContain(`${node(first)} --> ${node(third)}`);
    expect(chart).toContain(`  class ${node(first)},${node(second)} runs`);
  });
});

describe('risk warnings', () => {
  const cells = (instances: number, over: Partial<DeploymentSummary> = {}): DeploymentSummary => ({
    ...summarizeDeployment('rpi-cells', {
      releases: [{ name: 'rpifs' }, { name: 'diego-cell' }],
      stemcells: [{ alias: 'rpi', os: 'debian-bookworm-armhf', version: '0.1.0' }],
      instance_groups: [{ name: 'rpifs-cell', instances, stemcell: 'rpi', jobs: [{ name: 'rep', properties: { diego: { rep: { preloaded_rootfses: ['rpifs:/var/vcap/packages/rpifs/rootfs.tar'] } } } }] }],
    }),
    ...over,
  });
  const cf = (stacks: string[]): DeploymentSummary => summarizeDeployment('cf', { instance_groups: [{ name: 'api', instances: 2, jobs: [{ name: 'cloud_controller_ng', properties: { cc: { stacks: stacks.map((name) => ({ name })) } } }] }] });

  it('says nothing when the deployments are the same or grow', () => {
    expect(riskWarnings([cf(['rpifs']), cells(3)], [cf(['rpifs']), cells(3)])).toEqual([]);
    expect(riskWarnings([cf(['rpifs']), cells(3)], [cf(['rpifs']), cells(4)])).toEqual([]);
  });

  it('warns about fewer cells, a removed instance group, release, stack and a changed stemcell', () => {
    expect(riskWarnings([cells(3)], [cells(2)]).map((w) => w.kind)).toEqual(['fewer-instances']);
    const gone = riskWarnings([cf(['rpifs']), cells(3)], [cf([]), { ...cells(0), instanceGroups: [], releases: ['diego-cell'], stemcells: ['rpi=debian-bookworm-armhf/0.2.0'] }]);
    expect(gone.map((w) => w.kind).sort()).toEqual(['fewer-instances', 'instance-group-removed', 'release-removed', 'stack-removed', 'stemcell-changed']);
    expect(gone.find((w) => w.kind === 'stemcell-changed')!.message).toContain('debian-bookworm-armhf/0.1.0 -> debian-bookworm-armhf/0.2.0');
  });

  it('warns when cells stop advertising a stack Cloud Controller still lists', () => {
    const head = cells(3, { instanceGroups: [{ name: 'rpifs-cell', instances: 3, stemcell: 'rpi', stacks: [] }] });
    const w = riskWarnings([cf(['rpifs']), cells(3)], [cf(['rpifs']), head]);
    expect(w).toEqual([{ kind: 'stack-no-longer-advertised', deployment: 'rpi-cells', message: expect.stringContaining('no cell has it, so apps on it cannot be placed') }]);
  });
});

describe('size budget', () => {
  const files = Array.from({ length: 4 }, (_, i) => ({ path: `f${i}.txt`, change: 'changed' as const }));
  const diffs = new Map(files.map((f, i) => [f.path, `@@ -1 +1 @@\n${'+x\n'.repeat(200 * (i + 1))}`]));
  const steps = [{ id: 'lab-a', change: 'reruns' as const, description: 'a', director: false, reasons: ['inputs changed: f0.txt'] }];
  const input = (budget: number) => ({ fileDiffs: diffs, headSteps: [] as PlannedStep[], budget });

  it('keeps every diff when they fit', () => {
    const { markdown, cut } = renderPreview(facts({ steps, files }), input(60_000));
    expect(cut).toEqual([]);
    expect(markdown).not.toContain('Cut to stay under');
  });

  it('cuts the largest diffs first, says so and how to see them, and stays under the budget', () => {
    const { markdown, cut } = renderPreview(facts({ steps, files }), input(2_500));
    expect(markdown.length).toBeLessThanOrEqual(2_500);
    expect(cut).toEqual(['f3.txt', 'f2.txt', 'f1.txt']);
    expect(markdown).toContain('Cut to stay under 2500 characters: the diffs of `f3.txt`, `f2.txt`, `f1.txt`');
    expect(markdown).toContain('npm run preview -- --base=main --budget=0');
    expect(markdown).toContain('- `f3.txt` changed (diff of 802 lines cut)');
    expect(markdown).toContain(diffs.get('f0.txt'));
  });
});
