import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CELL_ARCHES, HOST_ARCH } from '../../contracts/arches.cjs';
import { dockerPlatformFor, goTargetFor, stemcellArchOf, type Arch } from '../../lab/model';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';

/**
 * Every per-arch fact lives in contracts/arches.cjs. The rule checked here: no other source file of the
 * product spells one of them (so adding an arch is one edit), and the facts are true of the tools that
 * act on them (Go, Debian's cross compilers, the ELF files qemu runs).
 */
const SOURCE_DIRS = ['lab', 'constructs', 'stacks', 'pipelines', 'contracts'];
const HOME = join('contracts', 'arches.cjs');
/** The mutation check's deliberate breaks spell facts on purpose (one of them re-spells a platform). */
const BREAKS = join('pipelines', 'lib', 'checks', 'mutants.mjs');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mjs|cjs|sh)$/.test(e.name) ? [p] : [];
  });
}

const arches = Object.entries(CELL_ARCHES) as [Arch, (typeof CELL_ARCHES)[Arch]][];

describe('per-arch facts', () => {
  it('are spelt only in contracts/arches.cjs (platforms, triplets, uname names, qemu binaries)', () => {
    const spelt = [...arches.flatMap(([, f]) => [f.platform, f.triplet, f.uname, `${f.qemu}-static`, `'${f.qemu}'`])];
    const found: string[] = [];
    for (const file of SOURCE_DIRS.flatMap((d) => sources(join(PROJECT_ROOT, d)))) {
      const rel = relative(PROJECT_ROOT, file);
      if (rel === HOME || rel === BREAKS) continue;
      const text = readFileSync(file, 'utf8');
      for (const fact of spelt) if (text.includes(fact)) found.push(`${rel}: ${fact}`);
    }
    expect(spelt.length).toBeGreaterThanOrEqual(10);
    expect(found).toEqual([]);
  });

  it('reach the synth and the steps from the one table', () => {
    for (const [arch, f] of arches) {
      expect(dockerPlatformFor(arch)).toBe(f.platform);
      expect(goTargetFor(arch).goarch).toBe(f.goarch);
      expect(stemcellArchOf(`debian-bookworm-${f.debian}`)).toBe(arch);
      for (const alias of f.aliases) expect(stemcellArchOf(`some-os-${alias}`)).toBe(arch);
    }
    const steps = runMjs<{ tryApp: Record<string, { platform: string; machine: number }>; cross: Record<string, string> }>(
      "const t = await lib('try-app/try-app-inputs'); const c = await lib('setup/setup-cross'); out({ tryApp: t.ARCHES, cross: c.CROSS_TRIPLETS });",
    );
    expect(Object.keys(steps.tryApp).sort()).toEqual(Object.keys(CELL_ARCHES).sort());
    for (const [arch, f] of arches) {
      expect(steps.tryApp[arch]).toMatchObject({ platform: f.platform, machine: f.elfMachine });
      expect(steps.cross[arch]).toBe(f.triplet);
    }
  });

  it('are true: Go knows each GOOS/GOARCH, each cross compiler is its triplet, each probe ELF has its machine', () => {
    const dist = spawnSync('go', ['tool', 'dist', 'list'], { encoding: 'utf8' }).stdout.split('\n');
    const elves = runMjs<Record<string, { elfClass: number; machine: number }>>(
      "const p = await import(input.probe); const e = await lib('go/go-elf'); out(Object.fromEntries(Object.entries(p.PROBE_ELVES).map(([q]) => { const r = e.readElf(Buffer.from(p.probeElf(q))); return [q, { elfClass: r.elfClass, machine: r.machine }]; })));",
      { probe: `file://${join(PROJECT_ROOT, 'pipelines', 'lib', 'go', 'arm-probe-elf.mjs')}` },
    );
    for (const [, f] of [...arches, ['host', HOST_ARCH] as const]) {
      expect(dist).toContain(`linux/${f.goarch}`);
      const cc = spawnSync(`${f.triplet}-gcc`, ['-dumpmachine'], { encoding: 'utf8' });
      expect(`${f.debian}: ${cc.stdout.trim()}`).toBe(`${f.debian}: ${f.triplet}`);
    }
    for (const [, f] of arches) expect(elves[f.qemu]).toEqual({ elfClass: f.elfClass, machine: f.elfMachine });
  });
});
