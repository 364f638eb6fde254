import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';

const PIPELINES = join(PROJECT_ROOT, 'pipelines');

/** Every `script: '<name>'` a plan step names in the constructs and stacks (the scripts `cdktf deploy` runs). */
function plannedScripts(): string[] {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/\bscript: '([a-z0-9-]+)'/g)) names.add(m[1]);
    }
  };
  walk(join(PROJECT_ROOT, 'constructs'));
  walk(join(PROJECT_ROOT, 'stacks'));
  return [...names].sort();
}

/** The scripts that must be written in the one step skeleton: every planned script, the runner and the two npm entry points. */
const STEP_SCRIPTS = [...new Set([...plannedScripts(), 'run-step', 'rebuild', 'try-app'])].sort();

/** Every .mjs file under pipelines/, by its path relative to pipelines/. */
function pipelineFiles(dir = PIPELINES, rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pipelineFiles(join(dir, e.name), `${rel}${e.name}/`) : e.name.endsWith('.mjs') ? [`${rel}${e.name}`] : [],
  );
}

/**
 * The node:child_process imports of a source text that no reason covers: the comment block right above
 * an import must say `child_process needed: <why zx's $ will not do>`.
 */
function childProcessImports(text: string): string[] {
  const lines = text.split('\n');
  return lines.filter((l, i) => {
    if (!/from ['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)/.test(l)) return false;
    let above = '';
    for (let j = i - 1; j >= 0 && /^\s*\/\//.test(lines[j]); j--) above = `${lines[j]} ${above}`;
    return !/child_process needed: \S/.test(above);
  });
}

describe('the step scripts use the one skeleton of pipelines/lib/step/step.mjs', () => {
  it('finds the scripts the plan runs (the scan is not empty)', () => {
    expect(STEP_SCRIPTS).toEqual(expect.arrayContaining(['bosh-deploy', 'build-rootfs', 'create-release', 'cross-compile', 'export-rootfs', 'rebuild', 'run-step', 'try-app', 'try-app-step', 'write-receipt']));
    for (const s of STEP_SCRIPTS) expect(readdirSync(PIPELINES)).toContain(`${s}.mjs`);
  });

  it.each(STEP_SCRIPTS)('%s declares its arguments through step() and parses none itself', (name) => {
    const text = readFileSync(join(PIPELINES, `${name}.mjs`), 'utf8');
    expect(text).toMatch(/^import \{[^}]*\bstep\b[^}]*\} from '\.\/lib\/step\/step\.mjs';$/m);
    expect(text).toMatch(/^await step\(/m);
    // Another way to read the command line: raw argv, minimist, a hand-written parser.
    expect(text).not.toMatch(/process\.argv|\bminimist\b|\bparseArgs\b|\bstepArgs\b/);
    // Another way to fail or log: the deleted helpers.
    expect(text).not.toMatch(/\bfailStep\b|\bprogress\(|\brunStep\b|\bstreamCommand\b/);
  });

  it.each(STEP_SCRIPTS)('%s starts processes through zx only (no node:child_process)', (name) => {
    expect(readFileSync(join(PIPELINES, `${name}.mjs`), 'utf8')).not.toMatch(/(node:)?child_process['"]/);
  });

  it('every other file of pipelines/ imports node:child_process only under a stated reason', () => {
    const files = pipelineFiles();
    expect(files).toEqual(expect.arrayContaining(['lib/step/step.mjs', 'lib/try-app/try-app-docker.mjs', 'lib/docker/docker-cli.mjs', 'bench.mjs']));
    const unexplained = files.filter((f) => childProcessImports(readFileSync(join(PIPELINES, f), 'utf8')).length > 0);
    expect(unexplained).toEqual([]);
  });

  it('the scan catches a child_process import and accepts one under a stated reason', () => {
    expect(childProcessImports("import { spawnSync } from 'node:child_process';")).toHaveLength(1);
    expect(childProcessImports("// spawns things\nimport { spawnSync } from 'node:child_process';")).toHaveLength(1);
    expect(childProcessImports("// child_process needed: a sync call with a timeout,\n// which zx's timer cannot give\nimport { spawnSync } from 'node:child_process';")).toEqual([]);
  });

  it('the old helpers are gone from pipelines/lib/step/step.mjs', () => {
    const exported = runMjs<string[]>("out(Object.keys(await lib('step/step')).sort());");
    expect(exported).toEqual(expect.arrayContaining(['step', 'readArgs', 'logger', 'runCommand', 'runCommandSync', 'atomicOutput', 'StepError']));
    for (const old of ['parseArgs', 'stepArgs', 'failStep', 'progress', 'runStep', 'streamCommand']) expect(exported).not.toContain(old);
  });
});
