import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../lab/errors';

/**
 * A recipe's checked-in file (constructs/runtime/<dir>/patches/..., packaging/...): beside this module
 * when it runs from the sources (ts-node, jest), else in the checkout's source tree for the app compiled
 * to dist/ (tsc copies neither patches nor packaging scripts).
 */
export function recipeFile(dir: string, rel: string): string {
  const candidates = [join(__dirname, dir, rel), resolve(__dirname, '..', '..', '..', 'constructs', 'runtime', dir, rel)];
  const found = candidates.find((f) => existsSync(f));
  if (found === undefined) {
    throw InputError.outsideCheckout(`constructs/runtime/${dir}/${rel}`, '', `no such file (looked in ${candidates.join(' and ')})`, 'the recipe file of a stack-elevator checkout', 'run stack-elevator from its checkout');
  }
  return readFileSync(found, 'utf8');
}
