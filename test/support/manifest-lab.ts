import { addCellRuntime } from '../../stacks/parts/cell-runtime';
import { tmpdir } from 'node:os';
import { App, TerraformStack } from 'cdktf';
import { ArtifactStore } from '../../constructs/plan/artifacts';
import { PlanGraph } from '../../constructs/plan/plan-graph';
import { PlanStep } from '../../constructs/plan/plan-step';
import type { Arch, Cell, Lab, StackSpec } from '../../lab/model';
import { defaultLifecycleBundle } from '../../lab/model';
import type { LabLock } from '../../lab/lock';
import type { LabContext } from '../../stacks/context';
import type { DiegoPart } from '../../stacks/parts/diego';
import { CELL_CREDENTIALS } from '../../constructs/cf/cell-deployment';
import { LabManifests } from '../../stacks/parts/manifests';
import type { CompiledRelease } from '../../stacks/parts/compiled';
import { CompiledReleaseStep } from '../../constructs/bosh/compiled-release-step';
import type { RootfsPart } from '../../stacks/parts/rootfs';
import { UPSTREAM_FIXTURES } from './manifest-profile';

/** Control-plane credentials the test lab says CredHub provides (names only, as in a real lab). */
export const TEST_LAB_VARIABLES = ['system_domain', ...CELL_CREDENTIALS];

export function testStack(over: Partial<StackSpec> = {}): StackSpec {
  return {
    name: 'rpifs',
    description: 'Debian bookworm for Raspberry Pi cells',
    arch: 'armhf',
    base: { kind: 'mmdebstrap', suite: 'bookworm', variant: 'minbase', include: [] },
    packages: ['bash', 'ca-certificates'],
    packagesSource: 'inline',
    locales: ['en_US.UTF-8'],
    lifecycleBundle: defaultLifecycleBundle('armhf'),
    ...over,
  };
}

export function testCell(n: number, over: Partial<Cell> = {}): Cell {
  return {
    name: `pi-${n}`,
    arch: 'armhf',
    goarm: 7,
    stack: 'rpifs',
    network: 'rpi',
    ip: `192.168.50.${20 + n}`,
    az: 'rpi-z1',
    vmType: 'rpi4',
    stemcell: 'rpi',
    placementTags: [],
    ...over,
  };
}

/** The test lab supplies every runtime release of its cells itself (at cf-deployment v58.0.0's versions): the plan builds none. */
export const TEST_CELL_RELEASES = { bpm: { supplied: true }, 'garden-runc': { supplied: true }, 'loggregator-agent': { supplied: true }, 'bosh-dns': { supplied: true } };
/** The bosh-dns the test lab's director runtime config runs. */
export const TEST_DNS_RUNTIME_CONFIG = { boshDns: '1.39.0' };

/** A lab object built directly (no loader): cf-deployment mode, three armhf cells of one stack. */
export function testLab(over: Partial<Lab> = {}): Lab {
  return {
    file: 'test-lab.yaml',
    name: 'test-lab',
    director: { name: 'test-bosh', variables: TEST_LAB_VARIABLES },
    upstream: { cfDeployment: 'v58.0.0', diegoRelease: 'v2.105.0', cflinuxfs4Release: 'v1.323.0' },
    stacks: [testStack()],
    controlPlane: { deployment: 'cf', mode: 'cf-deployment', network: 'vsphere-cf', az: 'z1', stemcell: 'default', systemDomain: '((system_domain))' },
    cellsDeployment: 'rpi-cells',
    cellReleases: TEST_CELL_RELEASES,
    dnsRuntimeConfig: TEST_DNS_RUNTIME_CONFIG,
    cells: [testCell(1), testCell(2), testCell(3)],
    networks: [],
    stemcells: [
      { alias: 'default', os: 'ubuntu-jammy', version: '1.639' },
      { alias: 'rpi', os: 'debian-bookworm-armhf', version: '0.1.0', arch: 'armhf' },
    ],
    ...over,
  };
}

export const TEST_LOCK: LabLock = { lockVersion: 1, upstream: { 'garden-runc-armhf': { version: '1.60.0' } }, tools: {}, rootfs: {}, stemcells: {} };

export interface ManifestsHarness {
  readonly app: App;
  readonly store: ArtifactStore;
  readonly graph: PlanGraph;
  readonly manifests: LabManifests;
  readonly text: (artifact: string) => string;
}

export interface HarnessOptions {
  readonly served?: readonly string[];
  readonly upstreamDir?: string;
  readonly directorSteps?: boolean;
  readonly withParts?: boolean;
  /** Stacks of the lab whose rootfs release the parts leave out (a plan that builds no release for them). */
  readonly withoutRootfs?: readonly string[];
  /** Where app.synth() would write (only tests that synth need one). */
  readonly outdir?: string;
}

/**
 * LabManifests on its own stack, fed RootfsPart/DiegoPart the way the other parts hand them over, so
 * these tests do not depend on the rootfs or Diego work being finished.
 */
export function manifestsFor(lab: Lab, opts: HarnessOptions = {}): ManifestsHarness {
  // an existing directory, so the App makes none (it writes only when a test synthesizes, with its own outdir)
  const app = new App({ outdir: opts.outdir ?? tmpdir() });
  const stack = new TerraformStack(app, 'lab');
  const store = new ArtifactStore(stack);
  const graph = new PlanGraph(stack, '../../..');
  const ctx: LabContext = {
    scope: stack,
    lab,
    lock: TEST_LOCK,
    artifacts: store,
    graph,
    projectRoot: '/nonexistent-project-root',
    upstreamDir: opts.upstreamDir ?? UPSTREAM_FIXTURES,
    directorSteps: opts.directorSteps ?? true,
  };
  const rootfs = new Map<string, RootfsPart>();
  const compiled = new Map<string, CompiledRelease[]>();
  let diego: DiegoPart;
  if (opts.withParts ?? true) {
    for (const s of lab.stacks.filter((x) => !(opts.withoutRootfs ?? []).includes(x.name))) {
      const releaseStep = new PlanStep(stack, `rootfs-${s.name}`, { script: 'create-release', description: `release ${s.name}`, args: { name: s.name } });
      rootfs.set(s.name, {
        stack: s.name,
        releaseName: `${s.name}-rootfs`,
        version: '0.1.0+dev.test',
        releaseStep,
        releaseTarball: `${releaseStep.outDir}/${s.name}-rootfs.tgz`,
        setupJob: `${s.name}-rootfs-setup`,
        certsProperty: `${s.name}-rootfs.trusted_certs`,
      });
    }
    const cp = new PlanStep(stack, 'diego-cp', { script: 'create-release', description: 'cp', args: { name: 'diego-cp' } });
    const cell = new PlanStep(stack, 'diego-cell', { script: 'create-release', description: 'cell', args: { name: 'diego-cell' } });
    const cellRelease = { releaseName: 'diego-test-cell-armhf', version: '2.105.0+arm.2', step: cell };
    diego = {
      controlPlane: { releaseName: 'diego-test-cp', version: '2.105.0+arm.1', step: cp, servedBundles: opts.served ?? lab.stacks.map((s) => s.lifecycleBundle) },
      cell: cellRelease,
      cellByArch: everyCellArch(lab, cellRelease),
    } as DiegoPart;
    // What stacks/parts/compiled.ts hands over: the cell and rootfs releases compiled per cell stemcell.
    for (const alias of [...new Set(lab.cells.map((c) => c.stemcell))]) {
      const sc = lab.stemcells.find((x) => x.alias === alias);
      if (!sc) continue;
      const sources = [{ name: 'diego-test-cell-armhf', version: '2.105.0+arm.2', step: cell }, ...[...rootfs.values()].map((r) => ({ name: r.releaseName, version: r.version, step: r.releaseStep }))];
      compiled.set(
        alias,
        sources.map((src) => {
          const construct = new CompiledReleaseStep(stack, `compiled-${src.name}-${alias}`, { name: src.name, version: src.version, source: src.step, stemcell: { os: sc.os, version: sc.version, arch: 'armhf' }, sourceDateEpoch: 0 });
          return { name: src.name, version: src.version, stemcell: construct.stemcell, construct };
        }),
      );
    }
  } else {
    const cellRelease = { releaseName: 'diego-test-cell', version: '0' };
    diego = {
      controlPlane: { releaseName: 'diego-test-cp', version: '0', servedBundles: opts.served ?? [] },
      cell: cellRelease,
      cellByArch: everyCellArch(lab, cellRelease),
    } as DiegoPart;
  }
  const manifests = new LabManifests(stack, LabManifests.ID, { ctx, rootfs, diego, compiled, runtime: addCellRuntime(ctx) });
  const text = (artifact: string): string => {
    const [, a] = store.filesUnder(artifact).find(([p]) => p === artifact) ?? [];
    if (!a) throw new Error(`no artifact ${artifact}`);
    return a.content.toString('utf8');
  };
  return { app, store, graph, manifests, text };
}

/** DiegoPart.cellByArch as the Diego part fills it (one entry per cell arch), here with one release for all. */
function everyCellArch<R>(lab: Lab, release: R): ReadonlyMap<Arch, R> {
  return new Map([...new Set(lab.cells.map((c) => c.arch))].map((arch) => [arch, release]));
}
