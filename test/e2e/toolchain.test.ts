import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')) as { tools: Record<string, string> };

describe('the real toolchain installed by npm run setup', () => {
  it('has the pinned bosh CLI', () => {
    const res = run('bosh', ['--version']);
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    expect(res.stdout.trim()).toBe(`version ${lock.tools['bosh-cli'].replace(/^v/, '')}`);
  });

  it('has a docker engine answering', () => {
    const res = run('docker', ['info', '--format', '{{.Driver}}']);
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
    expect(res.stdout.trim()).toBe('vfs');
  });

  it('has terraform', () => {
    const res = run('terraform', ['version']);
    expect(outcome(res)).toEqual({ status: 0, tail: '' });
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

describe('an armhf container from an mmdebstrap base', () => {
  it('runs under qemu and reports armv7l', () => {
    // The default lab's own base recipe, so the bootstrapped tarball is the one its rootfs build reuses.
    const out = mkdtempSync(join(tmpdir(), 'se-armv7-'));
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir: join(out, 'cdktf.out'), artifactsOnly: true });
    const build = (JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps as PlannedStep[]).find((s) => s.script === 'build-rootfs');
    expect(build).toBeDefined();
    const recipeFile = join(res.stackDir, 'artifacts', build!.args.context, 'base.json');
    const script = `
      import { readFileSync } from 'node:fs';
      import { ensureBaseImage } from './pipelines/lib/rootfs/rootfs-base.mjs';
      const recipe = JSON.parse(readFileSync(process.argv[1], 'utf8'));
      const base = await ensureBaseImage({ recipe, epoch: Number(process.argv[2]), root: process.cwd(), log: () => {} });
      process.stdout.write(base.tag);`;
    const image = run('node', ['--input-type=module', '-e', script, recipeFile, build!.args['source-date-epoch']], { timeoutMs: 15 * 60_000 });
    expect(image.stderr).toBe('');
    expect(outcome(image)).toEqual({ status: 0, tail: '' });
    const uname = run('docker', ['run', '--rm', '--platform', 'linux/arm/v7', '--network', 'none', image.stdout, 'sh', '-c', 'uname -m; dpkg --print-architecture']);
    expect(uname.stdout.split('\n').slice(0, 2)).toEqual(['armv7l', 'armhf']);
    rmSync(out, { recursive: true, force: true });
  }, 20 * 60_000);
});
