import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { freshCheckout } from '../support/fresh-build';
import { run } from '../support/run';
import { filesContaining, treeDigest } from '../support/tree';

describe('synth of the embedded default lab', () => {
  const temp: string[] = [];
  afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is byte-identical across two synths and across two checkouts, and holds no absolute path', () => {
    const a = freshCheckout();
    const b = freshCheckout();
    temp.push(a, b);
    for (const dir of [a, b, a]) {
      const res = run('node', ['dist/stacks/main.js'], { cwd: dir });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      if (dir === a && !existsSync(join(a, 'first'))) cpSync(join(a, 'cdktf.out'), join(a, 'first'), { recursive: true, dereference: true }); // cdktf.out is a link
    }
    const first = treeDigest(join(a, 'first'));
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['manifest.json', 'stacks/lab/cdk.tf.json', 'stacks/lab/plan.json']));
    expect(treeDigest(join(a, 'cdktf.out'))).toEqual(first);
    expect(treeDigest(join(b, 'cdktf.out'))).toEqual(first);
    // The checkouts' own paths (generic ones like /tmp or /root/.cache appear in the rootfs cleanup
    // script as paths inside the image: content, not leaks).
    for (const needle of [a, b, PROJECT_ROOT]) {
      expect(filesContaining(join(a, 'cdktf.out'), needle)).toEqual([]);
    }
  }, 60_000);

  it('exits non-zero with the error and writes nothing for a bad lab', () => {
    const dir = freshCheckout();
    temp.push(dir);
    const res = run('node', ['dist/stacks/main.js'], { cwd: dir, env: { STACK_ELEVATOR_LAB: 'missing.yaml' } });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^missing\.yaml: \(document\): found no such file, expected a lab YAML file/);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });
});
