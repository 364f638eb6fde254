import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';

/**
 * The workflow's comment step (pipelines/lib/preview/pr-comment.mjs) against a recorded GitHub response for
 * GET /repos/{owner}/{repo}/issues/{n}/comments: the API object records every call instead of sending it.
 */
const RECORDED = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'github', 'issue-comments.json'), 'utf8')) as Array<{ id: number; body: string }>;

interface Upsert {
  readonly result: { action: string; id: number };
  readonly calls: Array<[string, ...unknown[]]>;
}

function upsert(comments: unknown[], body: string): Upsert {
  return runMjs<Upsert>(
    `const { upsertPreviewComment } = await lib('preview/pr-comment');
     const calls = [];
     const api = {
       list: async () => (calls.push(['list']), input.comments),
       create: async (body) => (calls.push(['create', body]), { id: 9000001, body }),
       update: async (id, body) => (calls.push(['update', id, body]), { ...input.comments.find((c) => c.id === id), body }),
     };
     out({ result: await upsertPreviewComment(api, input.body), calls });`,
    { comments, body },
  );
}

describe('the preview comment step', () => {
  const body = '<!-- stack-elevator preview: lab.yaml -->\n**stack-elevator preview of `lab.yaml`** against `9d8e7f6`: 0 artifact step(s) and 1 director step(s) would run, 1 warning(s).\n';

  it("updates the bot's comment with the same marker in place, not a person's quote of it nor another lab's", () => {
    const { result, calls } = upsert(RECORDED, body);
    expect(result).toEqual({ action: 'updated', id: 2001002 });
    expect(calls).toEqual([['list'], ['update', 2001002, body]]);
  });

  it('creates the comment when no bot comment carries the marker', () => {
    const withoutOurs = RECORDED.filter((c) => c.id !== 2001002);
    const { result, calls } = upsert(withoutOurs, body);
    expect(result).toEqual({ action: 'created', id: 9000001 });
    expect(calls).toEqual([['list'], ['create', body]]);
  });

  it('sends nothing when the comment already says the same', () => {
    const same = RECORDED.map((c) => (c.id === 2001002 ? { ...c, body } : c));
    expect(upsert(same, body)).toEqual({ result: { action: 'unchanged', id: 2001002 }, calls: [['list']] });
  });

  it('finds the comment of another lab by its own marker', () => {
    const staging = '<!-- stack-elevator preview: labs/staging.yaml -->\nnew text\n';
    expect(upsert(RECORDED, staging).result).toEqual({ action: 'updated', id: 2001004 });
  });

  it('refuses a body without the marker, which it could never find again', () => {
    expect(() => upsert(RECORDED, '**stack-elevator preview** without marker\n')).toThrow(/does not start with a <!-- stack-elevator preview: <lab> --> marker/);
  });

  it('speaks Octokit as actions/github-script provides it: paginated list, then update by comment_id', () => {
    const calls = runMjs<unknown[]>(
      `const { upsertFromFile } = await import(${JSON.stringify(join(PROJECT_ROOT, 'pipelines', 'lib', 'preview', 'pr-comment.mjs'))});
       const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
       const dir = mkdtempSync('/tmp/se-pr-comment-');
       writeFileSync(dir + '/preview.md', input.body);
       const calls = [];
       const listComments = async () => { throw new Error('called directly instead of through paginate'); };
       const github = {
         paginate: async (fn, params) => (calls.push(['paginate', fn === listComments, params]), input.comments),
         rest: { issues: {
           listComments,
           createComment: async (params) => (calls.push(['createComment', params]), { data: { id: 1, body: params.body } }),
           updateComment: async (params) => (calls.push(['updateComment', params]), { data: { id: params.comment_id, body: params.body } }),
         } },
       };
       const context = { repo: { owner: 'example', repo: 'stack-elevator' }, issue: { number: 42 }, payload: { pull_request: { number: 42 } } };
       const result = await upsertFromFile({ github, context, file: dir + '/preview.md' });
       rmSync(dir, { recursive: true, force: true });
       out([...calls, result]);`,
      { comments: RECORDED, body },
    );
    expect(calls).toEqual([
      ['paginate', true, { owner: 'example', repo: 'stack-elevator', issue_number: 42, per_page: 100 }],
      ['updateComment', { owner: 'example', repo: 'stack-elevator', comment_id: 2001002, body }],
      { action: 'updated', id: 2001002 },
    ]);
  });
});
