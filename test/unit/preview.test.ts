import { rmSync } from 'node:fs';
import { diffPlans, readSynth } from '../../stacks/preview/plan-diff';
import { redact, secretValues } from '../../stacks/preview/redact';
import { renderPreview } from '../../stacks/preview/render-markdown';
import { synthMiniPlan } from '../support/mini-stack';

describe('plan preview', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const synth = (note: string) => {
    const p = synthMiniPlan(note);
    dirs.push(p.outdir);
    return p;
  };

  it('reports a no-op when nothing changed', () => {
    const a = synth('same');
    const b = synth('same');
    const diff = diffPlans(readSynth(a.stackDir), readSynth(b.stackDir));
    expect(diff.steps.map((s) => s.change)).toEqual(['unchanged', 'unchanged']);
    expect(diff.files).toEqual([]);
    expect(renderPreview(diff, { baseRef: 'main', headRef: 'pr', fileDiffs: new Map() })).toContain('No step would run');
  });

  it('names the changed input of a step and re-runs its dependents, as triggers_replace would', () => {
    const a = synth('v1');
    const b = synth('v2');
    const diff = diffPlans(readSynth(a.stackDir), readSynth(b.stackDir));
    expect(diff.files).toEqual([{ path: 'notes/input.txt', change: 'changed' }]);
    const [first, second] = diff.steps;
    expect(first).toMatchObject({ id: a.first.stepId, change: 'reruns', reasons: ['inputs changed: notes/input.txt'] });
    expect(second).toMatchObject({ id: a.second.stepId, change: 'reruns', reasons: [`after re-run of ${a.first.stepId}`] });
    const md = renderPreview(diff, { baseRef: 'main', headRef: 'pr', fileDiffs: new Map([['notes/input.txt', '@@ -1 +1 @@\n-v1\n+v2']]) });
    expect(md).toContain('2 of 2 steps would run');
    expect(md).toContain('```diff\n@@ -1 +1 @@\n-v1\n+v2\n```');
  });

  it('redacts the values of secret-looking environment variables', () => {
    const secrets = secretValues({ BOSH_CLIENT_SECRET: 's3cr3t-value', BOSH_ENVIRONMENT: '10.0.0.6', HOME: '/root' });
    expect(secrets).toEqual(['s3cr3t-value']);
    expect(redact('password: s3cr3t-value at 10.0.0.6', secrets)).toBe('password: ((redacted)) at 10.0.0.6');
  });
});
