import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT } from '../support/lab-files';

/** Synthesizes the default lab from a project root (default: this checkout) and returns its plan steps. */
function planOf(root = PROJECT_ROOT): PlannedStep[] {
  const out = mkdtempSync(join(tmpdir(), 'se-try-app-plan-'));
  try {
    const res = synthLab({ projectRoot: root, labFile: 'lab.yaml', outdir: join(out, 'cdktf.out') });
    return JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('try-app in the default lab plan', () => {
  const steps = planOf();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const tryApp = byId.get('lab-tryapp-rpifs-run') as PlannedStep;

  it('runs after the rootfs export, the lifecycle bundle and the buildpack, on exactly their outputs', () => {
    expect(tryApp.script).toBe('try-app-step');
    expect(tryApp.after).toEqual(['lab-buildpack-rpifs-build', 'lab-lifecycle-armhf-bundle-compile', 'lab-rootfs-rpifs-export']);
    const out = (id: string): string => (byId.get(id) as PlannedStep).out;
    expect(tryApp.args).toMatchObject({
      stack: 'rpifs',
      arch: 'armhf',
      goarch: 'arm',
      goarm: '7',
      rootfs: `{root}/${out('lab-rootfs-rpifs-export')}/rootfs.tgz`,
      bundle: `{root}/${out('lab-lifecycle-armhf-bundle-compile')}/packages/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz`,
      'buildpack-zip': `{root}/${out('lab-buildpack-rpifs-build')}/binary_buildpack-rpifs-v1.1.27.zip`,
      'start-command': './hello-arm',
    });
    expect(tryApp.needs).toEqual(['docker', 'go', 'qemu']);
  });

  it('gates every director step: the receipt records it, and every director step comes after it (trigger or order edge)', () => {
    expect((byId.get('lab-receipt-record') as PlannedStep).after).toContain('lab-tryapp-rpifs-run');
    const directors = steps.filter((s) => s.needs.includes('director'));
    expect(directors.length).toBeGreaterThan(0);
    const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
      const s = byId.get(id) as PlannedStep;
      for (const a of [...s.after, ...s.orderAfter]) if (!seen.has(a)) ancestors(a, seen.add(a));
      return seen;
    };
    for (const d of directors) expect(ancestors(d.id)).toContain('lab-tryapp-rpifs-run');
  });

  it('re-runs only when the sample app changes, not the steps it consumes', () => {
    const copy = mkdtempSync(join(tmpdir(), 'se-try-app-root-'));
    try {
      for (const e of ['lab.yaml', 'lab.lock.json', 'packages', 'examples']) cpSync(join(PROJECT_ROOT, e), join(copy, e), { recursive: true });
      symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'));
      const main = join(copy, 'examples', 'hello-arm', 'main.go');
      writeFileSync(main, `${readFileSync(main, 'utf8')}\n// edited\n`);
      const edited = new Map(planOf(copy).map((s) => [s.id, s.trigger]));
      const changed = steps.filter((s) => edited.get(s.id) !== s.trigger).map((s) => s.id);
      expect(changed).toContain('lab-tryapp-rpifs-run');
      expect(changed).not.toContain('lab-rootfs-rpifs-export');
      expect(changed).not.toContain('lab-buildpack-rpifs-build');
      expect(changed).not.toContain('lab-lifecycle-armhf-bundle-compile');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('takes each input by the output its step declares, and fails synth naming a missing one (no silent skip)', () => {
    const provides = (id: string) => (byId.get(id) as PlannedStep).provides ?? {};
    expect(provides('lab-rootfs-rpifs-export')).toEqual({ 'rootfs-tarball/rpifs': 'rootfs.tgz' });
    expect(provides('lab-buildpack-rpifs-build')).toEqual({ 'buildpack-zip/rpifs': 'binary_buildpack-rpifs-v1.1.27.zip' });
    // a lock without the buildpack pin plans no buildpack: the gate cannot run, so synth says so
    const copy = mkdtempSync(join(tmpdir(), 'se-try-app-root-'));
    try {
      for (const e of ['lab.yaml', 'packages', 'examples']) cpSync(join(PROJECT_ROOT, e), join(copy, e), { recursive: true });
      const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8'));
      delete lock.upstream['binary-buildpack'];
      writeFileSync(join(copy, 'lab.lock.json'), JSON.stringify(lock, null, 2));
      expect(() => planOf(copy)).toThrow(/lab\.yaml: stacks\[name=rpifs\]: found no plan step provides buildpack-zip\/rpifs/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
