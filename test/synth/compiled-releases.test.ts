import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { replaceOnce, writeLab, PROJECT_ROOT } from '../support/lab-files';

interface Synth {
  steps: PlannedStep[];
  cells: { releases: Array<{ name: string; version: string }>; stemcells: Array<{ alias: string; os: string; version: string }>; instance_groups: Array<{ stemcell: string; jobs: Array<{ name: string; release: string }> }> };
  cellsText: string;
}

function synth(labFile: string): Synth {
  const out = mkdtempSync(join(tmpdir(), 'se-compiled-'));
  try {
    const res = synthLab({ projectRoot: PROJECT_ROOT, labFile, outdir: join(out, 'cdktf.out'), artifactsOnly: false });
    const cellsText = readFileSync(join(res.stackDir, 'artifacts', 'bosh', 'cells', 'manifest.yml'), 'utf8');
    return { steps: JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')).steps, cells: load(cellsText) as Synth['cells'], cellsText };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const compileSteps = (s: Synth) => s.steps.filter((x) => x.script === 'compile-release');
const step = (s: Synth, id: string) => {
  const found = s.steps.find((x) => x.id === id);
  if (!found) throw new Error(`no step ${id} in ${s.steps.map((x) => x.id).join(', ')}`);
  return found;
};

/** An arm64 stack, its own stemcell and one arm64 cell beside the default lab's armhf cells (then `edit`). */
function mixedLab(edit: (text: string) => string = (t) => t): string {
  return writeLab((t) => {
    let x = replaceOnce(edit(t), '    version: "0.1.0"\n\nstacks:', '    version: "0.1.0"\n  - alias: rpi64\n    os: debian-bookworm-arm64\n    version: "0.2.0"\n\nstacks:');
    x = replaceOnce(x, '    locales: [en_US.UTF-8]\n', '    locales: [en_US.UTF-8]\n  - name: rpifs64\n    description: Debian bookworm for 64-bit Raspberry Pi cells\n    arch: arm64\n    base:\n      mmdebstrap: { suite: bookworm, variant: minbase }\n    packages: packages/rpifs-ci.txt\n    locales: [en_US.UTF-8]\n');
    x = `${x}  - { name: rpi5-cell-1, arch: arm64, stack: rpifs64, network: rpi, ip: 192.168.50.30, az: rpi-z1, vm_type: rpi5, stemcell: rpi64 }\n`;
    return x;
  });
}

describe('compiled releases for the Pi cells (synth)', () => {
  const plain = synth('lab.yaml');

  it('compiles the cell Diego variant, the rootfs release and the runtime releases it builds for the cells stemcell, after their create-release steps', () => {
    const compiles = compileSteps(plain);
    expect(compiles.map((c) => [c.id, c.args.stemcell, c.args.arch, c.args.goarm])).toEqual([
      ['lab-compiled-diego-cell-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-rootfs-rpifs-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-runtime-bosh-dns-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-runtime-bpm-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-runtime-garden-runc-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-runtime-loggregator-agent-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
    ]);
    expect(compiles.map((c) => c.after)).toEqual([['lab-diego-cell-armhf-create'], ['lab-rootfs-release-rpifs-create'], ['lab-runtime-bosh-dns-armhf-create'], ['lab-runtime-bpm-armhf-create'], ['lab-runtime-garden-runc-armhf-create'], ['lab-runtime-loggregator-agent-armhf-create']]);
    for (const c of compiles) expect(c.args.source).toBe(`{root}/${step(plain, c.after[0]).out}`);
    for (const c of compiles) expect(c.needs).toEqual(['bosh', 'go']);
  });

  it('uploads the compiled releases for the cells and the control-plane variant and buildpack release as source, nothing else', () => {
    const cp = plain.steps.find((s) => s.id.startsWith('lab-diego-controlplane') && s.script === 'create-release')!;
    const bp = step(plain, 'lab-buildpack-rpifs-release-create');
    // each deployment uploads its own releases: the cells' compiled ones, the control plane's variant and ARM buildpack as source
    expect(step(plain, 'lab-bosh-cells-upload').args.releases.split(',').sort()).toEqual(compileSteps(plain).map((c) => c.out).sort());
    expect(step(plain, 'lab-bosh-control-plane-upload').args.releases.split(',')).toEqual([bp.out, cp.out].sort());
  });

  it('names in the cells manifest only releases the plan compiles or the lab supplies, each at an exact version, never latest', () => {
    expect(plain.cellsText).not.toMatch(/latest/);
    // bosh-dns is compiled for the cells but reaches them through the director's runtime config
    const compiled = compileSteps(plain).map((c) => c.args.release).filter((r) => !r.startsWith('bosh-dns/'));
    expect(compiled).toHaveLength(5);
    // the default lab supplies nothing: cf-deployment v44.8.0 pairs bpm 1.4.3 and the agent 8.3.0; garden-runc is its 1.58.0 (with a reason)
    const supplied: string[] = [];
    expect(compiled).toEqual(expect.arrayContaining([expect.stringMatching(/^bpm\/1\.4\.3\+arm\.[0-9a-f]{12}$/), expect.stringMatching(/^garden-runc\/1\.58\.0\+arm\.[0-9a-f]{12}$/), 'loggregator-agent/8.3.0']));
    const dnsAliases = 'bosh-dns-aliases/0.0.4'; // templates only: no package to compile, any stemcell
    const named = plain.cells.releases.map((r) => `${r.name}/${r.version}`).sort();
    expect(named).toEqual([...compiled, ...supplied, dnsAliases].sort());
    // and every job comes from one of them
    const names = new Set(plain.cells.releases.map((r) => r.name));
    for (const g of plain.cells.instance_groups) for (const j of g.jobs) expect(names.has(j.release)).toBe(true);
    expect(plain.cells.stemcells).toEqual([{ alias: 'rpi', os: 'debian-bookworm-armhf', version: '0.1.0' }]);
  });

  it('builds every release the default lab cells run (nothing to supply) and has the cells deploy check bosh-dns in the runtime config', () => {
    // the plan builds every release the cells run: nothing for the lab to supply
    expect(step(plain, 'lab-bosh-cells-deploy').args.requires).toBeUndefined();
    expect(step(plain, 'lab-bosh-cells-deploy').args['runtime-config']).toBe('bosh-dns/1.39.0');
    expect(step(plain, 'lab-bosh-control-plane-deploy').args.requires).toBeUndefined();
  });

  it('gives an unchanged lab the same compile triggers (a no-op deploy), and a changed cell variant a new one', () => {
    const again = synth('lab.yaml');
    expect(compileSteps(again).map((c) => c.trigger)).toEqual(compileSteps(plain).map((c) => c.trigger));
    const bumped = synth(writeLab((t) => replaceOnce(t, 'cells:\n  - { name: rpi-cell-1, arch: armhf, goarm: 7', 'cells:\n  - { name: rpi-cell-1, arch: armhf, goarm: 6')));
    const byId = (s: Synth) => Object.fromEntries(compileSteps(s).map((c) => [c.id, c.trigger]));
    // GOARM=6 changes the cell variant's packaging (and the emulated toolchain): both compile steps rerun.
    expect(byId(bumped)['lab-compiled-diego-cell-armhf-rpi-compile']).not.toBe(byId(plain)['lab-compiled-diego-cell-armhf-rpi-compile']);
    expect(step(bumped, 'lab-compiled-diego-cell-armhf-rpi-compile').args.goarm).toBe('6');
  });

  it('gives a mixed lab (armhf and arm64 cells) one compiled release per stemcell', () => {
    const mixed = synth(mixedLab());
    expect(compileSteps(mixed).map((c) => [c.id, c.args.stemcell, c.args.arch, c.args.goarm ?? '-'])).toEqual([
      ['lab-compiled-diego-cell-arm64-rpi64-compile', 'debian-bookworm-arm64/0.2.0', 'arm64', '-'],
      ['lab-compiled-diego-cell-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-rootfs-rpifs-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-rootfs-rpifs64-rpi64-compile', 'debian-bookworm-arm64/0.2.0', 'arm64', '-'],
      ...['bosh-dns', 'bpm', 'garden-runc', 'loggregator-agent'].flatMap((r) => [
        [`lab-compiled-runtime-${r}-arm64-rpi64-compile`, 'debian-bookworm-arm64/0.2.0', 'arm64', '-'],
        [`lab-compiled-runtime-${r}-armhf-rpi-compile`, 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ]),
    ]);
    // one version per release for both arches: one manifest names it once
    const versions = (r: string) => new Set(compileSteps(mixed).filter((c) => c.args.release.startsWith(`${r}/`)).map((c) => c.args.release));
    expect([...versions('bpm')]).toHaveLength(1);
    expect(step(mixed, 'lab-compiled-diego-cell-arm64-rpi64-compile').after).toEqual(['lab-diego-cell-arm64-create']);
    const groups = mixed.cells.instance_groups.map((g) => [g.stemcell, g.jobs.find((j) => j.name === 'rep')!.release]);
    expect(groups).toEqual(expect.arrayContaining([['rpi', 'diego-pi-lab-cell-armhf'], ['rpi64', 'diego-pi-lab-cell-arm64']]));
    // each compile step compiles the very release its create step makes (name/version), so one version per
    // release holds only when both arches' create steps make the same one
    for (const c of compileSteps(mixed)) {
      const made = step(mixed, c.after[0]).args;
      expect({ step: c.id, release: c.args.release }).toEqual({ step: c.id, release: `${made.name}/${made.version}` });
    }
    // garden-runc too: the lab's 1.58.0 with its ARM mark, one version both arches make, named once by the manifest
    expect([...versions('garden-runc')]).toEqual([expect.stringMatching(/^garden-runc\/1\.58\.0\+arm\.[0-9a-f]{12}$/)]);
    expect(mixed.cells.releases.filter((r) => r.name === 'garden-runc').map((r) => `${r.name}/${r.version}`)).toEqual([...versions('garden-runc')]);
  });

  it('has the cells deploy of a mixed lab require a release the lab supplies once per cell stemcell, and nothing when it supplies none', () => {
    const supplying = synth(mixedLab((t) => replaceOnce(t, '    version: "1.58.0"\n', '    version: "1.58.0"\n    supplied: true\n')));
    // supplied: the plan builds no garden-runc, the manifest names the lab's version, and the deploy stops unless the director has it for both stemcells
    expect(compileSteps(supplying).map((c) => c.args.release).filter((r) => r.startsWith('garden-runc/'))).toEqual([]);
    expect(supplying.cells.releases.filter((r) => r.name === 'garden-runc').map((r) => `${r.name}/${r.version}`)).toEqual(['garden-runc/1.58.0']);
    expect(step(supplying, 'lab-bosh-cells-deploy').args.requires.split(',')).toEqual(['garden-runc/1.58.0@debian-bookworm-arm64/0.2.0', 'garden-runc/1.58.0@debian-bookworm-armhf/0.1.0']);
    expect(step(supplying, 'lab-bosh-control-plane-deploy').args.requires).toBeUndefined();
    // the same lab building garden-runc itself: nothing left to require
    expect(step(synth(mixedLab()), 'lab-bosh-cells-deploy').args).not.toHaveProperty('requires');
  });
});
