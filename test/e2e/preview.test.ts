import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { run } from '../support/run';

/**
 * `npm run preview` as a PR would run it: a clone of this repository with an edited lab.yaml in its
 * working tree, compared against its HEAD. Only the steps that consume the edited manifest may run.
 */
describe('PR plan preview', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-preview-e2e-'));
  const repo = join(dir, 'repo');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists only the steps an edit makes re-run, with the artifact diff, and never a secret', () => {
    expect(run('git', ['clone', '-q', PROJECT_ROOT, repo]).status).toBe(0);
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(repo, 'node_modules'));
    expect(run(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: repo }).status).toBe(0);

    // Unchanged working tree: a no-op.
    const same = run(process.execPath, ['dist/stacks/preview/main.js', '--base=HEAD'], { cwd: repo });
    expect(same.stderr).toBe('');
    expect(same.stdout).toContain('No step would run: `cdktf deploy` of this change is a no-op.');

    // A fourth Pi cell joins the existing instance group: the cells manifest changes, nothing else does.
    const lab = join(repo, 'lab.yaml');
    const text = readFileSync(lab, 'utf8');
    const cell3 = text.split('\n').find((l) => l.includes('name: rpi-cell-3'));
    expect(cell3).toBeDefined();
    writeFileSync(lab, `${text.trimEnd()}\n${cell3!.replace('rpi-cell-3', 'rpi-cell-4').replace('192.168.50.23', '192.168.50.24')}\n`);
    const secret = 'preview-e2e-secret-value';
    const out = join(dir, 'comment.md');
    const edited = run(process.execPath, ['dist/stacks/preview/main.js', '--base=HEAD', `--out=${out}`], { cwd: repo, env: { BOSH_CLIENT_SECRET: secret } });
    expect(edited.status).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toBe(edited.stdout);
    const table = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(table).toEqual(['| `lab-bosh-deploy-cells` | reruns | inputs changed: bosh/cells/manifest.yml |']);
    expect(md).toMatch(/1 of \d+ steps would run on `cdktf deploy`/);
    expect(md).toContain('- `bosh/cells/manifest.yml` changed');
    expect(md).toMatch(/^\+ +- 192\.168\.50\.24$/m);
    expect(md).not.toContain(secret);
  }, 180_000);
});
