import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';
import { treeDigest } from '../support/tree';

describe('the cdktf CLI path', () => {
  it('`cdktf synth` writes the same files as the compiled app', () => {
    mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
    const dir = mkdtempSync(join(PROJECT_ROOT, 'build', 'cli-'));
    try {
      const viaCli = join(dir, 'cli', 'cdktf.out');
      const viaApp = join(dir, 'app', 'cdktf.out');
      const cli = run('npx', ['cdktf', 'synth', '--output', relative(PROJECT_ROOT, viaCli)], { env: { CHECKPOINT_DISABLE: '1', CI: 'true' } });
      expect(outcome(cli)).toEqual({ status: 0, tail: '' });
      const app = run(process.execPath, ['dist/stacks/main.js'], { env: { CDKTF_OUTDIR: relative(PROJECT_ROOT, viaApp) } });
      expect(outcome(app)).toEqual({ status: 0, tail: '' });
      const cliTree = treeDigest(viaCli);
      expect(Object.keys(cliTree)).toContain('stacks/lab/cdk.tf.json');
      expect(cliTree).toEqual(treeDigest(viaApp));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
