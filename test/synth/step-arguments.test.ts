import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { argumentProblems, stepDeclarations } from '../../constructs/plan';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * The rule: every argument a planned step passes is one its script declares, and every argument the
 * script requires is passed. Synth checks it against the scripts' own declarations (their step() call),
 * so a misspelt argument fails synth, not the deploy an hour later.
 */
function defaultPlan(): PlannedStep[] {
  const out = mkdtempSync(join(tmpdir(), 'se-args-'));
  try {
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(out, 'cdktf.out') });
    return JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps as PlannedStep[];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('planned step arguments against the scripts that take them', () => {
  const steps = defaultPlan();
  const scripts = [...new Set(steps.map((s) => s.script))].sort();
  const declared = stepDeclarations(scripts);

  it('reads a declaration from every script the default plan runs', () => {
    expect(Object.keys(declared).sort()).toEqual(scripts);
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    expect(declared['create-release'].args).toMatchObject({ out: { required: true }, overlay: { required: false } });
  });

  it('finds nothing wrong with the default plan (synth would have refused it)', () => {
    expect(argumentProblems(steps, declared).map((p) => p.message)).toEqual([]);
  });

  it('names the step, the argument and the script of a misspelt argument', () => {
    const s = steps.find((x) => x.script === 'create-release' && x.args['upstream-dir'] !== undefined) as PlannedStep;
    const { ['upstream-dir']: dir, ...rest } = s.args;
    const misspelt = { ...s, args: { ...rest, 'upstream-dri': dir } };
    const msgs = argumentProblems([misspelt], declared).map((p) => p.message);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain('pipelines/create-release.mjs');
    expect(msgs[0]).toContain(`steps.${s.id}.args.upstream-dri`);
    expect(msgs[0]).toContain('--upstream-dir');
  });

  it('names a required argument the step does not pass', () => {
    const s = steps.find((x) => x.script === 'build-buildpack') as PlannedStep;
    const { goarch: _dropped, ...rest } = s.args;
    const msgs = argumentProblems([{ ...s, args: rest }], declared).map((p) => p.message);
    expect(msgs).toEqual([expect.stringContaining(`steps.${s.id}.args.goarch`)]);
    expect(msgs[0]).toContain('build-buildpack requires it');
  });
});
