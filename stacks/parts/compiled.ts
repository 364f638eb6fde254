import { CompiledReleaseStep } from '../../constructs/bosh';
import { DEFAULT_SOURCE_DATE_EPOCH } from '../../constructs/rootfs';
import { LabError } from '../../lab/errors';
import type { Arch } from '../../lab/model';
import type { LabContext } from '../context';
import type { CellRuntimePart } from './cell-runtime';
import type { DiegoPart } from './diego';
import type { RootfsPart } from './rootfs';

/** A release the pipeline builds, compiled for one cell stemcell. */
export interface CompiledRelease {
  readonly name: string;
  readonly version: string;
  /** `<os>/<version>`. */
  readonly stemcell: string;
  readonly construct: CompiledReleaseStep;
}

/** Per cell stemcell alias: the compiled releases its cells deploy (the cell Diego variant, the rootfs releases, the runtime releases the plan builds). */
export type CompiledPart = ReadonlyMap<string, readonly CompiledRelease[]>;

/**
 * One compile step per (release the Pi cells deploy from this pipeline, cell stemcell): a mixed lab
 * (armhf and arm64 cells on their own stemcells) gets one compiled release per stemcell.
 */
export function addCompiledReleases(ctx: LabContext, rootfs: ReadonlyMap<string, RootfsPart>, diego: DiegoPart, runtime: CellRuntimePart = new Map()): CompiledPart {
  const { lab } = ctx;
  const out = new Map<string, CompiledRelease[]>();
  const byAlias = new Map<string, { arch: Arch; stacks: Set<string> }>();
  lab.cells.forEach((c) => {
    const entry = byAlias.get(c.stemcell) ?? { arch: c.arch, stacks: new Set<string>() };
    entry.stacks.add(c.stack);
    byAlias.set(c.stemcell, entry);
  });
  for (const [alias, { arch, stacks }] of [...byAlias].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const stemcell = lab.stemcells.find((s) => s.alias === alias);
    // lab/rules.ts refuses these; a Lab built by hand must not slip through either.
    if (!stemcell || stemcell.arch !== arch) {
      throw new LabError(lab.file, 'cells', `stemcell ${alias}${stemcell ? ` (arch ${stemcell.arch ?? 'unknown'})` : ' (not declared)'}`, `a stemcell for the ${arch} cells that use it`);
    }
    const cell = diego.cellByArch.get(arch);
    if (!cell?.step) throw new Error(`no cell Diego release step for arch ${arch} (stacks/parts/diego.ts)`);
    const sources = [
      { id: `diego-cell-${arch}`, name: cell.releaseName, version: cell.version, step: cell.step },
      ...[...stacks].sort().flatMap((s) => {
        const part = rootfs.get(s);
        return part ? [{ id: `rootfs-${s}`, name: part.releaseName, version: part.version, step: part.releaseStep }] : [];
      }),
      ...[...runtime.values()].flatMap((r) => {
        const built = r.built.get(arch);
        return built ? [{ id: `runtime-${r.name}-${arch}`, name: r.name, version: r.version, step: built.step }] : [];
      }),
    ];
    out.set(
      alias,
      sources.map((src) => {
        const construct = new CompiledReleaseStep(ctx.scope, `compiled-${src.id}-${alias}`, {
          name: src.name,
          version: src.version,
          source: src.step,
          stemcell: { os: stemcell.os, version: stemcell.version, arch },
          goarm: cell.target.goarm,
          sourceDateEpoch: DEFAULT_SOURCE_DATE_EPOCH,
        });
        return { name: src.name, version: src.version, stemcell: construct.stemcell, construct };
      }),
    );
  }
  return out;
}
