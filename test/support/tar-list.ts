import { list as tarList, type ReadEntry } from 'tar';

/** One tar entry as tests compare them: header fields only, mtime in whole seconds. */
export interface ListedEntry {
  readonly path: string;
  readonly type: string;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly mtime: number;
  readonly mode: number;
  readonly linkpath: string;
  readonly size: number;
}

/** Lists a tar or tar.gz with node-tar (independent of the normalizer under test), in archive order. */
export function listTar(file: string): ListedEntry[] {
  const rows: ListedEntry[] = [];
  tarList({
    file,
    sync: true,
    onReadEntry: (e: ReadEntry) => {
      rows.push({
        path: e.path,
        type: e.type,
        uid: e.uid ?? -1,
        gid: e.gid ?? -1,
        uname: e.uname ?? '',
        mtime: Math.floor((e.mtime?.getTime() ?? 0) / 1000),
        mode: (e.mode ?? 0) & 0o7777,
        linkpath: e.linkpath ?? '',
        size: e.size ?? 0,
      });
    },
  });
  return rows;
}
