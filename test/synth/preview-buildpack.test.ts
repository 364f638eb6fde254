import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { diffPlans, readSynth } from '../../stacks/preview/plan-diff';
import { markerFor, renderPreview, summaryOf } from '../../stacks/preview/render-markdown';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, UPSTREAM_FIXTURES, writeLab } from '../support/lab-files';

/** The default lab, and the same lab with another binary-buildpack source pinned (a change to the buildpack). */
describe('preview of a buildpack change', () => {
  const work = mkdtempSync(join(tmpdir(), 'se-preview-bp-'));
  const head = writeLab();
  const lock = join(dirname(head), 'lab.lock.json');
  const text = readFileSync(lock, 'utf8');
  const changed = text.replace(/("binary-buildpack":\s*\{[^}]*"sha":\s*")[0-9a-f]{64}"/, `$1${'1'.repeat(64)}"`);
  writeFileSync(lock, changed);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(dirname(head), { recursive: true, force: true });
  });
  const synth = (labFile: string, out: string) => synthLab({ projectRoot: PROJECT_ROOT, labFile: relative(PROJECT_ROOT, labFile), outdir: join(work, out), upstreamDir: relative(PROJECT_ROOT, UPSTREAM_FIXTURES) }).stackDir;
  const diff = diffPlans(readSynth(synth(join(PROJECT_ROOT, 'lab.yaml'), 'base')), readSynth(synth(head, 'head')));
  const step = (id: string) => diff.steps.find((s) => s.id === id)!;

  it('the lock edit really changed the pin (the test is not vacuous)', () => {
    expect(changed).not.toBe(text);
  });

  it('lists the control-plane upload and deploy as re-running, and the cells as not', () => {
    expect(step('lab-buildpack-rpifs-release-create').change).toBe('reruns');
    expect(step('lab-bosh-control-plane-upload')).toMatchObject({ change: 'reruns', director: true });
    expect(step('lab-bosh-control-plane-deploy')).toMatchObject({ change: 'reruns', director: true });
    expect(step('lab-bosh-cells-upload').change).toBe('unchanged');
    expect(step('lab-bosh-cells-deploy').change).toBe('unchanged');
  });

  it('says at the deploy that Cloud Controller re-installs binary_buildpack for the stack', () => {
    const reasons = step('lab-bosh-control-plane-deploy').reasons;
    expect(reasons).toContainEqual(expect.stringMatching(/^Cloud Controller re-installs binary_buildpack for stack rpifs \(package binary-buildpack-rpifs 1\.1\.27\+arm\.[0-9a-f]{12}\) at this deploy$/));
    const { markdown } = renderPreview(
      { marker: markerFor('lab.yaml'), lab: 'lab.yaml', status: 'ok', errors: [], base: { ref: 'main', status: 'ok', cached: false }, summary: summaryOf(diff.steps, []), steps: diff.steps, warnings: [], files: diff.files },
      { fileDiffs: new Map(), headSteps: [], budget: 60_000 },
    );
    expect(markdown).toMatch(/\| `lab-bosh-control-plane-deploy` \| director \| reruns \| [^\n]*Cloud Controller re-installs binary_buildpack for stack rpifs/);
    expect(markdown).toMatch(/\| `lab-bosh-control-plane-upload` \| director \| reruns \|/);
  });

  it('says nothing of the kind when the buildpack did not change', () => {
    const same = diffPlans(readSynth(join(work, 'base', 'stacks', 'lab')), readSynth(join(work, 'base', 'stacks', 'lab')));
    expect(same.steps.flatMap((s) => s.reasons).filter((r) => r.includes('re-installs'))).toEqual([]);
  });
});
