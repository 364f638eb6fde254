import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT } from '../support/lab-files';

function synthDefault(artifactsOnly: boolean): { steps: PlannedStep[]; tf: Record<string, any> } {
  const out = mkdtempSync(join(tmpdir(), 'se-plan-'));
  try {
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(out, 'cdktf.out'), artifactsOnly });
    return {
      steps: JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps,
      tf: JSON.parse(readFileSync(join(res.stackDir, 'cdk.tf.json'), 'utf8')),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('the default lab plan', () => {
  const { steps, tf } = synthDefault(false);
  const isDirector = (s: PlannedStep) => s.needs.includes('director');

  it('lists each step after everything it depends on', () => {
    const seen = new Set<string>();
    for (const s of steps) {
      expect(s.after.filter((a) => !seen.has(a))).toEqual([]);
      seen.add(s.id);
    }
  });

  it('closes the artifact half with a receipt, and no director step starts before it', () => {
    const receipt = steps.find((s) => s.script === 'write-receipt');
    expect(receipt).toBeDefined();
    const artifactIds = steps.filter((s) => !isDirector(s) && s !== receipt).map((s) => s.id).sort();
    expect(artifactIds.length).toBeGreaterThanOrEqual(5);
    expect(receipt!.after).toEqual(artifactIds);
    const directorSteps = steps.filter(isDirector);
    expect(directorSteps.map((s) => s.id)).toEqual(['lab-bosh-upload', 'lab-bosh-deploy-control-plane', 'lab-bosh-deploy-cells']);
    expect(directorSteps[0].after).toContain(receipt!.id);
  });

  it('is terraform_data only, so terraform init works offline, with one trigger per step', () => {
    expect(Object.keys(tf.resource)).toEqual(['terraform_data']);
    // State lives beside the output directory (which each synth replaces), addressed relatively.
    expect(tf.terraform.backend).toEqual({ local: { path: '../../../terraform.lab.tfstate' } });
    expect(tf.provider).toBeUndefined();
    const resources = Object.values(tf.resource.terraform_data) as Array<{ triggers_replace: { sha256: string }; provisioner: Array<{ 'local-exec': { command: string } }> }>;
    expect(resources.map((r) => r.triggers_replace.sha256).sort()).toEqual(steps.map((s) => s.trigger).sort());
    for (const r of resources) expect(r.provisioner[0]['local-exec'].command).toMatch(/^node (\.\.\/)+[^ ]*pipelines\/run-step\.mjs [a-z-]+ /);
  });

  it('drops the director steps, and only them, in the artifacts scope', () => {
    const artifacts = synthDefault(true).steps;
    expect(artifacts.map((s) => s.id)).toEqual(steps.filter((s) => !isDirector(s)).map((s) => s.id));
    expect(artifacts.map((s) => s.trigger)).toEqual(steps.filter((s) => !isDirector(s)).map((s) => s.trigger));
  });
});

describe('step triggers', () => {
  it('do not depend on where the output directory sits', () => {
    const triggersAt = (outdir: string) => {
      const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir, upstreamDir: '../shared/fixtures/upstream' });
      const steps = JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps as PlannedStep[];
      return Object.fromEntries(steps.map((s) => [s.id, s.trigger]));
    };
    mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
    const shallow = mkdtempSync(join(PROJECT_ROOT, 'build', 'trig-'));
    const deep = join(mkdtempSync(join(PROJECT_ROOT, 'build', 'trig-')), 'a', 'b');
    try {
      expect(triggersAt(join(deep, 'cdktf.out'))).toEqual(triggersAt(join(shallow, 'cdktf.out')));
    } finally {
      rmSync(shallow, { recursive: true, force: true });
      rmSync(join(deep, '..', '..'), { recursive: true, force: true });
    }
  });
});
