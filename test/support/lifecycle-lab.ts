import { join } from 'node:path';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import type { LabLock } from '../../lab/lock';
import type { Cell, Lab } from '../../lab/model';
import { addLifecycle } from '../../stacks/parts/lifecycle';
import { synthToDisk, type Synthesized } from './cross-compile';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from './lab-files';

/** The lab's own lock and lab.yaml: e2e tests build what a deploy of this checkout would build. */
export const labLock = loadLock(join(PROJECT_ROOT, 'lab.lock.json'), PROJECT_ROOT);
const baseLab = loadLab(join(PROJECT_ROOT, 'lab.yaml'), PROJECT_ROOT);

export interface LifecycleOptions {
  /** STACK_ELEVATOR_UPSTREAM at synth (default: the shared fixtures, which hold the v2.105.0 source tarball). */
  readonly upstreamDir?: string;
  readonly editLock?: (lock: LabLock) => LabLock;
}

/**
 * The lifecycle part of a lab with the given cells, synthesized to disk, with its three steps named
 * sshd, healthcheck and bundle.
 */
export function lifecycleFor(cells: Array<Partial<Cell>>, arch: 'armhf' | 'arm64', o: LifecycleOptions = {}): Synthesized {
  const lab: Lab = { ...baseLab, cells: cells.map((c, i) => ({ ...baseLab.cells[0], name: `cell-${i}`, ...c })) };
  const lock = o.editLock ? o.editLock(labLock) : labLock;
  return synthToDisk((stack, store, graph) => {
    const parts = addLifecycle({ scope: stack, lab, lock, artifacts: store, graph, projectRoot: PROJECT_ROOT, upstreamDir: o.upstreamDir ?? UPSTREAM_FIXTURES, directorSteps: false });
    const steps = parts.get(arch)?.packageSteps;
    if (!steps) throw new Error(`no lifecycle part for ${arch}`);
    const of = (pkg: string) => {
      const s = steps.get(pkg);
      if (!s) throw new Error(`no step builds ${pkg}`);
      return s;
    };
    return { sshd: of(`diego-sshd_${arch}`), healthcheck: of(`healthcheck_${arch}`), bundle: of(`buildpack_app_lifecycle_${arch}`) };
  });
}
