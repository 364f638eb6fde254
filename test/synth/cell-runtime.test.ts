import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PlanDocument, PlannedStep } from '../../constructs/plan/plan-graph';
import { LabError } from '../../lab/errors';
import { riskWarnings } from '../../stacks/preview/warnings';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, replaceOnce, writeLab } from '../support/lab-files';

const GARDEN_OVERRIDE = /  garden-runc:\n    version: "1\.58\.0"\n    reason: "[^"]*"\n/;

function synthOf(labFile: string): { plan: PlanDocument; outdir: string } {
  const out = mkdtempSync(join(tmpdir(), 'se-runtime-'));
  const res = synthLab({ projectRoot: PROJECT_ROOT, labFile, outdir: join(out, 'cdktf.out') });
  const plan = JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')) as PlanDocument;
  rmSync(out, { recursive: true, force: true });
  return { plan, outdir: join(out, 'cdktf.out') };
}

/** The synth's refusal of an edited default lab: its message, and that nothing was written. */
function refusal(edit: (t: string) => string, lockEdit?: (lock: Record<string, any>) => void): string {
  const lab = writeLab(edit);
  if (lockEdit) {
    const lockFile = join(dirname(lab), 'lab.lock.json');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
    lockEdit(lock);
    writeFileSync(lockFile, JSON.stringify(lock));
  }
  const outdir = join(dirname(lab), 'cdktf.out');
  try {
    synthLab({ projectRoot: PROJECT_ROOT, labFile: lab, outdir });
  } catch (err) {
    expect(existsSync(outdir)).toBe(false);
    if (err instanceof LabError) return err.message;
    throw err;
  }
  throw new Error('expected the synth to refuse the lab');
}

const release = (steps: readonly PlannedStep[], name: string) => steps.find((s) => s.script === 'compile-release' && s.args.release.startsWith(`${name}/`))?.args.release;

describe("the cells' runtime releases follow the control plane", () => {
  const { plan } = synthOf(join(PROJECT_ROOT, 'lab.yaml'));

  it('builds bpm and the loggregator agent at cf-deployment v44.8.0 versions, garden-runc at the override and bosh-dns at the DNS runtime config', () => {
    expect(release(plan.steps, 'garden-runc')).toMatch(/^garden-runc\/1\.58\.0\+arm\.[0-9a-f]{12}$/);
    // the versions cf-deployment v44.8.0 pins (its profile) and bosh-deployment's runtime config beside it
    expect(release(plan.steps, 'bpm')).toMatch(/^bpm\/1\.4\.3\+arm\.[0-9a-f]{12}$/);
    expect(release(plan.steps, 'loggregator-agent')).toBe('loggregator-agent/8.3.0');
    expect(release(plan.steps, 'bosh-dns')).toBe('bosh-dns/1.39.0');
  });

  it("lists the lab's one override, with its reason, for the preview to warn about", () => {
    const cells = plan.deployments.find((d) => d.deployment === 'rpi-cells');
    expect(cells?.versionOverrides).toEqual([{ release: 'garden-runc', version: '1.58.0', paired: expect.stringMatching(/^1\.60\.0 \(cf-deployment v44\.8\.0/), reason: expect.stringContaining('1.60.0') }]);
    const warnings = riskWarnings(plan.deployments, plan.deployments);
    expect(warnings.map((w) => w.kind)).toEqual(['version-override']);
    expect(warnings[0].message).toMatch(/garden-runc 1\.58\.0 instead of 1\.60\.0/);
  });

  it('refuses another version without a reason, naming both sides', () => {
    const msg = refusal((t) => replaceOnce(t, GARDEN_OVERRIDE, '  garden-runc:\n    version: "1.58.0"\n'));
    expect(msg).toMatch(/cell_releases\.garden-runc\.version: found 1\.58\.0 with no reason, expected 1\.60\.0, the garden-runc that cf-deployment v44\.8\.0 \(.*\) runs, or a reason/);
  });

  it('refuses a reason where the version is the paired one', () => {
    const msg = refusal((t) => replaceOnce(t, 'cell_releases:\n', 'cell_releases:\n  bpm: { version: "1.4.3", reason: "just because" }\n'));
    expect(msg).toMatch(/cell_releases\.bpm\.reason: found a reason, with 1\.4\.3 version, expected a reason only beside a version other than 1\.4\.3/);
  });

  it('refuses a version with no pinned source, naming the release, the version and where it looked', () => {
    const msg = refusal((t) => replaceOnce(t, 'cell_releases:\n', 'cell_releases:\n  bpm: { version: "1.4.2", reason: "pairs with v44.6.0" }\n'));
    expect(msg).toMatch(/lab\.lock\.json: upstream\.bpm-release: found v1\.4\.3, expected v1\.4\.2 with its tarballSha256: bpm 1\.4\.2 has no pinned source \(looked in .*lab\.lock\.json upstream\.bpm-release; then bpm-release-v1\.4\.2-src\.tgz in /);
  });

  it('refuses the paired garden-runc, whose source is not pinned here', () => {
    const msg = refusal((t) => replaceOnce(t, GARDEN_OVERRIDE, '  garden-runc: { supplied: false }\n'));
    expect(msg).toMatch(/upstream\.garden-runc-release: found v1\.58\.0, expected v1\.60\.0 with its tarballSha256: garden-runc 1\.60\.0 has no pinned source/);
  });

  it('refuses a blob source the lock does not pin', () => {
    const msg = refusal((t) => t, (lock) => delete lock.upstream.runc);
    expect(msg).toMatch(/lab\.lock\.json: upstream\.runc: found no pin with a tarballSha256, expected the source tarball bpm's runc\/runc-v1\.2\.1-src\.tgz is built from/);
  });

  it('supplies a release the lab says it supplies: no build step, and the cells deploy requires it', () => {
    const { plan: supplied } = synthOf(writeLab((t) => replaceOnce(t, 'cell_releases:\n', 'cell_releases:\n  bpm: { supplied: true }\n')));
    expect(release(supplied.steps, 'bpm')).toBeUndefined();
    const deploy = supplied.steps.find((s) => s.id === 'lab-bosh-cells-deploy');
    expect(deploy?.args.requires.split(',')).toContain('bpm/1.4.3@debian-bookworm-armhf/0.1.0');
  });
});
