import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './lab-files';

interface PlanStepOut {
  id: string;
  out: string;
}

/**
 * The artifact steps whose bytes must come out identical, hashed by the tests themselves (not the tool's
 * receipt): rootfs tarball, lifecycle bundle, ARM healthcheck and diego-sshd, buildpack zip. BOSH release
 * tarballs are left out: bosh stamps file times into them (the receipt counts those by fingerprints).
 */
export const REPRODUCED_STEPS = ['lab-rootfs-rpifs-export', 'lab-lifecycle-armhf-bundle-compile', 'lab-lifecycle-armhf-healthcheck-compile', 'lab-lifecycle-armhf-sshd-compile', 'lab-buildpack-rpifs-build'];

/** Output directory of a step of the plan `npm run rebuild` synthesized last. */
export function rebuildStepOut(id: string): string {
  const plan = JSON.parse(readFileSync(join(PROJECT_ROOT, 'build', 'rebuild', 'cdktf.out', 'stacks', 'lab', 'plan.json'), 'utf8')) as { steps: PlanStepOut[] };
  const step = plan.steps.find((s) => s.id === id);
  if (!step) throw new Error(`the rebuild plan has no step ${id}`);
  return join(PROJECT_ROOT, step.out);
}

export function reproducibleFiles(): Record<string, string> {
  const out = rebuildStepOut;
  const zipDir = out('lab-buildpack-rpifs-build');
  return {
    rootfs: join(out('lab-rootfs-rpifs-export'), 'rootfs.tgz'),
    bundle: join(out('lab-lifecycle-armhf-bundle-compile'), 'packages/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz'),
    healthcheck: join(out('lab-lifecycle-armhf-healthcheck-compile'), 'packages/healthcheck_armhf/healthcheck'),
    sshd: join(out('lab-lifecycle-armhf-sshd-compile'), 'packages/diego-sshd_armhf/diego-sshd'),
    buildpack: join(zipDir, readdirSync(zipDir).find((f) => f.endsWith('.zip'))!),
  };
}

export const sha256Of = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([k, f]) => [k, createHash('sha256').update(readFileSync(f)).digest('hex')]));
