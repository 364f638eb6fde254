import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { rootfsLab, rootfsLock, rpifsStack } from '../fixtures/rootfs/lab';
import { synthRootfs, writeRootfsStack } from '../fixtures/rootfs/synth';
import { PROJECT_ROOT } from './lab-files';
import { run } from './run';

/**
 * The rpifs rootfs tarball for try-app tests, built through the pipeline's own build-rootfs and
 * export-rootfs steps (the CI package list), exactly as the rootfs e2e test runs them. Outputs are
 * content-addressed under build/, so a second call (or the rootfs e2e test) reuses them.
 */
export function rpifsRootfsTarball(): string {
  const dir = join(PROJECT_ROOT, 'build', 'test-try-app-rootfs', 'stacks', 'lab');
  mkdirSync(dir, { recursive: true });
  const s = synthRootfs(rootfsLab([rpifsStack()]), rootfsLock(), dir);
  writeRootfsStack(s, dir);
  const step = (suffix: string): PlannedStep => s.plan.find((p) => p.id.endsWith(suffix)) as PlannedStep;
  const exp = step('-export');
  const tgz = join(PROJECT_ROOT, exp.out, 'rootfs.tgz');
  if (existsSync(tgz)) return tgz;
  for (const st of [step('-build'), exp]) {
    const r = run('sh', ['-c', st.command], { cwd: dir, env: { STACK_ELEVATOR_STEP: st.id, STACK_ELEVATOR_TRIGGER: st.trigger }, timeoutMs: 30 * 60_000 });
    if (r.status !== 0) throw new Error(`${st.id} failed (${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  }
  return tgz;
}
