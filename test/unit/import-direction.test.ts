import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * The house's one arrow: stacks → constructs → contracts, and pipelines → contracts. A step script or a
 * contract that reaches into constructs/ (a value or a JSDoc type) ties the zx side to the synth's
 * internals; the shapes both sides share live in contracts/ (docs/contracts.md).
 */
function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p, ext);
    return ext.test(e.name) ? [p] : [];
  });
}

/** Every module path a file names: import/export from, require(), import() (JSDoc types included). */
export function namedModules(text: string): string[] {
  const found = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return [...new Set(found)];
}

function reachesInto(file: string, folder: string): string[] {
  return namedModules(readFileSync(file, 'utf8'))
    .filter((m) => m.startsWith('.'))
    .filter((m) => relative(join(PROJECT_ROOT, folder), resolve(dirname(file), m)).split('/')[0] !== '..')
    .map((m) => `${relative(PROJECT_ROOT, file)} → ${m}`);
}

describe('import direction', () => {
  it('no pipeline step or library imports a construct file, not even for a type', () => {
    const offenders = files(join(PROJECT_ROOT, 'pipelines'), /\.(mjs|cjs|js)$/).flatMap((f) => reachesInto(f, 'constructs'));
    expect(offenders).toEqual([]);
  });

  it('contracts import nothing outside contracts/', () => {
    const contracts = files(join(PROJECT_ROOT, 'contracts'), /\.(cjs|ts)$/);
    expect(contracts.length).toBeGreaterThan(5);
    const outside = contracts.flatMap((f) => namedModules(readFileSync(f, 'utf8')).filter((m) => m.startsWith('.') && !resolve(dirname(f), m).startsWith(join(PROJECT_ROOT, 'contracts'))).map((m) => `${relative(PROJECT_ROOT, f)} → ${m}`));
    expect(outside).toEqual([]);
  });

  it('sees a JSDoc type import, a require and an import from (so the two checks above can fail)', () => {
    expect(namedModules("/** @type {import('../constructs/plan/plan-graph.ts').PlanDocument} */\nconst x = require('./a.cjs');\nimport { y } from '../b';")).toEqual(['../constructs/plan/plan-graph.ts', './a.cjs', '../b']);
  });
});
