import type { StackSpec } from '../../lab/model';
import { Testing } from 'cdktf';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { packageList, rootfsLab, rootfsLock, rpifsStack } from '../fixtures/rootfs/lab';
import { synthRootfs, type RootfsSynth } from '../fixtures/rootfs/synth';

const WITHOUT_PROVIDER = rootfsLock();
const withProvider = { ...WITHOUT_PROVIDER, tools: { 'terraform-provider-docker': '3.6.2' } };

interface TfJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown>;
}

const tf = (s: RootfsSynth): TfJson => JSON.parse(s.json) as TfJson;
const stepNamed = (s: RootfsSynth, suffix: string) => {
  const step = s.plan.find((p) => p.id.endsWith(suffix));
  if (!step) throw new Error(`no plan step ending in ${suffix}: ${s.plan.map((p) => p.id).join(', ')}`);
  return step;
};

describe('rootfs part synth', () => {
  const s = synthRootfs(rootfsLab(), withProvider);

  it('declares a docker_image built for the ARM platform from the rendered context', () => {
    expect(Testing.toHaveProvider(s.json, DockerProvider.tfResourceType)).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(s.json, Image.tfResourceType, {
        keep_locally: true,
        platform: 'linux/arm/v7',
        build: { platform: 'linux/arm/v7', context: 'artifacts/rootfs/rpifs/image', dockerfile: 'Dockerfile', network_mode: 'host' },
      }),
    ).toBe(true);
    const [image] = Object.values(tf(s).resource.docker_image);
    expect(image.name).toMatch(/^stack-elevator\/rpifs:[0-9a-f]{16}$/);
    const build = image.build as { build_args: Record<string, string>; labels: Record<string, string> };
    expect(build.build_args.BASE_IMAGE).toMatch(/^stack-elevator\/base-bookworm-armhf:[0-9a-f]{16}$/);
    // The label carries the same trigger that replaces the image, so the export can check it has this build.
    const trigger = (image.triggers as Record<string, string>).image_trigger;
    expect(trigger).toMatch(/^[0-9a-f]{64}$/);
    expect(build.labels).toEqual({ 'org.stack-elevator.trigger': trigger });
  });

  it('wires base step -> package check -> docker_image -> export -> create-release', () => {
    const base = stepNamed(s, 'rootfs-rpifs-bootstrap');
    const pkgs = stepNamed(s, 'rootfs-rpifs-check');
    const exp = stepNamed(s, 'rootfs-rpifs-export');
    const rel = stepNamed(s, 'rootfs-release-rpifs-create');
    expect(s.plan.map((p) => p.id)).toEqual([base.id, pkgs.id, exp.id, rel.id]);
    expect(pkgs.after).toEqual([base.id]);
    expect(exp.after).toEqual([pkgs.id]);
    expect(rel.after).toEqual([exp.id]);
    expect([base.script, pkgs.script, exp.script, rel.script]).toEqual(['build-rootfs', 'check-rootfs-packages', 'export-rootfs', 'create-release']);

    // The same order in Terraform's graph: depends_on of each terraform_data, image in between.
    const data = tf(s).resource.terraform_data;
    const imageKey = Object.keys(tf(s).resource.docker_image)[0];
    const dependsOf = (out: string) => Object.values(data).find((r) => (r.input as { out: string }).out === out)?.depends_on as string[];
    expect(dependsOf(exp.out)).toHaveLength(2);
    expect(dependsOf(exp.out)).toContain(`docker_image.${imageKey}`);
    expect(dependsOf(exp.out)).toContainEqual(expect.stringMatching(/^terraform_data\..*check.*/));
    expect(dependsOf(pkgs.out)).toEqual([expect.stringMatching(/^terraform_data\..*bootstrap.*/)]);
    expect(dependsOf(rel.out)).toEqual([expect.stringMatching(/^terraform_data\..*export.*/)]);
    expect(tf(s).resource.docker_image[imageKey].depends_on).toEqual([expect.stringMatching(/^terraform_data\..*check.*/)]);
  });

  it('passes each step what it needs, by relative paths only', () => {
    const base = stepNamed(s, 'rootfs-rpifs-bootstrap');
    const exp = stepNamed(s, 'rootfs-rpifs-export');
    const rel = stepNamed(s, 'rootfs-release-rpifs-create');
    const [image] = Object.values(tf(s).resource.docker_image);
    expect(base.args).toEqual({ 'base-only': 'true', context: 'rootfs/rpifs/image', platform: 'linux/arm/v7', 'source-date-epoch': '1747699200', stack: 'rpifs' });
    expect(base.needs).toEqual(['docker', 'mmdebstrap', 'qemu']);
    // Only the recipe: a package list edit must not bootstrap the base again.
    expect(base.inputs).toEqual(['rootfs/rpifs/image/base.json']);
    expect(stepNamed(s, 'rootfs-rpifs-check').inputs).toEqual(['rootfs/rpifs/image/packages.txt']);
    expect(exp.args.image).toBe(image.name);
    expect(exp.args['image-trigger']).toBe((image.triggers as Record<string, string>).image_trigger);
    expect(rel.args).toMatchObject({ name: 'rpifs', 'release-dir': 'artifacts/rootfs/rpifs/release', blob: `{root}/${exp.out}/rootfs.tgz:rootfs/rpifs-${rel.args.version}.tar.gz` });
    expect(rel.args.version).toMatch(/^0\.1\.0\+dev\.[0-9a-f]{12}$/);
    expect(s.json).not.toMatch(/"\/(work|home|tmp|root)\//);
    for (const [, a] of s.artifacts.all()) expect(a.content.toString()).not.toMatch(/deb\.debian\.org|http:\/\//);
  });

  it('hands the manifests part the release it creates', () => {
    const part = s.parts.get('rpifs');
    expect(part).toMatchObject({ stack: 'rpifs', releaseName: 'rpifs', setupJob: 'rpifs-rootfs-setup', certsProperty: 'rpifs-rootfs.trusted_certs' });
    expect(part?.version).toBe(stepNamed(s, 'rootfs-release-rpifs-create').args.version);
    expect(part?.releaseTarball).toBe(`${part?.releaseStep.outDir}/rpifs-${part?.version}.tgz`);
  });

  it('renders the lab package list into the context, pinned by the lock when it says so', () => {
    const pkgs = (x: RootfsSynth) => x.artifacts.filesUnder('rootfs/rpifs/image/packages.txt')[0][1].content.toString().trim().split('\n');
    expect(pkgs(s)).toEqual(packageList('packages/rpifs-ci.txt'));
    const pinned = synthRootfs(rootfsLab(), rootfsLock({ rpifs: { packages: { bash: '5.2.15-2+b13' } } }));
    expect(pkgs(pinned)).toContain('bash=5.2.15-2+b13');
  });

  it('is deterministic, and a change reaches exactly the steps downstream of it', () => {
    const again = synthRootfs(rootfsLab(), withProvider);
    expect(again.json).toBe(s.json);
    expect(again.artifacts.digest(['rootfs'])).toBe(s.artifacts.digest(['rootfs']));

    const trig = (x: RootfsSynth) => Object.fromEntries(x.plan.map((p) => [p.id.replace(/^lab-/, ''), p.trigger]));
    const two = (rpifs: Partial<StackSpec> = {}) => synthRootfs(rootfsLab([rpifsStack(rpifs), rpifsStack({ name: 'other', arch: 'arm64' })]), withProvider);
    const imageTriggers = (x: RootfsSynth) =>
      Object.values(tf(x).resource.docker_image).map((r) => (r.triggers as Record<string, string>).image_trigger);
    const baseSynth = two();
    const base = trig(baseSynth);
    // with the provider the base bootstrap is its own step: a package list never reaches it
    const chain = ['rootfs-rpifs-check', 'rootfs-rpifs-export', 'rootfs-release-rpifs-create'];
    expect(Object.keys(base)).toEqual(expect.arrayContaining(['rootfs-rpifs-bootstrap', ...chain]));
    const changed = (t: Record<string, string>) => Object.keys(base).filter((id) => t[id] !== base[id]);

    // a package list feeds the image build: that stack's image and what consumes it re-run, the other stack's nothing
    const more = two({ packages: [...rpifsStack().packages, 'git'].sort() });
    expect(changed(trig(more))).toEqual(chain);
    const [img0, img1] = [imageTriggers(baseSynth), imageTriggers(more)];
    expect(img1.filter((t) => !img0.includes(t))).toHaveLength(1);
    // and a change that reaches no step (the description is the Cloud Controller's) re-runs nothing
    expect(changed(trig(two({ description: 'another description' })))).toEqual([]);
  });

  it('targets linux/arm64 for an arm64 stack', () => {
    const arm64 = synthRootfs(rootfsLab([rpifsStack({ name: 'rpifs64', arch: 'arm64' })]), withProvider);
    expect(Testing.toHaveResourceWithProperties(arm64.json, Image.tfResourceType, { build: { platform: 'linux/arm64' } })).toBe(true);
    expect(Testing.toHaveResourceWithProperties(arm64.json, Image.tfResourceType, { build: { platform: 'linux/arm/v7' } })).toBe(false);
    expect(stepNamed(arm64, 'rootfs-rpifs64-bootstrap').args.platform).toBe('linux/arm64');
  });

  it('leaves the docker provider out when the lock does not pin it, so terraform init works offline', () => {
    const offline = synthRootfs(rootfsLab(), WITHOUT_PROVIDER);
    expect(Testing.toHaveResource(offline.json, Image.tfResourceType)).toBe(false);
    expect(Testing.toHaveProvider(offline.json, DockerProvider.tfResourceType)).toBe(false);
    expect(offline.plan.map((p) => p.script)).toEqual(['build-rootfs', 'export-rootfs', 'create-release']);
    expect(stepNamed(offline, 'rootfs-rpifs-export').after).toEqual([stepNamed(offline, 'rootfs-rpifs-build').id]);
  });
});
