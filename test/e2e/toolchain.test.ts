import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { run } from '../support/run';

const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')) as { tools: Record<string, string> };

describe('the real toolchain installed by npm run setup', () => {
  it('has the pinned bosh CLI', () => {
    const res = run('bosh', ['--version']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe(`version ${lock.tools['bosh-cli'].replace(/^v/, '')}`);
  });

  it('has a docker engine answering', () => {
    const res = run('docker', ['info', '--format', '{{.Driver}}']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('vfs');
  });

  it('has terraform', () => {
    const res = run('terraform', ['version']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Terraform v1\.\d+\.\d+/);
  });

  it('runs ARM binaries through the registered qemu binfmt handlers', () => {
    for (const handler of ['qemu-arm', 'qemu-aarch64']) {
      const res = run('cat', [`/proc/sys/fs/binfmt_misc/${handler}`]);
      expect(res.stdout).toMatch(/^enabled/);
      // F (fix-binary) makes the kernel open the interpreter at registration, so it works inside containers.
      expect(res.stdout).toMatch(/^flags: [A-Z]*F[A-Z]*$/m);
    }
  });
});
