import { join } from 'node:path';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import type { LabLock } from '../../lab/lock';
import type { Cell, Lab } from '../../lab/model';
import { addLifecycle } from '../../stacks/parts/lifecycle';
import { synthToDisk, type Synthesized } from './cross-compile';
import { PROJECT_ROOT } from './lab-files';

/** The lab's own lock and lab.yaml: e2e tests build what a deploy of this checkout would build. */
export const labLock = loadLock(join(PROJECT_ROOT, 'lab.lock.json'), PROJECT_ROOT);
const baseLab = loadLab(join(PROJECT_ROOT, 'lab.yaml'), PROJECT_ROOT);

/**
 * The lifecycle part of a lab with the given cells, synthesized to disk, with its three steps named
 * sshd, healthcheck and bundle. `goModules` replaces the lock's pins (default: lab.lock.json's).
 */
export function lifecycleFor(cells: Array<Partial<Cell>>, arch: 'armhf' | 'arm64', goModules: Readonly<Record<string, string>> = labLock.goModules): Synthesized {
  const lab: Lab = { ...baseLab, cells: cells.map((c, i) => ({ ...baseLab.cells[0], name: `cell-${i}`, ...c })) };
  const lock: LabLock = { ...labLock, goModules };
  return synthToDisk((stack, store, graph) => {
    const parts = addLifecycle({ scope: stack, lab, lock, artifacts: store, graph, projectRoot: PROJECT_ROOT, upstreamDir: join(PROJECT_ROOT, 'upstream'), directorSteps: false });
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
