import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { assertNoSecrets } from '../../constructs/bosh/secrets';
import { renderOverlay, type ReleaseOverlay } from '../../constructs/diego/overlay';
import { callMjs } from '../support/diego-fixture';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * The contracts between the synth (TypeScript) and the steps (.mjs): the steps type-check against the
 * TypeScript types of plan.json, overlay.json and the cross-compile plan, and the constants both sides
 * use are defined once, in contracts/.
 */

// One TypeScript program over a few scratch files: seconds, not milliseconds.
jest.setTimeout(120_000);

/**
 * Type-checks scratch files (name -> text) and project files (paths relative to the project root) with the
 * options of tsconfig.pipelines.json plus `overrides`; returns each file's errors.
 */
function typeCheck(files: Record<string, string>, projectFiles: string[] = [], overrides: ts.CompilerOptions = {}): Record<string, string[]> {
  mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
  // Inside the project, two levels down, so `../../contracts/...` resolves as it does from pipelines/lib/.
  const dir = mkdtempSync(join(PROJECT_ROOT, 'build', 'test-contracts-'));
  try {
    const config = ts.getParsedCommandLineOfConfigFile(join(PROJECT_ROOT, 'tsconfig.pipelines.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (!config) throw new Error('tsconfig.pipelines.json did not parse');
    Object.entries(files).forEach(([name, text]) => writeFileSync(join(dir, name), text));
    const paths = new Map([...Object.keys(files).map((name): [string, string] => [name, join(dir, name)]), ...projectFiles.map((f): [string, string] => [f, join(PROJECT_ROOT, f)])]);
    const program = ts.createProgram({ rootNames: [...paths.values()], options: { ...config.options, ...overrides } });
    return Object.fromEntries(
      [...paths].map(([name, path]) => {
        const source = program.getSourceFile(path);
        if (!source) throw new Error(`${name} is not in the program`);
        const diags = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
        return [name, diags.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const planRead = (field: string): string =>
  [
    "import { readFileSync } from 'node:fs';",
    "/** @typedef {import('../../contracts/plan-document.ts').PlanDocument} PlanDocument */",
    '/** @type {PlanDocument} */',
    "const plan = JSON.parse(readFileSync('plan.json', 'utf8'));",
    `export const read = plan.steps.map((step) => step.${field});`,
  ].join('\n');

const overlayRead = (field: string): string =>
  ["import { readOverlay } from '../../pipelines/lib/release/overlay.mjs';", `export const read = readOverlay('overlay.json').release.${field};`].join('\n');

const compilePlanRead = (field: string): string =>
  [
    "/** @type {import('../../contracts/go-build-plan.ts').CrossCompilePlan} */",
    "const plan = JSON.parse('{}');",
    `export const read = plan.packages.map((p) => p.${field});`,
  ].join('\n');

/** contracts/overlay-format.cjs as if it sat in the scratch dir, optionally with one edit. */
function overlayFormatCopy(edit?: [string, string]): string {
  let text = readFileSync(join(PROJECT_ROOT, 'contracts', 'overlay-format.cjs'), 'utf8').split("import('./").join("import('../../contracts/");
  if (edit) {
    expect(text).toContain(edit[0]);
    text = text.replace(edit[0], edit[1]);
  }
  return text;
}

describe('the steps type-check against the TypeScript contract types', () => {
  let errors: Record<string, string[]>;

  beforeAll(() => {
    errors = typeCheck({
      'plan-ok.mjs': planRead('trigger'),
      'plan-wrong.mjs': planRead('nope'),
      'overlay-ok.mjs': overlayRead('version'),
      'overlay-wrong.mjs': overlayRead('nmae'),
      'compile-plan-ok.mjs': compilePlanRead('elf'),
      'compile-plan-wrong.mjs': compilePlanRead('goarch'),
      'overlay-format-ok.cjs': overlayFormatCopy(),
      'overlay-format-wrong-field.cjs': overlayFormatCopy(["'add-package': ['name', 'from']", "'add-package': ['name', 'fromm']"]),
      'overlay-format-unknown-op.cjs': overlayFormatCopy(["'keep-jobs': ['jobs'],", "'keep-jobs': ['jobs'],\n  'drop-jobs': ['jobs'],"]),
    });
  });

  it('reading a field a plan.json step lacks is a type error; reading one it has is not', () => {
    expect(errors['plan-ok.mjs']).toEqual([]);
    expect(errors['plan-wrong.mjs']).toEqual(["TS2339: Property 'nope' does not exist on type 'PlannedStep'."]);
  });

  it('an overlay read through the step library is a ReleaseOverlay', () => {
    expect(errors['overlay-ok.mjs']).toEqual([]);
    expect(errors['overlay-wrong.mjs']).toEqual(["TS2339: Property 'nmae' does not exist on type '{ readonly name: string; readonly version: string; }'."]);
  });

  it('a cross-compile plan entry has the fields CompilePlanEntry declares, and no others', () => {
    expect(errors['compile-plan-ok.mjs']).toEqual([]);
    expect(errors['compile-plan-wrong.mjs']).toEqual(["TS2339: Property 'goarch' does not exist on type 'CompilePlanEntry'."]);
  });

  it("the step's overlay field lists are checked against the edit types: a misspelt field or an op they lack fails", () => {
    expect(errors['overlay-format-ok.cjs']).toEqual([]);
    expect(errors['overlay-format-wrong-field.cjs']).toEqual([expect.stringMatching(/^TS2820: Type '"fromm"' is not assignable to type '"name" \| "from"'/)]);
    expect(errors['overlay-format-unknown-op.cjs']).toEqual([expect.stringMatching(/^TS2353: Object literal may only specify known properties, and ''drop-jobs'' does not exist in type 'EditFieldLists'/)]);
  });
});

describe('the step code an overlay or a tree pin flows through', () => {
  // tsconfig.pipelines.json has noImplicitAny on for all of pipelines/; these files are checked with it
  // on regardless, so a contract value cannot lose its type on its way through a helper.
  const CONTRACT_CARRIERS = ['contracts/overlay-format.cjs', 'pipelines/lib/release/overlay.mjs', 'pipelines/lib/release/overlay-yaml.mjs', 'pipelines/lib/upstream/upstream-source.mjs'];

  it('type-checks with noImplicitAny as well', () => {
    const errors = typeCheck({}, CONTRACT_CARRIERS, { noImplicitAny: true });
    expect(errors).toEqual(Object.fromEntries(CONTRACT_CARRIERS.map((f) => [f, []])));
  });
});

describe('one source for each constant both sides use', () => {
  /** Definitions that must exist only in contracts/ (a copy elsewhere could drift from it). */
  const SINGLE_DEFINITIONS: Array<[string, RegExp]> = [
    ['OVERLAY_FORMAT', /\bOVERLAY_FORMAT\s*=/],
    ['EDIT_KEYS', /\bEDIT_KEYS\s*=/],
    ['DIRECTOR_ENV', /\bDIRECTOR_ENV\s*=/],
    ['the director secret list', /'BOSH_CLIENT_SECRET',\s*'BOSH_CA_CERT'/],
    ['the shell quoting rule', /\[A-Za-z0-9_\.\/:=@%\+,-\]/],
  ];
  const SOURCE_ROOTS = ['constructs', 'contracts', 'lab', 'pipelines', 'stacks'];
  // The deliberate breaks of `npm run mutation` quote the code they break.
  const NOT_SOURCE = new Set(['pipelines/lib/checks/mutants.mjs']);

  function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(p);
      return /\.(ts|mjs|cjs|js)$/.test(e.name) ? [relative(PROJECT_ROOT, p)] : [];
    });
  }

  it.each(SINGLE_DEFINITIONS)('%s is defined in contracts/ and nowhere else', (_what, pattern) => {
    const files = SOURCE_ROOTS.flatMap((d) => sourceFiles(join(PROJECT_ROOT, d))).filter((f) => !NOT_SOURCE.has(f));
    const defining = files.filter((f) => pattern.test(readFileSync(join(PROJECT_ROOT, f), 'utf8')));
    expect(defining).toHaveLength(1);
    expect(defining[0]).toMatch(/^contracts\/[a-z-]+\.cjs$/);
  });

  it('every edit op the TypeScript types allow, rendered by the synth, passes the step\'s overlay check', () => {
    // Typed: each edit carries exactly the fields its interface declares, so a field missing from the
    // step's lists (EDIT_KEYS) is refused here.
    const overlay: ReleaseOverlay = {
      format: 1,
      variant: 'cell',
      upstream: { release: 'diego-release', version: 'v2.105.0', repo: 'https://example.invalid/diego-release' },
      release: { name: 'diego-cell', version: '2.105.0+arm.0123456789ab' },
      edits: [
        { op: 'set-final-name', name: 'diego-cell' },
        { op: 'add-package', name: 'healthcheck_armhf', from: 'bosh-packages/armhf/healthcheck_armhf' },
        { op: 'patch-job-spec', job: 'rep', addPackages: ['healthcheck_armhf'] },
        { op: 'drop-job-packages', job: 'rep', dropPackages: ['windows_app_lifecycle'] },
        { op: 'keep-jobs', jobs: ['rep'] },
        { op: 'retarget-go-package', package: 'rep', golangPackage: 'golang-1.23-linux', packaging: 'diego/cell/rep.packaging', mainPackages: ['rep/cmd/rep'] },
        { op: 'check-go-retargeted' },
      ],
    };
    const checked = callMjs<ReleaseOverlay>('pipelines/lib/release/overlay.mjs', 'validateOverlay', JSON.parse(renderOverlay(overlay)));
    expect(checked).toEqual({ ok: true, value: JSON.parse(renderOverlay(overlay)) });
  });

  it('the synth refuses to render the value of each director credential the steps require, BOSH_CA_CERT included', () => {
    // Not PEM-shaped, so only the credential list (contracts/director-env.cjs) can catch it.
    const ca = 'ca-fingerprint-7f3e21d9';
    expect(() => assertNoSecrets(`ca: ${ca}`, 'm.yml', { BOSH_CA_CERT: ca })).toThrow('m.yml: (document): found the value of BOSH_CA_CERT (not shown), expected credentials only as ((variables))');
    const secret = 'client-secret-5b8d0c';
    expect(() => assertNoSecrets(`s: ${secret}`, 'm.yml', { BOSH_CLIENT_SECRET: secret })).toThrow(/BOSH_CLIENT_SECRET/);
  });
});
