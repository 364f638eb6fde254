import { run } from '../support/run';

describe('the real toolchain installed by npm run setup', () => {
  it('has a bosh CLI that runs', () => {
    const res = run('bosh', ['--version']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^version /);
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
