import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { PROJECT_ROOT } from '../support/lab-files';

/** A function longer than this no longer reads on one screen. */
const MAX_LINES = 60;
const ROOTS = ['constructs', 'stacks', 'pipelines', 'lab', 'contracts'];
/** Generated data modules, not code a reader walks through (being turned into JSON files). */
const EXCLUDED_DIRS = new Set(['constructs/cf/profiles']);

interface FunctionSpan {
  readonly where: string;
  readonly name: string;
  readonly lines: number;
}

/** TypeScript, and the JavaScript of the step scripts and shared contracts (.mjs, .cjs, .js). */
const SOURCE = /(?<!\.d)\.ts$|\.[mc]?js$/;

function sourceFiles(dir: string): string[] {
  if (EXCLUDED_DIRS.has(relative(PROJECT_ROOT, dir))) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return e.isFile() && SOURCE.test(e.name) ? [p] : [];
  });
}

/** Every function-like node with a body: declarations, methods, constructors, accessors, arrows, function expressions. */
function functionSpans(fileName: string, text: string): FunctionSpan[] {
  const kind = fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, kind);
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name !== undefined && ts.isIdentifier(node.name) ? node.name.text : ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)';
      spans.push({ where: `${fileName}:${first + 1}`, name, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

describe(`functions in ${ROOTS.join('/, ')}/ read on one screen`, () => {
  it(`finds no function, method or arrow longer than ${MAX_LINES} lines`, () => {
    const files = ROOTS.flatMap((r) => sourceFiles(join(PROJECT_ROOT, r)));
    expect(files.length).toBeGreaterThan(20);
    for (const ext of ['.ts', '.mjs', '.cjs']) expect(files.some((f) => f.endsWith(ext))).toBe(true);
    const long = files
      .flatMap((f) => functionSpans(relative(PROJECT_ROOT, f), readFileSync(f, 'utf8')))
      .filter((s) => s.lines > MAX_LINES)
      .map((s) => `${s.where} ${s.name}: ${s.lines} lines`);
    expect(long).toEqual([]);
  });

  it('measures a function from its first to its last line, nested ones on their own', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const text = `export function outer(): void {\n${body(3)}\n  const inner = () => {\n${body(2)}\n  };\n}\nclass C {\n  constructor() {\n${body(1)}\n  }\n}\n`;
    expect(functionSpans('x.ts', text).map((s) => [s.where, s.name, s.lines])).toEqual([
      ['x.ts:1', 'outer', 9],
      ['x.ts:5', '(anonymous)', 4],
      ['x.ts:11', 'constructor', 3],
    ]);
  });

  it('reads the step scripts as JavaScript, arrows in an object literal included', () => {
    const text = `/** @param {string} a */\nexport async function f(a) {\n  return a;\n}\nawait step({\n  main: async ({ args }) => {\n    log(args);\n  },\n});\n`;
    expect(functionSpans('x.mjs', text).map((s) => [s.where, s.name, s.lines])).toEqual([
      ['x.mjs:2', 'f', 3],
      ['x.mjs:6', '(anonymous)', 3],
    ]);
  });
});
