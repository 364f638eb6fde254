import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../lab/errors';
import type { PlannedStep } from './plan-graph';

/** What a step script declares through the skeleton's step() (pipelines/lib/step/step-declarations.mjs prints it). */
export interface StepDeclaration {
  readonly args: Readonly<Record<string, { readonly type: string; readonly required: boolean }>>;
}

/**
 * The checkout this code runs from (its scripts are the ones the plan names), found upward from here: the
 * compiled file sits one level deeper (dist/) than the source. A lab's project root may be elsewhere.
 */
export function toolRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'pipelines', 'lib', 'step', 'step-declarations.mjs'))) return dir;
  }
  throw InputError.outsideCheckout(__dirname, 'pipelines', 'no pipelines/lib/step/step-declarations.mjs above this file', 'the stack-elevator checkout the synth runs from', 'run the synth from a full checkout');
}

/** Arguments every step command carries whatever the construct gave (PlanGraph.commandFor). */
const COMMAND_ARGS = ['root', 'artifacts', 'out'];

/** The declarations of the scripts the plan runs, read from the scripts themselves (one node process). */
export function stepDeclarations(scripts: readonly string[]): Record<string, StepDeclaration> {
  const lister = join(toolRoot(), 'pipelines', 'lib', 'step', 'step-declarations.mjs');
  const res = spawnSync(process.execPath, [lister, ...scripts], { encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) {
    throw InputError.at({ file: 'pipelines/lib/step/step-declarations.mjs', path: 'scripts', found: `exit ${res.status}: ${(res.stderr || res.error?.message || '').trim()}`, expected: 'the declarations of every step script the plan runs', fix: 'fix the step script it names (each calls step() once)' });
  }
  return JSON.parse(res.stdout) as Record<string, StepDeclaration>;
}

/** Each problem with a planned step's arguments: an argument its script does not declare, or a required one missing. */
export function argumentProblems(steps: readonly PlannedStep[], declared: Readonly<Record<string, StepDeclaration>>): InputError[] {
  const problems: InputError[] = [];
  for (const s of steps) {
    const file = `pipelines/${s.script}.mjs`;
    const decl = declared[s.script];
    if (!decl) {
      problems.push(InputError.at({ file, path: `steps.${s.id}.script`, found: s.script, expected: 'a step script under pipelines/', fix: 'name an existing script in the step construct' }));
      continue;
    }
    const given = new Set([...Object.keys(s.args), ...COMMAND_ARGS]);
    for (const arg of Object.keys(s.args).sort()) {
      if (!Object.prototype.hasOwnProperty.call(decl.args, arg)) {
        problems.push(InputError.at({ file, path: `steps.${s.id}.args.${arg}`, found: `--${arg}`, expected: `an argument ${s.script} declares (${Object.keys(decl.args).sort().map((a) => `--${a}`).join(', ')})`, fix: `rename or drop --${arg} in the construct that plans ${s.id}` }));
      }
    }
    for (const [arg, spec] of Object.entries(decl.args).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (spec.required && !given.has(arg)) {
        problems.push(InputError.at({ file, path: `steps.${s.id}.args.${arg}`, found: 'nothing', expected: `--${arg} (${s.script} requires it)`, fix: `give --${arg} in the construct that plans ${s.id}` }));
      }
    }
  }
  return problems;
}

/** Fails synth when a planned step would be refused by its own script's argument check. */
export function checkStepArguments(steps: readonly PlannedStep[]): void {
  const scripts = [...new Set(steps.map((s) => s.script))].sort();
  const problems = argumentProblems(steps, stepDeclarations(scripts));
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw InputError.at({ file: 'pipelines/', path: 'steps', found: problems.map((p) => p.message).join(' | '), expected: 'only arguments each step script declares, and all it requires', fix: 'fix each step construct named above' });
}
