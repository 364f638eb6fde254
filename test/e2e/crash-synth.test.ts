import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

/**
 * The synth case of `npm run crash-check`: synth is SIGKILLed before every file-system step of its output
 * swap and at timed moments; the output path must always be the complete old or complete new result.
 * dist/ is compiled first so that a deliberate break of stacks/synth.ts (npm run mutation) reaches it.
 */
describe('crash consistency of synth', () => {
  beforeAll(() => {
    const tsc = run(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
    expect(tsc.stdout + tsc.stderr).toBe('');
  }, 300_000);

  it('keeps cdktf.out complete (old or new) whenever synth is killed, and the next synth cleans up', () => {
    const res = run(process.execPath, ['pipelines/crash-check.mjs', '--only=synth', '--kills=3', '--seed=24'], { timeoutMs: 500_000 });
    const out = res.stdout + res.stderr;
    expect(out).not.toContain('VIOLATION');
    expect(out).toMatch(/^synth\s+\|\s+\d+\s+\|\s+[1-9]\d* swap steps \+ 3 timed .*\|\s+0\s+\|/m);
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
  }, 600_000);

  it('swaps through a link and removes what a killed synth left beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-atomic-'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const atomic = require('../../contracts/atomic-dir.cjs');
      const target = join(dir, 'out');
      for (const text of ['one', 'two']) {
        const d = atomic.prepareDir(target);
        writeFileSync(join(d, 'f'), text);
        atomic.commitDir(target, d);
      }
      expect(lstatSync(target).isSymbolicLink()).toBe(true);
      // A killed run's real folder and link (pid 999999999 does not run) go on the next prepare.
      mkdirSync(join(dir, '.out.v-999999999-dead'));
      writeFileSync(join(dir, '.out.l-999999999-dead'), '');
      atomic.cleanLeftovers(target);
      expect(readdirSync(dir).sort()).toEqual([readlinkSync(target), 'out'].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
