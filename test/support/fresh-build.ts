import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import { PROJECT_ROOT } from './lab-files';

/** The app's source rooms: what `npm run build` compiles besides the tests (contracts/ holds the .cjs both sides share). */
const SOURCE_DIRS = ['constructs', 'contracts', 'lab', 'stacks'];
/**
 * What a checkout needs beside dist/ to synthesize: the lab, its lock and package lists, the step scripts,
 * the rootfs image's static files (dist/ reads them from the source tree).
 */
const CHECKOUT_ENTRIES = ['cdktf.json', 'package.json', 'lab.yaml', 'lab.lock.json', 'packages', 'pipelines', 'contracts', 'examples', 'constructs/rootfs/image', 'constructs/runtime/bpm', 'constructs/runtime/garden-runc', 'stacks/fidelity', 'stacks/patches'];

function filesEndingIn(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesEndingIn(p, ext);
    return e.name.endsWith(ext) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * Compiles the current sources into `<into>/dist` (the layout `npm run build` makes), so a test runs the
 * code as it is now and never a dist/ left behind by an earlier build. Transpile only: the project sets
 * isolatedModules, so each file compiles alone to what tsc emits; `npm run build` does the type check.
 * JSON files in the source rooms are copied as tsc emits the ones the app imports.
 */
export function transpileApp(into: string): void {
  const { config } = ts.readConfigFile(join(PROJECT_ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, PROJECT_ROOT);
  for (const file of SOURCE_DIRS.flatMap((d) => filesEndingIn(join(PROJECT_ROOT, d), '.ts'))) {
    const out = join(into, 'dist', relative(PROJECT_ROOT, file)).replace(/\.ts$/, '.js');
    const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    const errors = (js.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js.outputText);
  }
  // tsc emits the JSON modules the app imports (resolveJsonModule: the cf-deployment profiles) and the
  // CommonJS contracts (allowJs) as they are
  for (const file of SOURCE_DIRS.flatMap((d) => [...filesEndingIn(join(PROJECT_ROOT, d), '.json'), ...filesEndingIn(join(PROJECT_ROOT, d), '.cjs')])) {
    const out = join(into, 'dist', relative(PROJECT_ROOT, file));
    mkdirSync(dirname(out), { recursive: true });
    cpSync(file, out);
  }
}

/**
 * A second checkout at a fresh absolute path: the project files a synth reads, node_modules shared by a
 * symlink, and dist/ compiled from the current sources.
 */
export function freshCheckout(prefix = 'se-checkout-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of CHECKOUT_ENTRIES) {
    if (existsSync(join(PROJECT_ROOT, entry))) cpSync(join(PROJECT_ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
  transpileApp(dir);
  return dir;
}
