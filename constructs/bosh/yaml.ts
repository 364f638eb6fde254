import { dump } from 'js-yaml';

/**
 * Deterministic YAML for BOSH documents. Maps are emitted `name` first and then alphabetically, because
 * BOSH readers scan lists of named items (jobs, instance groups, releases) by their first line; the top
 * level of a document (or each item of a top-level list) can instead follow a conventional section order (`topLevelOrder`), with any other
 * top-level keys alphabetically after it. Shared objects are written out in full (no anchors).
 */
export function renderYaml(doc: unknown, topLevelOrder: readonly string[] = []): string {
  // A top-level list (an ops-file) takes the order for each of its items.
  const shaped = Array.isArray(doc) ? doc.map((d) => canonical(d, topLevelOrder)) : canonical(doc, topLevelOrder);
  return dump(shaped, { lineWidth: -1, noRefs: true, sortKeys: false });
}

function canonical(value: unknown, order: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, []));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => compareKeys(a, b, order));
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = canonical(v, []);
  return out;
}

function compareKeys(a: string, b: string, order: readonly string[]): number {
  const rank = (k: string): number => {
    const i = order.indexOf(k);
    if (i >= 0) return i;
    return k === 'name' ? -1 : order.length;
  };
  const d = rank(a) - rank(b);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}
