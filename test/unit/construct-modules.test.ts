import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';

const CONSTRUCTS = join(PROJECT_ROOT, 'constructs');
const MODULES = ['bosh', 'cf', 'diego', 'golang', 'plan', 'rootfs', 'runtime'];
/** Files a module keeps to itself: reached by path from inside the module only. */
const INTERNAL = new Set(['diego/prebuilt-package.ts', 'rootfs/image-files.ts', 'runtime/recipe-files.ts']);

describe('construct modules have a front door', () => {
  it('covers every module under constructs/', () => {
    const dirs = readdirSync(CONSTRUCTS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(dirs.sort()).toEqual(MODULES);
  });

  describe.each(MODULES)('constructs/%s', (mod) => {
    const dir = join(CONSTRUCTS, mod);

    it('has an index.ts and a README.md', () => {
      expect(existsSync(join(dir, 'index.ts'))).toBe(true);
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
    });

    it('re-exports every export of its files, except the internal ones', () => {
      const front = require(dir) as Record<string, unknown>;
      const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !INTERNAL.has(`${mod}/${f}`));
      const missing = files.flatMap((f) => {
        const exported = require(join(dir, f)) as Record<string, unknown>;
        return Object.keys(exported).filter((name) => front[name] !== exported[name]).map((name) => `${f}: ${name}`);
      });
      expect(missing).toEqual([]);
    });
  });
});
