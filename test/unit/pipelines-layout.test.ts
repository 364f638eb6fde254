import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * pipelines/lib/ is split by subject so a reader finds the rootfs, Go, upstream or setup helpers in one
 * place: no loose module at its top, and each subject folder is named in pipelines/README.md, where its
 * purpose is written down.
 */
const LIB = join(PROJECT_ROOT, 'pipelines', 'lib');

describe('pipelines/lib is split into subject folders', () => {
  const entries = readdirSync(LIB, { withFileTypes: true });

  it('holds no module at its top level', () => {
    const loose = entries.filter((e) => e.isFile()).map((e) => `pipelines/lib/${e.name}`);
    expect(loose).toEqual([]);
  });

  it('names every subject folder in pipelines/README.md', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'pipelines', 'README.md'), 'utf8');
    const undocumented = entries.filter((e) => e.isDirectory() && !readme.includes(`\`lib/${e.name}/\``)).map((e) => e.name);
    expect(entries.filter((e) => e.isDirectory()).length).toBeGreaterThan(5);
    expect(undocumented).toEqual([]);
  });
});
