/**
 * `((name))` / `((name.field))` references: how BOSH manifests name credentials without holding them.
 * A deployment that uses another deployment's credentials (the Pi cells using cf's BBS client cert)
 * must name them absolutely, `/<director>/<deployment>/<name>`, or CredHub looks under its own name.
 */
const REF = /\(\(\s*([^()\s]+?)\s*\)\)/g;

/** Every variable referenced anywhere in a document, without the `.field` suffix, sorted and unique. */
export function variableRefs(doc: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(REF)) found.add(variableName(m[1]));
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        visit(k);
        visit(x);
      }
    }
  };
  visit(doc);
  return [...found].sort();
}

/** `/dir/cf/diego_bbs_client.certificate` -> `/dir/cf/diego_bbs_client`; `!` (no-interpolate) marker removed. */
export function variableName(ref: string): string {
  const bare = ref.startsWith('!') ? ref.slice(1) : ref;
  const slash = bare.lastIndexOf('/');
  const dot = bare.indexOf('.', slash + 1);
  return dot < 0 ? bare : bare.slice(0, dot);
}

/** Absolute CredHub name of a credential that another deployment on the same director owns. */
export function absoluteVariable(director: string, deployment: string, name: string): string {
  return `/${director}/${deployment}/${name}`;
}

/** `((<name>.<field>))` with an optional field: the only way credentials are spelled in our output. */
export function varRef(name: string, field?: string): string {
  return `((${field ? `${name}.${field}` : name}))`;
}
