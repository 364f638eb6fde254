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

/** An arm64 stack, its own stemcell and one arm64 cell beside the default lab's armhf cells. */
function mixedLab(): string {
  return writeLab((t) => {
    let x = replaceOnce(t, '    version: "0.1.0"\n\nstacks:', '    version: "0.1.0"\n  - alias: rpi64\n    os: debian-bookworm-arm64\n    version: "0.2.0"\n\nstacks:');
    x = replaceOnce(x, '    locales: [en_US.UTF-8]\n', '    locales: [en_US.UTF-8]\n  - name: rpifs64\n    description: Debian bookworm for 64-bit Raspberry Pi cells\n    arch: arm64\n    base:\n      mmdebstrap: { suite: bookworm, variant: minbase }\n    packages: packages/rpifs-ci.txt\n    locales: [en_US.UTF-8]\n');
    x = `${x}  - { name: rpi5-cell-1, arch: arm64, stack: rpifs64, network: rpi, ip: 192.168.50.30, az: rpi-z1, vm_type: rpi5, stemcell: rpi64, placement_tags: [rpi] }\n`;
    return x;
  });
}

describe('compiled releases for the Pi cells (synth)', () => {
  const plain = synth('lab.yaml');

  it('compiles the cell Diego variant and the rootfs release for the cells stemcell, after their create-release steps', () => {
    const compiles = compileSteps(plain);
    expect(compiles.map((c) => [c.id, c.args.stemcell, c.args.arch, c.args.goarm])).toEqual([
      ['lab-compiled-diego-cell-armhf-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
      ['lab-compiled-rootfs-rpifs-rpi-compile', 'debian-bookworm-armhf/0.1.0', 'armhf', '7'],
    ]);
    expect(compiles.map((c) => c.after)).toEqual([['lab-diego-cell-armhf-create'], ['lab-rootfs-release-rpifs-create']]);
    for (const c of compiles) expect(c.args.source).toBe(`{root}/${step(plain, c.after[0]).out}`);
    for (const c of compiles) expect(c.needs).toEqual(['bosh', 'go']);
  });

  it('uploads the compiled releases for the cells and the control-plane variant as source, nothing else', () => {
    const cp = plain.steps.find((s) => s.id.startsWith('lab-diego-controlplane') && s.script === 'create-release')!;
    // each deployment uploads its own releases: the cells' compiled ones, the control plane's variant as source
    expect(step(plain, 'lab-bosh-cells-upload').args.releases.split(',').sort()).toEqual(compileSteps(plain).map((c) => c.out).sort());
    expect(step(plain, 'lab-bosh-control-plane-upload').args.releases.split(',')).toEqual([cp.out]);
  });

  it('names in the cells manifest only releases the plan compiles or the lab supplies, each at an exact version, never latest', () => {
    expect(plain.cellsText).not.toMatch(/latest/);
    const compiled = compileSteps(plain).map((c) => c.args.release);
    expect(compiled).toHaveLength(2);
    const supplied = ['bpm/1.4.33', 'garden-runc/1.92.0', 'loggregator-agent/8.3.22'];
    const dnsAliases = 'bosh-dns-aliases/0.0.4'; // templates only: no package to compile, any stemcell
    const named = plain.cells.releases.map((r) => `${r.name}/${r.version}`).sort();
    expect(named).toEqual([...compiled, ...supplied, dnsAliases].sort());
    // and every job comes from one of them
    const names = new Set(plain.cells.releases.map((r) => r.name));
    for (const g of plain.cells.instance_groups) for (const j of g.jobs) expect(names.has(j.release)).toBe(true);
    expect(plain.cells.stemcells).toEqual([{ alias: 'rpi', os: 'debian-bookworm-armhf', version: '0.1.0' }]);
  });

  it('stops the cells deploy, not the control plane, on the releases the lab must supply (name, version, stemcell)', () => {
    expect(step(plain, 'lab-bosh-cells-deploy').args.requires).toBe(
      'bpm/1.4.33@debian-bookworm-armhf/0.1.0,garden-runc/1.92.0@debian-bookworm-armhf/0.1.0,loggregator-agent/8.3.22@debian-bookworm-armhf/0.1.0',
    );
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
    ]);
    expect(step(mixed, 'lab-compiled-diego-cell-arm64-rpi64-compile').after).toEqual(['lab-diego-cell-arm64-create']);
    const groups = mixed.cells.instance_groups.map((g) => [g.stemcell, g.jobs.find((j) => j.name === 'rep')!.release]);
    expect(groups).toEqual(expect.arrayContaining([['rpi', 'diego-pi-lab-cell-armhf'], ['rpi64', 'diego-pi-lab-cell-arm64']]));
    expect(step(mixed, 'lab-bosh-cells-deploy').args.requires.split(',')).toHaveLength(6);
  });
});
