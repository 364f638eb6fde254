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

function render(facts: Omit<PreviewFacts, 'cut'>, input: RenderInput, trim: Trim): string {
  const lines: string[] = [facts.marker, summaryLine(facts), ''];
  const trimmed = trim.cut.length > 0 || !trim.flowchart || trim.fileRows < facts.files.length;
  if (trimmed) {
    const what = [
      ...(trim.cut.length > 0 ? [`the diffs of ${trim.cut.map((p) => `\`${p}\``).join(', ')}`] : []),
      ...(!trim.flowchart ? ['the flowchart'] : []),
      ...(trim.fileRows < facts.files.length ? [`${facts.files.length - trim.fileRows} of ${facts.files.length} changed file names`] : []),
    ];
    lines.push(`> ✂️ Cut to stay under ${input.budget} characters: ${what.join('; ')}. See everything locally: \`npm run preview -- --base=${facts.base.ref} --budget=0\`.`, '');
  }
  if (facts.status === 'failed') {
    const [title, advice] = facts.failure === 'internal-error' ? ['The synth failed', 'Nothing was planned. This is a bug in stack-elevator, not in the lab:'] : ['The lab does not validate', 'Nothing was planned. Fix these and push again:'];
    lines.push(`#### ❌ ${title}`, '', advice, '', '```', ...facts.errors, '```', '');
    return `${lines.join('\n')}\n`;
  }
  if (facts.base.status === 'failed') {
    lines.push(
      `> [!WARNING]`,
      `> The base \`${facts.base.ref}\` could not be synthesized, so this preview cannot say which steps would re-run; none is reported as new because of it. The base's error:`,
      '>',
      ...(facts.base.error ?? 'unknown error').split('\n').map((l) => `> \`${l.replace(/`/g, "'")}\``),
      '',
    );
  }
  if (facts.warnings.length > 0) {
    lines.push(`#### ⚠️ ${facts.warnings.length} warning(s)`, '', '| deployment | warning |', '|---|---|');
    for (const w of facts.warnings) lines.push(`| \`${w.deployment}\` | ${cell(w.message)} |`);
    lines.push('');
  }
  if (facts.base.status === 'failed') {
    lines.push(`<details><summary>The ${facts.steps.length} steps this plan has</summary>`, '', ...facts.steps.map((s) => `- \`${s.id}\` ${s.director ? '(director)' : ''} ${s.description}`.replace(/ {2,}/g, ' ')), '', '</details>', '');
  } else if (facts.steps.every((s) => s.change === 'unchanged')) {
    lines.push('No step would run: `cdktf deploy` of this change is a no-op.', '');
  } else {
    const runs = facts.steps.filter((s) => s.change === 'added' || s.change === 'reruns').length;
    lines.push(`${runs} of ${facts.steps.filter((s) => s.change !== 'removed').length} steps would run on \`cdktf deploy\`:`, '');
    lines.push('| step | kind | change | why |', '|---|---|---|---|');
    for (const s of facts.steps.filter((x) => x.change !== 'unchanged')) {
      lines.push(`| \`${s.id}\` | ${s.director ? 'director' : 'artifact'} | ${s.change} | ${cell(s.reasons.join('; ')) || '-'} |`);
    }
    lines.push('');
  }
  if (trim.flowchart && input.headSteps.length > 0) {
    const running = new Set(facts.steps.filter((s) => s.change === 'added' || s.change === 'reruns').map((s) => s.id));
    lines.push(
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
    );
  }
  if (facts.files.length > 0) {
    lines.push(`<details><summary>${facts.files.length} artifact file(s) changed</summary>`, '');
    for (const f of facts.files.slice(0, trim.fileRows)) {
      const d = input.fileDiffs.get(f.path);
      const lineCount = d ? d.split('\n').length : 0;
      lines.push(`- \`${f.path}\` ${f.change}${d && trim.cut.includes(f.path) ? ` (diff of ${lineCount} lines cut)` : ''}`);
      if (d && !trim.cut.includes(f.path)) lines.push('', '```diff', d, '```', '');
    }
    if (trim.fileRows < facts.files.length) lines.push(`- ... and ${facts.files.length - trim.fileRows} more`);
    lines.push('', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
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
