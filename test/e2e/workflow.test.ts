import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';
import { outcome, run } from '../support/run';

const WORKFLOW = join(PROJECT_ROOT, '.github', 'workflows', 'preview.yml');

/** The PR preview workflow, checked by actionlint (the pinned build from tools/actionlint, installed here when missing). */
describe('the plan preview workflow', () => {
  let actionlint = '';
  beforeAll(() => {
    runMjs<string>(`const { ensureActionlint } = await lib('setup/actionlint'); out(ensureActionlint());`);
    actionlint = runMjs<string>(`const { actionlintPath } = await lib('setup/actionlint'); out(actionlintPath());`);
  }, 600_000);

  it('passes actionlint', () => {
    const res = run(actionlint, ['-no-color', WORKFLOW]);
    expect(res.stdout + res.stderr).toBe('');
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
  });

  it('is really linted: a broken copy fails actionlint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-actionlint-'));
    try {
      mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
      const broken = join(dir, '.github', 'workflows', 'preview.yml');
      copyFileSync(WORKFLOW, broken);
      writeFileSync(broken, readFileSync(broken, 'utf8').replace('steps.preview.outputs.exit', 'steps.previwe.outputs.exit'));
      const res = run(actionlint, ['-no-color', broken]);
      expect(res.status).not.toBe(0);
      expect(res.stdout).toMatch(/previwe/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('previews against the PR base, posts the file the preview wrote through the repo script, and fails after posting', () => {
    const wf = load(readFileSync(WORKFLOW, 'utf8')) as { permissions: Record<string, string>; jobs: { preview: { steps: Array<{ id?: string; run?: string; uses?: string; if?: string; with?: Record<string, unknown> }> } } };
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps = wf.jobs.preview.steps;
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const preview = steps.findIndex((s) => s.id === 'preview');
    expect(steps[preview].run).toMatch(/npm run -s preview -- --base="\$BASE_SHA" --out=preview\.md --json=preview\.json/);
    const comment = steps.findIndex((s) => s.uses?.startsWith('actions/github-script@'));
    expect(comment).toBeGreaterThan(preview);
    expect(steps[comment].if).toMatch(/always\(\)/);
    expect(String(steps[comment].with?.script)).toMatch(/pipelines\/lib\/preview\/pr-comment\.mjs`\);[\s\S]*upsertFromFile\(\{ github, context, file: 'preview\.md' \}\)/);
    const fail = steps.findIndex((s) => s.if === "steps.preview.outputs.exit != '0'");
    expect(fail).toBeGreaterThan(comment);
  });
});
