import type { PlanDiff } from './plan-diff';

export interface PreviewText {
  readonly baseRef: string;
  readonly headRef: string;
  /** Unified diffs of changed text artifacts, already redacted. */
  readonly fileDiffs: ReadonlyMap<string, string>;
}

const MAX_DIFF_LINES = 80;

/** The PR comment: the steps a deploy would run, why, and the artifact changes behind them. */
export function renderPreview(diff: PlanDiff, text: PreviewText): string {
  const runs = diff.steps.filter((s) => s.change === 'added' || s.change === 'reruns');
  const lines: string[] = [];
  lines.push(`### stack-elevator plan preview: ${text.headRef} against ${text.baseRef}`, '');
  if (runs.length === 0 && diff.steps.every((s) => s.change === 'unchanged')) {
    lines.push('No step would run: `cdktf deploy` of this change is a no-op.', '');
  } else {
    lines.push(`${runs.length} of ${diff.steps.filter((s) => s.change !== 'removed').length} steps would run on \`cdktf deploy\`:`, '');
    lines.push('| step | change | why |', '|---|---|---|');
    for (const s of diff.steps.filter((x) => x.change !== 'unchanged')) {
      lines.push(`| \`${s.id}\` | ${s.change} | ${s.reasons.join('; ').replace(/\|/g, '\\|') || '-'} |`);
    }
    lines.push('');
  }
  if (diff.files.length > 0) {
    lines.push(`<details><summary>${diff.files.length} artifact file(s) changed</summary>`, '');
    for (const f of diff.files) {
      lines.push(`- \`${f.path}\` ${f.change}`);
      const d = text.fileDiffs.get(f.path);
      if (d) {
        const body = d.split('\n');
        lines.push('', '```diff', ...body.slice(0, MAX_DIFF_LINES), ...(body.length > MAX_DIFF_LINES ? [`... ${body.length - MAX_DIFF_LINES} more lines`] : []), '```', '');
      }
    }
    lines.push('</details>', '');
  }
  return `${lines.join('\n')}\n`;
}
