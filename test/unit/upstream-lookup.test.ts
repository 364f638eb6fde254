import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { upstreamDirOf } from '../../contracts/upstream-dir.cjs';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * One lookup for the pinned upstream trees (contracts/upstream-dir.cjs): STACK_ELEVATOR_UPSTREAM, else
 * <root>/upstream. Where a development checkout keeps its fixtures is the test setup's business (.ci/run,
 * test/support), never the product's: no product file names that path.
 */
const PRODUCT = ['stacks', 'constructs', 'lab', 'contracts', 'pipelines'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mjs|cjs|sh)$/.test(e.name) ? [p] : [];
  });
}

describe('the upstream directory lookup', () => {
  it('is STACK_ELEVATOR_UPSTREAM resolved against the project root, else <root>/upstream', () => {
    expect(upstreamDirOf('/p/root', {})).toBe('/p/root/upstream');
    expect(upstreamDirOf('/p/root', { STACK_ELEVATOR_UPSTREAM: '' })).toBe('/p/root/upstream');
    expect(upstreamDirOf('/p/root', { STACK_ELEVATOR_UPSTREAM: '../fixtures' })).toBe('/p/fixtures');
    expect(upstreamDirOf('/p/root', { STACK_ELEVATOR_UPSTREAM: '/data/up' })).toBe('/data/up');
  });

  it('is the only place the product looks: no product file names the checkout-relative fixtures', () => {
    const files = PRODUCT.flatMap((d) => sources(join(PROJECT_ROOT, d)));
    expect(files.length).toBeGreaterThan(100);
    const naming = files
      .filter((f) => /shared\/fixtures|'shared',\s*'fixtures'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(PROJECT_ROOT, f));
    expect(naming).toEqual([]);
  });
});
