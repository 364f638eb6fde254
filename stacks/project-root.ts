import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root is the nearest directory above `from` with cdktf.json, whether run from dist/ or via ts-node. */
export function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'cdktf.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no cdktf.json above ${from}: run stack-elevator from its checkout`);
    dir = up;
  }
  return dir;
}
