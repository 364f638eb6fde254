import { LabError } from '../../lab/errors';
import type { LabLock } from '../../lab/lock';
import { defaultLifecycleBundle } from '../../lab/model';
import { artifactText, synthDiego } from '../support/diego-stack';
import { PROJECT_ROOT, replaceOnce, writeLab } from '../support/lab-files';
import { join } from 'node:path';

const CP_STEP = 'lab-diego-controlplane-create';
const CELL_STEP = 'lab-diego-cell-armhf-create';

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
      upstream: {
        release: 'diego-release',
        version: 'v2.105.0',
        repo: 'https://github.com/cloudfoundry/diego-release',
        sha: '65555438dad835c7bd39ce2a2e15c2285ff6622a',
        tarballSha256: '141e7f11f315577046de6fb7a3f9bbd08d7726439fa465b27e9533b47ef676fd',
        submodules: expect.objectContaining({ healthcheck: 'f9213fb873679a5f3fb0a3ec729224e29795e6da', rep: '979b574f370fd194df76e357130352291b4956a4' }),
      },
      release: { name: 'diego-pi-lab-cp', version: first.part.controlPlane.version },
      edits: [
        { op: 'set-final-name', name: 'diego-pi-lab-cp' },
        { op: 'add-package', name: 'buildpack_app_lifecycle_armhf', from: 'diego/control-plane/packages/buildpack_app_lifecycle_armhf' },
        { op: 'add-package', name: 'diego-sshd_armhf', from: 'diego/control-plane/packages/diego-sshd_armhf' },
        { op: 'add-package', name: 'healthcheck_armhf', from: 'diego/control-plane/packages/healthcheck_armhf' },
        { op: 'patch-job-spec', job: 'file_server', addPackages: ['buildpack_app_lifecycle_armhf', 'diego-sshd_armhf', 'healthcheck_armhf'] },
      ],
    });
    const cell = JSON.parse(artifactText(first.store, 'diego/cell-armhf/overlay.json'));
    expect(cell.edits.map((e: { op: string; package?: string }) => e.package ?? e.op)).toEqual([
      'set-final-name',
      'apply-patch',
      'drop-job-packages',
      'keep-jobs',
      'certsplitter',
      'healthcheck',
      'rep',
      'route_emitter',
      'check-go-retargeted',
    ]);
    // the fidelity gate's finding, fixed in the variant with upstream file:line and why (docs/fidelity.md)
    expect(cell.edits[1]).toMatchObject({ op: 'apply-patch', patch: 'diego/cell-armhf/patches/01-rep-process-index-64bit.patch', upstreamRef: expect.stringMatching(/rep\/conversion_helpers\.go:46$/) });
    const rep = artifactText(first.store, 'diego/cell-armhf/packaging/rep');
    expect(rep).toContain('export GOOS=linux\nexport GOARCH=arm\nexport GOARM=7\nexport CGO_ENABLED=0\n');
    // Each binary is judged by its ELF header where upstream's job templates run it (constructs/golang's one check).
    expect(rep).toContain('check_elf() {\n');
    expect(rep).toContain('check_elf "${BOSH_INSTALL_TARGET}"/bin/gocurl\ncheck_elf "${BOSH_INSTALL_TARGET}"/bin/rep\n');
    expect(artifactText(first.store, 'diego/cell-armhf/packaging/healthcheck')).toContain('check_elf "${BOSH_INSTALL_TARGET}"/healthcheck\n');
  });

  it('makes the control-plane ARM packages install the tested binaries from blobs: nothing to compile on the director', () => {
    expect(artifactText(first.store, 'diego/control-plane/packages/healthcheck_armhf/spec')).toBe(
      '---\nname: healthcheck_armhf\n\ndependencies:\n\nfiles:\n  - arm/armhf/healthcheck_armhf/healthcheck\n',
    );
    const packaging = artifactText(first.store, 'diego/control-plane/packages/buildpack_app_lifecycle_armhf/packaging');
    expect(packaging).toContain('install -m 0755 arm/armhf/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz "${BOSH_INSTALL_TARGET}/buildpack_app_lifecycle.tgz"');
    expect(packaging).not.toMatch(/go build/);
  });

  it('plans one create-release step per release on the pinned tree; the control plane waits on the builds it carries', () => {
    const cp = first.steps.find((s) => s.id === CP_STEP);
    const cell = first.steps.find((s) => s.id === CELL_STEP);
    expect(cp).toBeDefined();
    expect(cell).toBeDefined();
    for (const s of [cp!, cell!]) {
      expect(s.script).toBe('create-release');
      expect(s.needs).toEqual(['bosh']);
      expect(s.args['upstream-dir']).toBe('{root}/../shared/fixtures/upstream');
      expect(s.args['upstream-fixture']).toBeUndefined();
      expect(s.command).toMatch(/ --upstream-dir=(\.\.\/)+\.\.\/shared\/fixtures\/upstream( |$)/);
    }
    expect(cp!.args).toMatchObject({ name: 'diego-pi-lab-cp', version: first.part.controlPlane.version, overlay: 'artifacts/diego/control-plane/overlay.json' });
    const built = first.steps.find((s) => s.id === 'lab-crosscompile-armhf')!;
    expect(cp!.args.blob!.split(',')).toEqual([
      `{root}/${built.out}/packages/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz:arm/armhf/buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz`,
      `{root}/${built.out}/packages/diego-sshd_armhf/diego-sshd:arm/armhf/diego-sshd_armhf/diego-sshd`,
      `{root}/${built.out}/packages/healthcheck_armhf/healthcheck:arm/armhf/healthcheck_armhf/healthcheck`,
    ]);
    expect(cp!.inputs).toEqual(['diego/control-plane/overlay.json', 'diego/control-plane/packages/buildpack_app_lifecycle_armhf', 'diego/control-plane/packages/diego-sshd_armhf', 'diego/control-plane/packages/healthcheck_armhf']);
    expect(cp!.after).toEqual(['lab-crosscompile-armhf']);
    expect(cp!.provides).toEqual({ 'diego-control-plane-release': `diego-pi-lab-cp-${first.part.controlPlane.version}.tgz` });
    expect(cell!.after).toEqual([]);
    expect(cell!.provides).toEqual({ 'diego-cell-release/armhf': `diego-pi-lab-cell-armhf-${first.part.cell.version}.tgz` });
  });

  it('is deterministic, and a rebuilt ARM package moves only the control-plane release', () => {
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

  it('keeps every trigger when the upstream directory sits elsewhere, and moves them when the pinned tarball changes', () => {
    // where the tree lies is no input (a checkout elsewhere, a preview's base in a cache dir): same triggers
    const elsewhere = synthDiego({ realLifecycle: true, upstreamDir: join(PROJECT_ROOT, 'no-such-upstream') });
    const here = synthDiego({ realLifecycle: true });
    const triggers = (s: typeof first) => Object.fromEntries(s.steps.map((x) => [x.id, x.trigger]));
    expect(elsewhere.steps.find((x) => x.id === CP_STEP)!.args['upstream-dir']).not.toBe(here.steps.find((x) => x.id === CP_STEP)!.args['upstream-dir']);
    expect(triggers(elsewhere)).toEqual(triggers(here));
    // what the tree is stays an input: another tarball sha256 in the lock re-runs the builds and both releases
    const otherTarball = synthDiego({
      realLifecycle: true,
      editLock: (l) => ({ ...l, upstream: { ...l.upstream, 'diego-release': { ...l.upstream['diego-release']!, tarballSha256: 'f'.repeat(64) } } }),
    });
    const moved = Object.entries(triggers(otherTarball)).filter(([id, t]) => triggers(here)[id] !== t).map(([id]) => id);
    expect(moved).toEqual(expect.arrayContaining([CP_STEP, CELL_STEP, 'lab-lifecycle-armhf-bundle-compile']));
  });

  it('leaves the choice of tree to the step (it needs no tree at synth); an explicit checkout or spec-only fixture only when asked', () => {
    const none = synthDiego({ upstreamDir: join(PROJECT_ROOT, 'no-such-upstream') });
    const step = none.steps.find((s) => s.id === CP_STEP)!;
    expect(Object.keys(step.args).sort()).toEqual(['blob', 'name', 'overlay', 'upstream-dir', 'version']);
    expect(step.args['upstream-dir']).toBe('{root}/no-such-upstream');
    expect(none.part.controlPlane.version).toBe(first.part.controlPlane.version);
    const dir = synthDiego({ options: { upstreamTree: { kind: 'dir', dir: 'build/upstream/diego-release-v2.105.0' } } });
    expect(dir.steps.find((s) => s.id === CELL_STEP)!.args.upstream).toBe('{root}/build/upstream/diego-release-v2.105.0');
    const specOnly = synthDiego({ options: { upstreamTree: { kind: 'fixture', dir: '../shared/fixtures/upstream/diego-release-v2.105.0' } } });
    expect(specOnly.steps.find((s) => s.id === CELL_STEP)!.args['upstream-fixture']).toBe('{root}/../shared/fixtures/upstream/diego-release-v2.105.0');
  });

  it('builds for the lowest GOARM among the armhf cells', () => {
    const lab = writeLab((t) => replaceOnce(t, 'name: rpi-cell-3, arch: armhf, goarm: 7', 'name: rpi-cell-3, arch: armhf, goarm: 6'));
    const s = synthDiego({ labFile: lab });
    expect(s.part.cell.target).toEqual({ goos: 'linux', goarch: 'arm', goarm: 6 });
    expect(artifactText(s.store, 'diego/cell-armhf/packaging/healthcheck')).toContain('export GOARCH=arm\nexport GOARM=6\nexport CGO_ENABLED=0\n');
  });

  describe('refuses inconsistent inputs', () => {
    it('a stack lifecycle_bundle the file server would not serve', () => {
      const lab = writeLab((t) => replaceOnce(t, '    locales: [en_US.UTF-8]\n', '    locales: [en_US.UTF-8]\n    lifecycle_bundle: elsewhere/buildpack_app_lifecycle.tgz\n'));
      expect(() => synthDiego({ labFile: lab })).toThrow(LabError);
      expect(() => synthDiego({ labFile: lab })).toThrow(/stacks\[0\]\.lifecycle_bundle: found elsewhere\/buildpack_app_lifecycle\.tgz, expected buildpack_app_lifecycle_armhf\/buildpack_app_lifecycle\.tgz/);
    });

    it('a lock that pins another diego-release than cf-deployment deploys', () => {
      const edit = (l: LabLock): LabLock => ({ ...l, upstream: { ...l.upstream, 'diego-release': { version: 'v2.106.0' } } });
      expect(() => synthDiego({ editLock: edit })).toThrow(
        /lab\.lock\.json: upstream\.diego-release\.version: found v2\.106\.0, expected v2\.105\.0, the diego release cf-deployment v44\.8\.0 \(constructs\/cf\/profiles\/cf-deployment-v44\.8\.0\.json, releases\[name=diego\]\) deploys/,
      );
    });

    it('a lab pairing cf-deployment v58.0.0 (diego 2.138.0) with diego-release v2.105.0, naming both versions and where each comes from', () => {
      const lab = writeLab((t) => replaceOnce(t, 'cf_deployment: v44.8.0', 'cf_deployment: v58.0.0'));
      expect(() => synthDiego({ labFile: lab })).toThrow(LabError);
      expect(() => synthDiego({ labFile: lab })).toThrow(
        /upstream\.diego_release: found v2\.105\.0 \(.*lab\.yaml upstream\.diego_release\), expected v2\.138\.0, the diego release cf-deployment v58\.0\.0 \(constructs\/cf\/profiles\/cf-deployment-v58\.0\.0\.json, releases\[name=diego\]\) deploys/,
      );
    });

    it('but builds a newer matching pair with the same code (cf-deployment v58.0.0 with diego-release v2.138.0)', () => {
      const lab = writeLab((t) => replaceOnce(replaceOnce(t, 'cf_deployment: v44.8.0', 'cf_deployment: v58.0.0'), 'diego_release: v2.105.0', 'diego_release: v2.138.0'));
      const edit = (l: LabLock): LabLock => ({ ...l, upstream: { ...l.upstream, 'diego-release': { version: 'v2.138.0' } } });
      const s = synthDiego({ labFile: lab, editLock: edit });
      expect(s.part.cell.version).toMatch(/^2\.138\.0\+arm\./);
      expect(JSON.parse(artifactText(s.store, 'diego/cell-armhf/overlay.json')).upstream.version).toBe('v2.138.0');
    });

    it('lifecycle packages that leave a cell arch uncovered', () => {
      expect(() => synthDiego({ armArches: ['arm64'] })).toThrow(/no cross-compiled lifecycle packages for cell arch armhf/);
    });
  });
});
