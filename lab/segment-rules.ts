import type { LabDocument } from './schema';
import type { RuleViolation } from './rules';

/**
 * Diego gives a cell with placement tags only the work that carries exactly those tags, and Cloud
 * Controller tags work with the isolation segment of the app's space. So every tag a cell carries must
 * be one isolation segment the lab names, with the orgs entitled to it; otherwise no app could ever land
 * on the cell. Reported once per tag, at the first cell carrying it, naming every cell.
 */
export function checkPlacementSegments(doc: LabDocument, out: RuleViolation[]): void {
  const segments = new Map(doc.isolation_segments.map((g) => [g.name, g]));
  const tagged = new Map<string, number[]>();
  doc.cells.forEach((c, i) => {
    if (c.placement_tags.length > 1) {
      out.push({ path: ['cells', i, 'placement_tags'], found: `[${c.placement_tags.join(', ')}] on cell ${c.name}`, expected: 'at most one tag: Cloud Controller gives an app\'s work exactly one, its space\'s isolation segment', fix: 'keep one tag, the name of the isolation segment the cell serves' });
      return;
    }
    for (const tag of c.placement_tags) tagged.set(tag, [...(tagged.get(tag) ?? []), i]);
  });
  for (const [tag, cells] of tagged) {
    if (segments.has(tag)) continue;
    const names = cells.map((i) => doc.cells[i].name).join(', ');
    out.push({
      path: ['cells', cells[0], 'placement_tags'],
      found: `placement tag '${tag}' on cells ${names}, and no isolation segment named ${tag}`,
      expected: `isolation_segments: an entry with name: ${tag} and the orgs entitled to it (optionally spaces), or no placement tags`,
      fix: `add isolation_segments: [{name: ${tag}, orgs: [<org>], spaces: [{org: <org>, space: <space>}]}], or drop placement_tags (the stack alone keeps ARM apps on the Pis)`,
    });
  }
  doc.isolation_segments.forEach((g, i) => {
    g.spaces.forEach((s, j) => {
      if (!g.orgs.includes(s.org)) {
        out.push({ path: ['isolation_segments', i, 'spaces', j, 'org'], found: `'${s.org}'`, expected: `one of the orgs entitled to ${g.name} (${g.orgs.join(', ')}): a space can only use a segment its org is entitled to`, fix: `add ${s.org} to isolation_segments[${i}].orgs` });
      }
    });
  });
}
