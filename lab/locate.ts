import { isNode, LineCounter, parseDocument } from 'yaml';

export type DocPath = ReadonlyArray<string | number>;

/** Renders a document path the way users read it: `cells[2].arch`. */
export function formatPath(path: DocPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');
}

/** The value at a document path, undefined where the path leaves the document. */
export function valueAt(raw: unknown, path: DocPath): unknown {
  return path.reduce<unknown>((cur, seg) => (cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined), raw);
}

/**
 * Finds the 1-based line of a path in YAML text, falling back to the nearest ancestor that exists
 * (a missing key is reported at its parent). js-yaml parses the lab; this lookup only runs for errors.
 */
export function lineOf(text: string, path: DocPath): number | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
