// Creates or updates the one plan-preview comment of a pull request, found by the hidden marker on its
// first line (`<!-- stack-elevator preview: <lab> -->`). The workflow (.github/workflows/preview.yml)
// calls upsertFromFile from actions/github-script; tests drive upsertPreviewComment with a recorded
// API response, so the find-then-update logic runs without network.
import { readFileSync } from 'node:fs';

/**
 * The part of GitHub's REST issue comment, and of actions/github-script's Octokit, this module uses.
 * @typedef {{ id: number, body?: string, user?: { type?: string } | null, created_at: string }} IssueComment
 * @typedef {{ list(): Promise<IssueComment[]>, create(body: string): Promise<IssueComment>, update(id: number, body: string): Promise<IssueComment> }} CommentsApi
 * @typedef {{ paginate: (route: unknown, params: object) => Promise<IssueComment[]>, rest: { issues: { listComments: unknown, createComment: (params: object) => Promise<{ data: IssueComment }>, updateComment: (params: object) => Promise<{ data: IssueComment }> } } }} Octokit
 */

const MARKER = /^<!-- stack-elevator preview: [^\n]+ -->/;

/**
 * The marker a preview body starts with; a body without one is refused (it could never be found again).
 * @param {string} body
 */
export function markerOf(body) {
  const m = MARKER.exec(body);
  if (!m) throw new Error('the preview body does not start with a <!-- stack-elevator preview: <lab> --> marker (fix: post the file npm run preview --out wrote)');
  return m[0];
}

/**
 * The comment to update: one written by a bot (never a person quoting the marker) whose body starts
 * with the same marker; the newest when earlier runs left several.
 * @param {IssueComment[]} comments
 * @param {string} marker
 */
export function findPreviewComment(comments, marker) {
  const ours = comments.filter((c) => c.user?.type === 'Bot' && typeof c.body === 'string' && c.body.startsWith(marker));
  return ours.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id)).at(-1);
}

/**
 * api: { list(): Promise<comment[]>, create(body): Promise<comment>, update(id, body): Promise<comment> },
 * where comment has GitHub's REST shape (id, body, user.type, created_at). Returns what it did.
 * @param {CommentsApi} api
 * @param {string} body
 */
export async function upsertPreviewComment(api, body) {
  const marker = markerOf(body);
  const existing = findPreviewComment(await api.list(), marker);
  if (!existing) return { action: 'created', id: (await api.create(body)).id };
  if (existing.body === body) return { action: 'unchanged', id: existing.id };
  return { action: 'updated', id: (await api.update(existing.id, body)).id };
}

/**
 * The api above over actions/github-script's `github` (Octokit) and `context`, for the PR being built.
 * @param {Octokit} github
 * @param {{ repo: { owner: string, repo: string }, payload: { pull_request?: { number: number } }, issue: { number: number } }} context
 * @returns {CommentsApi}
 */
export function githubIssueComments(github, context) {
  const where = { owner: context.repo.owner, repo: context.repo.repo };
  const issue_number = context.payload.pull_request?.number ?? context.issue.number;
  return {
    list: () => github.paginate(github.rest.issues.listComments, { ...where, issue_number, per_page: 100 }),
    create: async (body) => (await github.rest.issues.createComment({ ...where, issue_number, body })).data,
    update: async (comment_id, body) => (await github.rest.issues.updateComment({ ...where, comment_id, body })).data,
  };
}

/** @param {{ github: Octokit, context: Parameters<typeof githubIssueComments>[1], file: string }} o */
export async function upsertFromFile({ github, context, file }) {
  return upsertPreviewComment(githubIssueComments(github, context), readFileSync(file, 'utf8'));
}
