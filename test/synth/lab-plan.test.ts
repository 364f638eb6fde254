import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT } from '../support/lab-files';
/** A deployment's own receipt step (lab-bosh-<deployment>-record), as opposed to the whole-lab receipt. */
const isDeploymentReceipt = (id: string): boolean => id.startsWith('lab-bosh-') && id.endsWith('-record');


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

  it('lists each step after everything it depends on, trigger and order-only edges alike', () => {
    const seen = new Set<string>();
    for (const s of steps) {
      expect([...s.after, ...s.orderAfter].filter((a) => !seen.has(a))).toEqual([]);
      seen.add(s.id);
    }
  });

  it('records every artifact step in one receipt, and gates each deployment on a receipt of its own build steps', () => {
    const receipt = steps.find((s) => s.id === 'lab-receipt-record');
    expect(receipt).toBeDefined();
    const receipts = steps.filter((s) => s.script === 'write-receipt');
    const artifactIds = steps.filter((s) => !isDirector(s) && !receipts.includes(s)).map((s) => s.id).sort();
    expect(artifactIds.length).toBeGreaterThanOrEqual(5);
    expect(receipt!.after).toEqual(artifactIds);
    const byId = new Map(steps.map((s) => [s.id, s]));
    const closure = (ids: readonly string[]): string[] => {
      const out = new Set<string>();
      const visit = (id: string): void => void (out.has(id) || (out.add(id), byId.get(id)!.after.forEach(visit)));
      ids.forEach(visit);
      return [...out].sort();
    };
    for (const name of ['control-plane', 'cells']) {
      const upload = byId.get(`lab-bosh-${name}-upload`)!;
      // after its receipt, the try-app gate and the fidelity gate, by order only: none re-runs an upload
      expect(upload.orderAfter).toEqual([`lab-bosh-${name}-record`, 'lab-fidelity-diego-armhf-test', 'lab-tryapp-rpifs-run']);
      expect(byId.get(`lab-bosh-${name}-record`)!.after).toEqual(closure(upload.after));
    }
    // No director step starts before the receipt of what it uploads: every director step reaches one.
    for (const d of steps.filter(isDirector)) {
      const reach = (id: string): boolean => isDeploymentReceipt(id) || [...byId.get(id)!.after, ...byId.get(id)!.orderAfter].some(reach);
      expect(reach(d.id)).toBe(true);
    }
    expect(steps.filter(isDirector).map((s) => s.id).sort()).toEqual(['lab-bosh-cells-deploy', 'lab-bosh-cells-upload', 'lab-bosh-control-plane-deploy', 'lab-bosh-control-plane-upload']);
  });

  it('is terraform_data steps plus the rootfs docker_image, with kreuzwerker/docker pinned to the lock', () => {
    expect(Object.keys(tf.resource).sort()).toEqual(['docker_image', 'terraform_data']);
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')) as { tools: Record<string, string> };
    expect(lock.tools['terraform-provider-docker']).toBe('3.6.2');
    expect(tf.terraform.required_providers).toEqual({ docker: { source: 'kreuzwerker/docker', version: lock.tools['terraform-provider-docker'] } });
    expect(tf.provider).toEqual({ docker: [{}] });
    const images = Object.values(tf.resource.docker_image) as Array<{ build: { platform: string } }>;
    expect(images.map((i) => i.build.platform)).toEqual(['linux/arm/v7']);
    // State lives beside the output directory (which each synth replaces), addressed relatively.
    expect(tf.terraform.backend).toEqual({ local: { path: '../../../terraform.lab.tfstate' } });
    const resources = Object.values(tf.resource.terraform_data) as Array<{ triggers_replace: { sha256: string }; provisioner: Array<{ 'local-exec': { command: string } }> }>;
    expect(resources.map((r) => r.triggers_replace.sha256).sort()).toEqual(steps.map((s) => s.trigger).sort());
    for (const r of resources) expect(r.provisioner[0]['local-exec'].command).toMatch(/^node (\.\.\/)+[^ ]*pipelines\/run-step\.mjs [a-z-]+ /);
  });

  it("replaces a step whose run started and did not finish: triggers_replace reads the count run-step keeps under its --root", () => {
    type Step = { triggers_replace: Record<string, string>; provisioner: Array<{ 'local-exec': { command: string; environment: Record<string, string> } }> };
    const resources = Object.values(tf.resource.terraform_data) as Step[];
    expect(resources.length).toBe(steps.length);
    for (const r of resources) {
      const exec = r.provisioner[0]['local-exec'];
      const root = /--root=(\S+)/.exec(exec.command)![1];
      const count = `${root}/build/${exec.environment.STACK_ELEVATOR_STEP}/.unfinished-${r.triggers_replace.sha256.slice(0, 16)}`;
      // read when Terraform plans; no file (nothing unfinished) reads as "0"
      expect(r.triggers_replace).toEqual({ sha256: exec.environment.STACK_ELEVATOR_TRIGGER, unfinished: `\${try(trimspace(file("${count}")), "0")}` });
    }
  });

  it('writes order-only edges into depends_on and trigger edges into both', () => {
    const data = tf.resource.terraform_data as Record<string, { depends_on?: string[] }>;
    const key = (name: string) => Object.keys(data).find((k) => k.startsWith(`bosh_${name}_step_`))!;
    expect([...data[key('cells-deploy')].depends_on!].sort()).toEqual([`terraform_data.${key('control-plane-deploy')}`, `terraform_data.${key('cells-upload')}`].sort());
    expect([...data[key('cells-upload')].depends_on!].sort()).toContain(`terraform_data.${key('cells-record')}`);
  });

  it('drops the director half (its steps and their per-deployment receipts), and only it, in the artifacts scope', () => {
    const artifacts = synthDefault(true).steps;
    const artifactHalf = steps.filter((s) => !isDirector(s) && !isDeploymentReceipt(s.id));
    const triggers = (xs: PlannedStep[]) => Object.fromEntries(xs.map((s) => [s.id, s.trigger]));
    expect(triggers(artifacts)).toEqual(triggers(artifactHalf));
  });

  // One id style: lab-<area>[-<subject…>]-<verb>, one word per segment, the action last; no `step` segment and no
  // verb fused onto a noun (the old `compilesshd-step`, `createrelease`).
  it('runs the fidelity gate per cell arch after the ARM compiles of the same tree, before the receipt and every director step', () => {
    const gate = steps.find((s) => s.id === 'lab-fidelity-diego-armhf-test');
    expect(gate).toMatchObject({ script: 'fidelity', needs: ['go', 'qemu'] });
    // triggered by the same source pins: the lifecycle cross-compiles and the cell variant feed its trigger
    expect(gate?.after).toEqual(expect.arrayContaining(['lab-lifecycle-armhf-healthcheck-compile', 'lab-lifecycle-armhf-sshd-compile', 'lab-lifecycle-armhf-bundle-compile', 'lab-diego-cell-armhf-create']));
    expect(steps.find((s) => s.id === 'lab-receipt-record')?.after).toContain('lab-fidelity-diego-armhf-test');
    const index = (id: string) => steps.findIndex((s) => s.id === id);
    for (const d of steps.filter(isDirector)) expect({ id: d.id, after: index(d.id) > index('lab-fidelity-diego-armhf-test') }).toEqual({ id: d.id, after: true });
    for (const d of steps.filter((s) => isDirector(s) && s.id.endsWith('-upload'))) expect(d.orderAfter).toContain('lab-fidelity-diego-armhf-test');
  });

  it('names every step lab-<area>-<subject>-<verb>, with the verb last and no fused words', () => {
    const verbs = ['bootstrap', 'build', 'check', 'compile', 'create', 'deploy', 'export', 'record', 'run', 'test', 'upload'];
    for (const s of steps) {
      const words = s.id.split('-');
      expect({ id: s.id, lab: words[0], verb: verbs.includes(words[words.length - 1]) }).toEqual({ id: s.id, lab: 'lab', verb: true });
      expect(words.length).toBeGreaterThanOrEqual(3); // lab-receipt-record has no subject
      const nouns = ['buildpack', 'compiled', 'runc', 'runtime']; // words that start with a verb and are none (runc: garden-runc)
      const fused = words.slice(1, -1).filter((w) => w === 'step' || (!nouns.includes(w) && verbs.some((v) => w.startsWith(v) && w !== v)));
      expect({ id: s.id, fused }).toEqual({ id: s.id, fused: [] });
    }
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
