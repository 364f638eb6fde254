import type { Cell } from '../../lab/model';
/** What grouping needs to know of a cell: the Lab's own Cell. */
export type CellLike = Cell;

/** The fields its cells share, typed as the Lab's Cell types them (one source of truth). */
export type CellGroupFields = Pick<Cell, 'stack' | 'arch' | 'network' | 'vmType' | 'stemcell' | 'placementTags'>;

export interface CellGroup<C extends CellLike = CellLike> extends CellGroupFields {
  readonly name: string;
  readonly azs: readonly string[];
  /** Cells in IP order; their IPs become the group's static IPs. */
  readonly cells: readonly C[];
  /** Index of each cell in the input (for error paths like cells[2]). */
  readonly indexes: readonly number[];
}

/**
 * Cells that would get identical jobs and properties become one instance group (instances = cells),
 * so an operator sees "3 rpifs cells" rather than three look-alike groups. Named
 * `<stack>-<arch>-cell[-<tags>]`, with `-2`, `-3` for groups that differ only in VM type, stemcell or
 * network; the order (and so the names) depends only on the cells, never on their order in the Lab.
 */
export function groupCells<C extends CellLike>(cells: readonly C[]): Array<CellGroup<C>> {
  const byKey = new Map<string, { cells: C[]; indexes: number[] }>();
  cells.forEach((c, i) => {
    const tags = [...new Set(c.placementTags)].sort();
    const key = JSON.stringify([c.stack, c.arch, c.goarm ?? null, tags, c.network, c.vmType, c.stemcell]);
    const g = byKey.get(key) ?? { cells: [], indexes: [] };
    g.cells.push(c);
    g.indexes.push(i);
    byKey.set(key, g);
  });
  const taken = new Map<string, number>();
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const first = g.cells[0];
      const tags = [...new Set(first.placementTags)].sort();
      const base = [first.stack, first.arch, 'cell', ...tags].join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
      const n = (taken.get(base) ?? 0) + 1;
      taken.set(base, n);
      const order = g.cells.map((c, k) => ({ c, i: g.indexes[k] })).sort((x, y) => ipOrder(x.c.ip, y.c.ip));
      return {
        name: n === 1 ? base : `${base}-${n}`,
        stack: first.stack,
        arch: first.arch,
        network: first.network,
        vmType: first.vmType,
        stemcell: first.stemcell,
        placementTags: tags,
        azs: [...new Set(g.cells.map((c) => c.az))].sort(),
        cells: order.map((o) => o.c),
        indexes: order.map((o) => o.i),
      };
    });
}

function ipOrder(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
