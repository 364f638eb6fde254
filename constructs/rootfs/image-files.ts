import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../lab/errors';

/**
 * The image's static files (constructs/rootfs/image/): beside this module when it runs from the
 * sources (ts-node, jest), else in the checkout's source tree, for the app compiled to
 * dist/constructs/rootfs/ (tsc copies no .sh files; the compiled app runs from its checkout, whose
 * pipelines/ and packages/ it reads too).
 */
function imageFilesDir(): string {
  const candidates = [join(__dirname, 'image'), resolve(__dirname, '..', '..', '..', 'constructs', 'rootfs', 'image')];
  const found = candidates.find((dir) => existsSync(dir));
  if (found === undefined) {
    throw InputError.outsideCheckout('constructs/rootfs/image/', '', `no such directory (looked in ${candidates.join(' and ')})`, 'the image files of a stack-elevator checkout', 'run stack-elevator from its checkout');
  }
  return found;
}

const cache = new Map<string, string>();

/** The bytes of one static image file, read once per process. */
export function imageFile(name: string): string {
  let content = cache.get(name);
  if (content === undefined) {
    content = readFileSync(join(imageFilesDir(), name), 'utf8');
    cache.set(name, content);
  }
  return content;
}
