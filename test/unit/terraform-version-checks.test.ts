import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, DataResource, TerraformStack } from 'cdktf';
import { dropTerraformVersionChecks } from '../../stacks/terraform-version-checks';
import { PROJECT_ROOT } from '../support/lab-files';

describe("synth without cdktf's per-resource `terraform version` checks", () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'se-tfcheck-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('drops exactly those checks and keeps every other validation', () => {
    const app = new App({ outdir: fresh() });
    const stack = new TerraformStack(app, 's');
    new DataResource(stack, 'a', { input: { v: 'a' } });
    new DataResource(stack, 'b', { input: { v: 'b' } });
    stack.node.addValidation({ validate: () => ['kept validation ran'] });
    expect(dropTerraformVersionChecks(app)).toBe(2);
    expect(() => app.synth()).toThrow(/kept validation ran/);
  });

  it('lets the whole lab synthesize on a machine without terraform', () => {
    // A child process: cdktf's checks spawn through node's own child_process, which reads the real
    // environment, not the copy jest gives a test.
    const out = join(fresh(), 'cdktf.out');
    const res = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'stacks/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PATH: '/nonexistent', CDKTF_OUTDIR: out },
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(existsSync(join(out, 'stacks', 'lab', 'plan.json'))).toBe(true);
  }, 120_000);
});
