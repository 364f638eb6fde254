import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_TRIGGER_LABEL } from '../../constructs/rootfs/rootfs-image';
import { PROJECT_ROOT, rootfsLab, rootfsLock, rpifsStack } from '../fixtures/rootfs/lab';
import { synthRootfs, writeRootfsStack, type RootfsSynth } from '../fixtures/rootfs/synth';
import { outcome, run, type RunResult } from '../support/run';
import { listTar } from '../support/tar-list';

// The rootfs image as a docker_image of kreuzwerker/docker, built by the provider at `terraform apply`:
// terraform init installs the provider from the implied local mirror npm run setup fills (the registry
// is not reachable here), the image is armhf, a second apply changes nothing, a package list edit
// replaces the image and re-runs only the steps after it, and a package that does not exist fails the
// apply naming it (the package check step, before the image) while the base is never redone. A short
// package list keeps qemu brief.
jest.setTimeout(60 * 60_000);

const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lab.lock.json'), 'utf8')) as { tools: Record<string, string> };
const providerLock = { ...rootfsLock(), tools: { 'terraform-provider-docker': lock.tools['terraform-provider-docker'] } };
const DIR = join(PROJECT_ROOT, 'build', 'e2e-docker-image');
const STEPS_LOG = join(PROJECT_ROOT, 'build', 'steps.log');
const PACKAGES = ['bash', 'locales'];

function stackAt(name: string, packages: string[]): { dir: string; s: RootfsSynth } {
  const dir = join(DIR, name, 'stacks', 'lab');
  mkdirSync(dir, { recursive: true });
  const s = synthRootfs(rootfsLab([rpifsStack({ packages: [...packages].sort() })]), providerLock, dir);
  writeRootfsStack(s, dir);
  writeFileSync(join(dir, 'cdk.tf.json'), s.json);
  return { dir, s };
}

function terraform(dir: string, ...args: string[]): RunResult & { ran: string[] } {
  const before = existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8').length : 0;
  const res = run('terraform', [...args, '-input=false', '-no-color'], { cwd: dir, env: { CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' }, timeoutMs: 60 * 60_000 });
  const ran = existsSync(STEPS_LOG) ? readFileSync(STEPS_LOG, 'utf8').slice(before).split('\n').filter(Boolean).map((l) => l.split(' ')[0]) : [];
  return { ...res, ran };
}

const imageOf = (s: RootfsSynth) => {
  const tf = JSON.parse(s.json) as { resource: { docker_image: Record<string, { name: string; triggers: { image_trigger: string } }> } };
  return Object.values(tf.resource.docker_image)[0];
};
const stepId = (s: RootfsSynth, suffix: string) => s.plan.find((p) => p.id.endsWith(suffix))!.id;
const inspect = (tag: string, format: string) => run('docker', ['image', 'inspect', '--format', format, tag]).stdout.trim();

describe('the rootfs docker_image through the kreuzwerker/docker provider', () => {
  beforeAll(() => rmSync(DIR, { recursive: true, force: true }));

  it('init offline from the mirror, apply builds armhf, no changes next time, a package edit replaces only the image and what follows', () => {
    const { dir, s } = stackAt('main', PACKAGES);
    const init = terraform(dir, 'init');
    expect(outcome(init)).toEqual({ status: 0, tail: '' });
    expect(init.stdout).toMatch(/Installed kreuzwerker\/docker v3\.6\.2 \(unauthenticated\)/);
    expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toMatch(/provider "registry\.terraform\.io\/kreuzwerker\/docker" \{\n\s+version\s+= "3\.6\.2"[\s\S]*h1:/);

    const first = terraform(dir, 'apply', '-auto-approve');
    if (first.status !== 0) throw new Error(`apply failed:\n${first.stdout.slice(-3000)}\n${first.stderr.slice(-3000)}`);
    expect(first.stdout).toMatch(/docker_image\.[\w-]+: Creation complete/);
    const image = imageOf(s);
    expect(inspect(image.name, '{{.Os}}/{{.Architecture}}/{{.Variant}}')).toBe('linux/arm/v7');
    expect(inspect(image.name, `{{index .Config.Labels "${IMAGE_TRIGGER_LABEL}"}}`)).toBe(image.triggers.image_trigger);
    expect(first.ran).toEqual([stepId(s, '-bootstrap'), stepId(s, '-check'), stepId(s, '-export'), stepId(s, '-create')]);
    const exported = s.plan.find((p) => p.id.endsWith('-export'))!;
    const rows = listTar(join(PROJECT_ROOT, exported.out, 'rootfs.tgz'));
    expect(rows.find((r) => r.path === 'home/vcap/app/')).toMatchObject({ uid: 2000, gid: 2000 });
    expect(rows.find((r) => r.path === 'usr/bin/bash')).toBeDefined();

    const second = terraform(dir, 'apply', '-auto-approve');
    expect(outcome(second)).toEqual({ status: 0, tail: '' });
    expect(second.stdout).toMatch(/No changes\./);
    expect(second.ran).toEqual([]);

    const edited = stackAt('main', [...PACKAGES, 'netbase']).s;
    const third = terraform(dir, 'apply', '-auto-approve');
    if (third.status !== 0) throw new Error(`apply after the edit failed:\n${third.stdout.slice(-3000)}\n${third.stderr.slice(-3000)}`);
    expect(imageOf(edited).name).not.toBe(image.name);
    expect(third.stdout).toMatch(/docker_image\.[\w-]+ must be replaced/);
    expect(third.ran).toEqual([stepId(edited, '-check'), stepId(edited, '-export'), stepId(edited, '-create')]);
    expect(inspect(imageOf(edited).name, `{{index .Config.Labels "${IMAGE_TRIGGER_LABEL}"}}`)).toBe(imageOf(edited).triggers.image_trigger);
  });

  it('a package that does not exist fails the apply naming it before the image build; the next apply does not redo the base', () => {
    const { dir, s } = stackAt('bad', [...PACKAGES, 'stack-elevator-no-such-package']);
    expect(terraform(dir, 'init').status).toBe(0);
    const failed = terraform(dir, 'apply', '-auto-approve');
    expect(failed.status).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/rootfs\/rpifs\/image\/packages\.txt: package stack-elevator-no-such-package not found in the base suite/);
    expect(failed.ran).toEqual([stepId(s, '-bootstrap'), stepId(s, '-check')]);
    expect(run('docker', ['image', 'inspect', imageOf(s).name]).status).not.toBe(0);

    const plan = terraform(dir, 'plan');
    expect(plan.stdout).toMatch(/docker_image\.[\w-]+ will be created/);
    expect(plan.stdout).not.toMatch(/terraform_data\.[\w-]*base[\w-]* (will be created|must be replaced)/);
    const retry = terraform(dir, 'apply', '-auto-approve');
    expect(retry.status).not.toBe(0);
    expect(retry.ran).toEqual([stepId(s, '-check')]);
    expect(retry.stdout + retry.stderr).toMatch(/package stack-elevator-no-such-package not found in the base suite/);
  });
});
