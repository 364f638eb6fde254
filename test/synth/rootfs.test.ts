import type { StackSpec } from '../../lab/model';
import { Testing } from 'cdktf';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { packageList, rootfsLab, rootfsLock, rpifsStack } from '../fixtures/rootfs/lab';
import { synthRootfs, type RootfsSynth } from '../fixtures/rootfs/synth';

const WITH_PROVIDER = rootfsLock();
const withProvider = { ...WITH_PROVIDER, tools: { 'terraform-provider-docker': '3.6.2' } };

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
    const build = image.build as { build_args: Record<string, string>; tag: string[] };
    expect(build.build_args.BASE_IMAGE).toMatch(/^stack-elevator\/base-bookworm-armhf:[0-9a-f]{16}$/);
    expect(build.tag).toEqual([image.name]);
  });

  it('wires the plan steps build -> export -> create-release, with the image between build and export', () => {
    const build = stepNamed(s, 'rootfs-rpifs-build');
    const exp = stepNamed(s, 'rootfs-rpifs-export');
    const rel = stepNamed(s, 'rootfs-release-rpifs-create');
    const order = s.plan.map((p) => p.id);
    expect(order.indexOf(build.id)).toBeLessThan(order.indexOf(exp.id));
    expect(order.indexOf(exp.id)).toBeLessThan(order.indexOf(rel.id));
    expect(exp.after).toEqual([build.id]);
    expect(rel.after).toEqual([exp.id]);
    expect([build.script, exp.script, rel.script]).toEqual(['build-rootfs', 'export-rootfs', 'create-release']);

    // The same order in Terraform's graph: depends_on of each terraform_data, image in between.
    const data = tf(s).resource.terraform_data;
    const imageKey = Object.keys(tf(s).resource.docker_image)[0];
    const dependsOf = (out: string) => Object.values(data).find((r) => (r.input as { out: string }).out === out)?.depends_on as string[];
    expect(dependsOf(exp.out)).toHaveLength(2);
    expect(dependsOf(exp.out)).toContain(`docker_image.${imageKey}`);
    expect(dependsOf(exp.out)).toContainEqual(expect.stringMatching(/^terraform_data\..*build.*/));
    expect(dependsOf(rel.out)).toEqual([expect.stringMatching(/^terraform_data\..*export.*/)]);
    expect(tf(s).resource.docker_image[imageKey].depends_on).toEqual([expect.stringMatching(/^terraform_data\..*build.*/)]);
  });

  it('passes each step what it needs, by relative paths only', () => {
    const build = stepNamed(s, 'rootfs-rpifs-build');
    const exp = stepNamed(s, 'rootfs-rpifs-export');
    const rel = stepNamed(s, 'rootfs-release-rpifs-create');
    expect(build.args).toMatchObject({ context: 'rootfs/rpifs/image', platform: 'linux/arm/v7', network: 'host', stack: 'rpifs' });
    expect(build.needs).toEqual(['docker', 'mmdebstrap', 'qemu']);
    expect(build.inputs).toEqual(['rootfs/rpifs/image']);
    expect(exp.args.image).toBe(build.args.tag);
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
    const two = (rpifs: Partial<StackSpec> = {}) => trig(synthRootfs(rootfsLab([rpifsStack(rpifs), rpifsStack({ name: 'other', arch: 'arm64' })]), withProvider));
    const base = two();
    const chain = ['rootfs-rpifs-build', 'rootfs-rpifs-export', 'rootfs-release-rpifs-create'];
    const others = Object.keys(base).filter((id) => !chain.includes(id));
    expect(Object.keys(base).filter((id) => chain.includes(id))).toEqual(chain);
    expect(others).toHaveLength(3);
    const changed = (t: Record<string, string>) => Object.keys(base).filter((id) => t[id] !== base[id]);

    // a package list feeds the image build: the whole chain of that stack re-runs, the other stack's nothing
    expect(changed(two({ packages: [...rpifsStack().packages, 'git'].sort() }))).toEqual(chain);
    // and a change that reaches no step (the description is the Cloud Controller's) re-runs nothing
    expect(changed(two({ description: 'another description' }))).toEqual([]);
  });

  it('targets linux/arm64 for an arm64 stack', () => {
    const arm64 = synthRootfs(rootfsLab([rpifsStack({ name: 'rpifs64', arch: 'arm64' })]), withProvider);
    expect(Testing.toHaveResourceWithProperties(arm64.json, Image.tfResourceType, { build: { platform: 'linux/arm64' } })).toBe(true);
    expect(Testing.toHaveResourceWithProperties(arm64.json, Image.tfResourceType, { build: { platform: 'linux/arm/v7' } })).toBe(false);
    expect(stepNamed(arm64, 'rootfs-rpifs64-build').args.platform).toBe('linux/arm64');
  });

  it('leaves the docker provider out when the lock does not pin it, so terraform init works offline', () => {
    const offline = synthRootfs(rootfsLab(), WITH_PROVIDER);
    expect(Testing.toHaveResource(offline.json, Image.tfResourceType)).toBe(false);
    expect(Testing.toHaveProvider(offline.json, DockerProvider.tfResourceType)).toBe(false);
    expect(offline.plan.map((p) => p.script)).toEqual(['build-rootfs', 'export-rootfs', 'create-release']);
    expect(stepNamed(offline, 'rootfs-rpifs-export').after).toEqual([stepNamed(offline, 'rootfs-rpifs-build').id]);
  });
});
