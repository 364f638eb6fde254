import { LabError } from '../../lab/errors';
import type { LabLock } from '../../lab/lock';
import { defaultLifecycleBundle } from '../../lab/model';
import { artifactText, synthDiego } from '../support/diego-stack';
import { replaceOnce, writeLab } from '../support/lab-files';

const CP_STEP = 'lab-diegocontrolplane-createrelease';
const CELL_STEP = 'lab-diegocell-armhf-createrelease';

describe('Diego variants in the lab synth', () => {
  const first = synthDiego();

  it('names both releases after the lab, never `diego`, with a version derived from the upstream pin', () => {
    const { part } = first;
    expect(part.controlPlane.releaseName).toBe('diego-pi-lab-cp');
    expect(part.cell.releaseName).toBe('diego-pi-lab-cell-armhf');
    for (const v of [part.controlPlane.version, part.cell.version]) expect(v).toMatch(/^2\.105\.0\+arm\.[0-9a-f]{12}$/);
    expect(part.controlPlane.version).not.toBe(part.cell.version);
    expect([...part.cellByArch.keys()]).toEqual(['armhf']);
    expect(part.cell).toMatchObject({ arch: 'armhf', target: { goos: 'linux', goarch: 'arm', goarm: 7 }, compile: 'cross-x86', jobs: ['rep', 'route_emitter'] });
  });

  it('serves exactly the bundle path the lab stack declares', () => {
    const { part, lab } = first;
    expect(part.controlPlane.servedBundles).toEqual(['buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz']);
    expect(part.controlPlane.servedBundles).toEqual(lab.stacks.map((s) => s.lifecycleBundle));
    expect(part.controlPlane.bundleByArch.get('armhf')).toBe(defaultLifecycleBundle('armhf'));
  });

  it('renders the overlays as data: add the ARM packages, patch file_server, rename', () => {
    const cp = JSON.parse(artifactText(first.store, 'diego/control-plane/overlay.json'));
    expect(cp).toEqual({
      format: 1,
      variant: 'control-plane',
      upstream: { release: 'diego-release', version: 'v2.105.0', repo: 'https://github.com/cloudfoundry/diego-release' },
      release: { name: 'diego-pi-lab-cp', version: first.part.controlPlane.version },
      edits: [
        { op: 'set-final-name', name: 'diego-pi-lab-cp' },
        { op: 'add-package', name: 'buildpack_app_lifecycle_armhf', from: 'bosh-packages/armhf/buildpack_app_lifecycle_armhf' },
        { op: 'add-package', name: 'diego-sshd_armhf', from: 'bosh-packages/armhf/diego-sshd_armhf' },
        { op: 'add-package', name: 'healthcheck_armhf', from: 'bosh-packages/armhf/healthcheck_armhf' },
        { op: 'patch-job-spec', job: 'file_server', addPackages: ['buildpack_app_lifecycle_armhf', 'diego-sshd_armhf', 'healthcheck_armhf'] },
      ],
    });
    const cell = JSON.parse(artifactText(first.store, 'diego/cell-armhf/overlay.json'));
    expect(cell.edits.map((e: { op: string; package?: string }) => e.package ?? e.op)).toEqual([
      'set-final-name',
      'drop-job-packages',
      'keep-jobs',
      'certsplitter',
      'healthcheck',
      'rep',
      'route_emitter',
      'check-go-retargeted',
    ]);
    expect(artifactText(first.store, 'diego/cell-armhf/packaging/rep')).toContain('export GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0');
  });

  it('plans one create-release step per release, on the fixture upstream, neither waiting on a build it does not consume', () => {
    const cp = first.steps.find((s) => s.id === CP_STEP);
    const cell = first.steps.find((s) => s.id === CELL_STEP);
    expect(cp).toBeDefined();
    expect(cell).toBeDefined();
    for (const s of [cp!, cell!]) {
      expect(s.script).toBe('create-release');
      expect(s.needs).toEqual(['bosh']);
      expect(s.args['upstream-fixture']).toBe('{root}/../shared/fixtures/upstream/diego-release-v2.105.0');
      expect(s.command).toMatch(/ --upstream-fixture=(\.\.\/)+\.\.\/shared\/fixtures\/upstream\/diego-release-v2\.105\.0( |$)/);
    }
    expect(cp!.args).toMatchObject({ name: 'diego-pi-lab-cp', version: first.part.controlPlane.version, overlay: 'artifacts/diego/control-plane/overlay.json' });
    expect(cp!.inputs).toEqual(['bosh-packages/armhf/buildpack_app_lifecycle_armhf', 'bosh-packages/armhf/diego-sshd_armhf', 'bosh-packages/armhf/healthcheck_armhf', 'diego/control-plane/overlay.json']);
    expect(cp!.after).toEqual([]);
    expect(cell!.after).toEqual([]);
  });

  it('is deterministic, and an ARM package change moves only the control-plane release', () => {
    const again = synthDiego();
    expect(again.steps).toEqual(first.steps);
    expect(artifactText(again.store, 'diego/control-plane/overlay.json')).toBe(artifactText(first.store, 'diego/control-plane/overlay.json'));
    const tweaked = synthDiego({ tweakArmPackaging: '# changed\n' });
    expect(tweaked.part.controlPlane.version).not.toBe(first.part.controlPlane.version);
    expect(tweaked.part.cell.version).toBe(first.part.cell.version);
    const trigger = (s: typeof first, id: string) => s.steps.find((x) => x.id === id)!.trigger;
    expect(trigger(tweaked, CP_STEP)).not.toBe(trigger(first, CP_STEP));
    expect(trigger(tweaked, CELL_STEP)).toBe(trigger(first, CELL_STEP));
  });

  it('takes the upstream tree from the upstream dir, from git when that has no tree, or from an explicit checkout', () => {
    // the default synth reads the shared fixtures as its upstream dir: the step gets that tree, relative to the root
    expect(first.steps.find((s) => s.id === CP_STEP)!.args['upstream-fixture']).toBe('{root}/../shared/fixtures/upstream/diego-release-v2.105.0');
    const git = synthDiego({ upstreamDir: '/nonexistent-upstream' });
    const step = git.steps.find((s) => s.id === CP_STEP)!;
    expect(Object.keys(step.args).sort()).toEqual(['name', 'overlay', 'version']);
    const dir = synthDiego({ options: { upstreamTree: { kind: 'dir', dir: 'build/upstream/diego-release-v2.105.0' } } });
    expect(dir.steps.find((s) => s.id === CELL_STEP)!.args.upstream).toBe('{root}/build/upstream/diego-release-v2.105.0');
  });

  it('builds for the lowest GOARM among the armhf cells', () => {
    const lab = writeLab((t) => replaceOnce(t, 'name: rpi-cell-3, arch: armhf, goarm: 7', 'name: rpi-cell-3, arch: armhf, goarm: 6'));
    const s = synthDiego({ labFile: lab });
    expect(s.part.cell.target).toEqual({ goos: 'linux', goarch: 'arm', goarm: 6 });
    expect(artifactText(s.store, 'diego/cell-armhf/packaging/healthcheck')).toContain('GOARCH=arm GOARM=6 CGO_ENABLED=0');
  });

  describe('refuses inconsistent inputs', () => {
    it('a stack lifecycle_bundle the file server would not serve', () => {
      const lab = writeLab((t) => replaceOnce(t, '    locales: [en_US.UTF-8]\n', '    locales: [en_US.UTF-8]\n    lifecycle_bundle: elsewhere/buildpack_app_lifecycle.tgz\n'));
      expect(() => synthDiego({ labFile: lab })).toThrow(LabError);
      expect(() => synthDiego({ labFile: lab })).toThrow(/stacks\[0\]\.lifecycle_bundle: found elsewhere\/buildpack_app_lifecycle\.tgz, expected buildpack_app_lifecycle_armhf\/buildpack_app_lifecycle\.tgz/);
    });

    it('a lab and lock that pin different diego-release versions', () => {
      const edit = (l: LabLock): LabLock => ({ ...l, upstream: { ...l.upstream, 'diego-release': { version: 'v2.106.0' } } });
      expect(() => synthDiego({ editLock: edit })).toThrow(/upstream\.diego_release: found v2\.105\.0, expected v2\.106\.0, the version lab\.lock\.json pins/);
    });

    it('lifecycle packages that leave a cell arch uncovered', () => {
      expect(() => synthDiego({ armArches: ['arm64'] })).toThrow(/no cross-compiled lifecycle packages for cell arch armhf/);
    });
  });
});
