import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../lab/errors';

/** The project root is the nearest directory above `from` with cdktf.json, whether run from dist/ or via ts-node. */
export function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'cdktf.json'))) {
    const up = dirname(dir);
    if (up === dir) throw InputError.outsideCheckout(from, '', 'no cdktf.json in it or above it', 'a directory inside a stack-elevator checkout', 'run stack-elevator from its checkout');
    dir = up;
  }
  return dir;
}
