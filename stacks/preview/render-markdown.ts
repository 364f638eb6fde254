import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { planFlowchart } from './mermaid';
import type { FileDiff, StepDiff } from './plan-diff';
import type { RiskWarning } from './warnings';

export const DEFAULT_BUDGET = 60_000;

/** The facts of one preview: what the comment shows and `--json` writes. */
export interface PreviewFacts {
  readonly marker: string;
  /** The lab file, relative to the project root. */
  readonly lab: string;
  readonly status: 'ok' | 'failed';
  /** The head's errors (one line each) when status is failed. */
  readonly errors: readonly string[];
  /** Why the head failed: its lab does not validate, or the synth has a bug. */
  readonly failure?: 'lab-invalid' | 'internal-error';
  readonly base: { readonly ref: string; readonly status: 'ok' | 'failed'; readonly error?: string; readonly cached: boolean };
  readonly summary: { readonly artifactSteps: number; readonly directorSteps: number; readonly warnings: number };
  readonly steps: readonly StepDiff[];
  readonly warnings: readonly RiskWarning[];
  readonly files: readonly FileDiff[];
  /** Artifact paths whose diff was left out to stay under the size budget. */
  readonly cut: readonly string[];
}

export interface RenderInput {
  /** Unified diffs of changed text artifacts, already redacted. */
  readonly fileDiffs: ReadonlyMap<string, string>;
  /** The head plan's steps, for the flowchart (empty when the head failed). */
  readonly headSteps: readonly PlannedStep[];
  /** Maximum comment length in characters; 0 means no limit. */
  readonly budget: number;
}

export function markerFor(lab: string): string {
  return `<!-- stack-elevator preview: ${lab} -->`;
}

export function summaryOf(steps: readonly StepDiff[], warnings: readonly RiskWarning[]): PreviewFacts['summary'] {
  const runs = steps.filter((s) => s.change === 'added' || s.change === 'reruns');
  return { artifactSteps: runs.filter((s) => !s.director).length, directorSteps: runs.filter((s) => s.director).length, warnings: warnings.length };
}

/**
 * The PR comment, kept under the budget: when over, the largest file diffs are cut first, then the
 * flowchart, then the file list; what was cut is said at the top with how to see it locally.
 */
export function renderPreview(facts: Omit<PreviewFacts, 'cut'>, input: RenderInput): { markdown: string; cut: string[] } {
  const bySize = [...input.fileDiffs.entries()].sort(([pa, a], [pb, b]) => b.length - a.length || (pa < pb ? -1 : 1)).map(([p]) => p);
  const fits = (md: string): boolean => input.budget <= 0 || md.length <= input.budget;
  const cut: string[] = [];
  let md = render(facts, input, { cut, flowchart: true, fileRows: facts.files.length });
  while (!fits(md) && cut.length < bySize.length) {
    cut.push(bySize[cut.length]);
    md = render(facts, input, { cut, flowchart: true, fileRows: facts.files.length });
  }
  if (!fits(md)) md = render(facts, input, { cut, flowchart: false, fileRows: facts.files.length });
  for (let rows = facts.files.length; !fits(md) && rows > 0; rows = Math.floor(rows / 2)) {
    md = render(facts, input, { cut, flowchart: false, fileRows: Math.floor(rows / 2) });
  }
  return { markdown: md, cut };
}

interface Trim {
  readonly cut: readonly string[];
  readonly flowchart: boolean;
  readonly fileRows: number;
}

type Facts = Omit<PreviewFacts, 'cut'>;

function render(facts: Facts, input: RenderInput, trim: Trim): string {
  const lines: string[] = [facts.marker, summaryLine(facts), '', ...cutNotice(facts, input, trim)];
  if (facts.status === 'failed') return `${[...lines, ...failureSection(facts)].join('\n')}\n`;
  lines.push(
    ...baseFailedNotice(facts),
    ...warningsSection(facts),
    ...stepsSection(facts),
    ...(trim.flowchart ? flowchartSection(facts, input) : []),
    ...filesSection(facts, input, trim),
  );
  return `${lines.join('\n')}\n`;
}

function cutNotice(facts: Facts, input: RenderInput, trim: Trim): string[] {
  const trimmed = trim.cut.length > 0 || !trim.flowchart || trim.fileRows < facts.files.length;
  if (!trimmed) return [];
  const what = [
    ...(trim.cut.length > 0 ? [`the diffs of ${trim.cut.map((p) => `\`${p}\``).join(', ')}`] : []),
    ...(!trim.flowchart ? ['the flowchart'] : []),
    ...(trim.fileRows < facts.files.length ? [`${facts.files.length - trim.fileRows} of ${facts.files.length} changed file names`] : []),
  ];
  return [`> ✂️ Cut to stay under ${input.budget} characters: ${what.join('; ')}. See everything locally: \`npm run preview -- --base=${facts.base.ref} --budget=0\`.`, ''];
}

function failureSection(facts: Facts): string[] {
  const [title, advice] = facts.failure === 'internal-error' ? ['The synth failed', 'Nothing was planned. This is a bug in stack-elevator, not in the lab:'] : ['The lab does not validate', 'Nothing was planned. Fix these and push again:'];
  return [`#### ❌ ${title}`, '', advice, '', '```', ...facts.errors, '```', ''];
}

function baseFailedNotice(facts: Facts): string[] {
  if (facts.base.status !== 'failed') return [];
  return [
    `> [!WARNING]`,
    `> The base \`${facts.base.ref}\` could not be synthesized, so this preview cannot say which steps would re-run; none is reported as new because of it. The base's error:`,
    '>',
    ...(facts.base.error ?? 'unknown error').split('\n').map((l) => `> \`${l.replace(/`/g, "'")}\``),
    '',
  ];
}

function warningsSection(facts: Facts): string[] {
  if (facts.warnings.length === 0) return [];
  return [`#### ⚠️ ${facts.warnings.length} warning(s)`, '', '| deployment | warning |', '|---|---|', ...facts.warnings.map((w) => `| \`${w.deployment}\` | ${cell(w.message)} |`), ''];
}

function stepsSection(facts: Facts): string[] {
  if (facts.base.status === 'failed') {
    return [`<details><summary>The ${facts.steps.length} steps this plan has</summary>`, '', ...facts.steps.map((s) => `- \`${s.id}\` ${s.director ? '(director)' : ''} ${s.description}`.replace(/ {2,}/g, ' ')), '', '</details>', ''];
  }
  if (facts.steps.every((s) => s.change === 'unchanged')) return ['No step would run: `cdktf deploy` of this change is a no-op.', ''];
  const runs = facts.steps.filter((s) => s.change === 'added' || s.change === 'reruns').length;
  return [
    `${runs} of ${facts.steps.filter((s) => s.change !== 'removed').length} steps would run on \`cdktf deploy\`:`,
    '',
    '| step | kind | change | why |',
    '|---|---|---|---|',
    ...facts.steps.filter((x) => x.change !== 'unchanged').map((s) => `| \`${s.id}\` | ${s.director ? 'director' : 'artifact'} | ${s.change} | ${cell(s.reasons.join('; ')) || '-'} |`),
    '',
  ];
}

function flowchartSection(facts: Facts, input: RenderInput): string[] {
  if (input.headSteps.length === 0) return [];
  const running = new Set(facts.steps.filter((s) => s.change === 'added' || s.change === 'reruns').map((s) => s.id));
  return [
    '<details><summary>Plan graph</summary>',
    '',
    'Filled: would run. Solid arrow: trigger edge (a re-run upstream re-runs the step). Dotted arrow: order only (runs after, not because of).',
    '',
    '```mermaid',
    planFlowchart(input.headSteps, running),
    '```',
    '',
    '</details>',
    '',
  ];
}

function filesSection(facts: Facts, input: RenderInput, trim: Trim): string[] {
  if (facts.files.length === 0) return [];
  const lines = [`<details><summary>${facts.files.length} artifact file(s) changed</summary>`, ''];
  for (const f of facts.files.slice(0, trim.fileRows)) {
    const d = input.fileDiffs.get(f.path);
    const lineCount = d ? d.split('\n').length : 0;
    lines.push(`- \`${f.path}\` ${f.change}${d && trim.cut.includes(f.path) ? ` (diff of ${lineCount} lines cut)` : ''}`);
    if (d && !trim.cut.includes(f.path)) lines.push('', '```diff', d, '```', '');
  }
  if (trim.fileRows < facts.files.length) lines.push(`- ... and ${facts.files.length - trim.fileRows} more`);
  lines.push('', '</details>', '');
  return lines;
}

function summaryLine(facts: Omit<PreviewFacts, 'cut'>): string {
  const lab = `\`${facts.lab}\``;
  if (facts.status === 'failed') return `**stack-elevator preview of ${lab} failed**: ${facts.errors.length} ${facts.failure === 'internal-error' ? 'internal' : 'lab'} error(s), no plan.`;
  if (facts.base.status === 'failed') return `**stack-elevator preview of ${lab}**: base \`${facts.base.ref}\` could not be synthesized; which steps would run is unknown (the plan has ${facts.steps.length} steps).`;
  const { artifactSteps, directorSteps, warnings } = facts.summary;
  return `**stack-elevator preview of ${lab}** against \`${facts.base.ref}\`: ${artifactSteps} artifact step(s) and ${directorSteps} director step(s) would run, ${warnings} warning(s).`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
