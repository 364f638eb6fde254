import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Construct } from 'constructs';
import { summarizeDeployment } from '../../constructs/bosh/deployment-summary';
import { DeploySpec, DirectorSteps, UploadRelease } from '../../constructs/bosh/director-steps';
import { BoshManifest, MANIFEST_SECTION_ORDER, ManifestRelease, ManifestStemcell, renderManifest } from '../../constructs/bosh/manifest';
import { renderOpsFile } from '../../constructs/bosh/ops-file';
import { assertNoSecrets } from '../../constructs/bosh/secrets';
import { absoluteVariable, variableRefs } from '../../constructs/bosh/variables';
import { renderYaml } from '../../constructs/bosh/yaml';
import { aliasesFrom, CELL_NEEDS_DOMAINS } from '../../constructs/cf/cell-dns';
import { CELL_CREDENTIALS, cellDeployment, CellGroupSpec } from '../../constructs/cf/cell-deployment';
import { CellGroup, groupCells } from '../../constructs/cf/cell-groups';
import { profileOf } from '../../constructs/cf/cf-deployment-profile';
import { checkConsistency, DeploymentDoc, Violation } from '../../constructs/cf/consistency';
import { BASE_MANIFEST_FIX, ccPlaces } from '../../constructs/cf/manifest-scan';
import { applyOpsFiles, controlPlaneOpsFiles, OpsFile } from '../../constructs/cf/control-plane';
import { computePlacement, StackPlacement } from '../../constructs/cf/placement';
import { CF_DEPLOYMENT_PROFILES } from '../../constructs/cf/profiles';
import { LINUX_DROPLET_DESTINATION } from '../../constructs/cf/stack-wiring';
import { InputError, LabError, LabErrors } from '../../lab/errors';
import { Lab, preloadedRootfsPath } from '../../lab/model';
import type { CellRuntimePart, CellRuntimeRelease } from './cell-runtime';
import type { CompiledPart } from './compiled';
import type { ArtifactStore } from '../../constructs/plan/artifacts';
import type { PlanStep } from '../../constructs/plan/plan-step';
import type { LabContext } from '../context';
import type { DiegoPart } from './diego';
import type { RootfsPart } from './rootfs';
import type { BuildpackPart } from './buildpack';
import { addSegmentSteps } from './segments';

/** Artifact layout of the BOSH half of the plan (relative to artifacts/). */
export const BOSH_ARTIFACTS = {
  controlPlaneDir: 'bosh/control-plane',
  controlPlaneOpsDir: 'bosh/control-plane/ops',
  controlPlaneManifest: 'bosh/control-plane/manifest.yml',
  cellsDir: 'bosh/cells',
  cellsManifest: 'bosh/cells/manifest.yml',
} as const;

export interface LabManifestsProps {
  readonly ctx: LabContext;
  readonly rootfs: ReadonlyMap<string, RootfsPart>;
  readonly diego: DiegoPart;
  /** Compiled releases per cell stemcell alias: what the cells deploy from this pipeline, and what is uploaded for them. */
  readonly compiled: CompiledPart;
  /** The releases a cell runs beside the rep (bpm, garden-runc, loggregator-agent, bosh-dns). */
  readonly runtime: CellRuntimePart;
  /** Steps every director step comes after (order only): the try-app gates. */
  readonly gates?: readonly PlanStep[];
  /**
   * Per stack, the ARM buildpack and its BOSH release: installed by Cloud Controller, uploaded with the control plane.
   * @default empty (no buildpack releases: the lock pins no binary-buildpack)
   */
  readonly buildpacks?: ReadonlyMap<string, BuildpackPart>;
}

/**
 * The BOSH manifests of a lab: ops-files over cf-deployment (or one interpolated manifest) for the
 * vSphere control plane, a manifest for the Pi cells, the consistency check between them, and the
 * director steps that deploy them. The rendered documents stay readable for `npm run placement`.
 */
export class LabManifests extends Construct {
  static readonly ID = 'manifests';
  /** The control plane as the director will see it (cf-deployment profile + ops, or the full manifest). */
  readonly controlPlane: DeploymentDoc;
  readonly cells: DeploymentDoc;
  readonly opsFiles: readonly OpsFile[];
  readonly placement: readonly StackPlacement[];
  /** Undefined when the synth wants artifact steps only (ctx.directorSteps false). */
  readonly steps?: DirectorSteps;

  static of(scope: Construct): LabManifests {
    const found = scope.node.findAll().find((c): c is LabManifests => c instanceof LabManifests);
    if (!found) throw new Error(`no LabManifests under ${scope.node.path}`);
    return found;
  }

  constructor(scope: Construct, id: string, props: LabManifestsProps) {
    super(scope, id);
    const { ctx, diego } = props;
    const lab = ctx.lab;
    const upstream = controlPlaneBase(ctx);
    const stemcells = new StemcellLookup(lab);
    const groups = groupCells(lab.cells);
    const cpStemcell = stemcells.find(lab.controlPlane.stemcell, 'control_plane.stemcell');
    const buildpacks = [...(props.buildpacks ?? new Map<string, BuildpackPart>()).values()];
    this.opsFiles = opsFilesFor(lab, upstream.profile, diego, groups, cpStemcell, buildpacks);
    this.controlPlane = { deployment: lab.controlPlane.deployment, doc: applyOpsFiles(upstream.full ?? upstream.profile, this.opsFiles) };
    const cells = planCells(groups, { rootfs: props.rootfs, diego, runtime: props.runtime, dnsAliases: releaseEntry(upstream.profile, 'bosh-dns-aliases'), stemcells });
    stemcells.throwMissing();
    const cellsManifest = cellsManifestOf(lab, cells, this.controlPlane.doc);
    this.cells = { deployment: lab.cellsDeployment, doc: cellsManifest };
    checkDeployments(lab, diego, upstream.profile, this.controlPlane, this.cells);
    checkRuntimeVersions(lab, props.runtime, this.controlPlane.doc, cellsManifest);
    checkRootfsBuilt(lab, cells.unbuiltStacks);
    this.placement = computePlacement(this.controlPlane, [this.cells]);
    ctx.graph.describeDeployment(summarizeDeployment(this.controlPlane.deployment, this.controlPlane.doc));
    ctx.graph.describeDeployment({ ...summarizeDeployment(this.cells.deployment, this.cells.doc), ...versionOverrides(props.runtime) });
    const opsArtifacts = addArtifacts(ctx.artifacts, lab, this.opsFiles, this.controlPlane.doc, cellsManifest);
    if (ctx.directorSteps) {
      this.steps = addDirectorSteps(ctx, { opsArtifacts, cpStemcell, cells, diego, compiled: props.compiled, runtime: props.runtime, gates: props.gates, buildpacks });
      const cpDeploy = this.steps.byDeployment.get('control-plane')?.deploy;
      if (cpDeploy) addSegmentSteps(ctx, cpDeploy);
    }
  }
}

/** BOSH manifests, ops-files, consistency check and director steps. */
export function addManifests(ctx: LabContext, rootfs: ReadonlyMap<string, RootfsPart>, diego: DiegoPart, compiled: CompiledPart, runtime: CellRuntimePart, gates: readonly PlanStep[] = [], buildpacks?: ReadonlyMap<string, BuildpackPart>): void {
  new LabManifests(ctx.scope, LabManifests.ID, { ctx, rootfs, diego, compiled, runtime, gates, buildpacks });
}

/**
 * Each release the lab supplies itself, as `<name>/<version>@<os>/<version>` per cell stemcell, sorted:
 * the cells deploy step checks the director has each compiled for that stemcell and stops with the list.
 */
export function suppliedReleases(runtime: CellRuntimePart, stemcells: readonly ManifestStemcell[]): string[] {
  const releases = [...runtime.values()].filter((r) => r.supplied);
  return [...new Set(stemcells.flatMap((s) => releases.map((r) => `${r.name}/${r.version}@${s.os}/${s.version}`)))].sort();
}

/** The cells' runtime releases whose version differs from the control plane's, with the lab's reason (plan.json, preview warnings). */
function versionOverrides(runtime: CellRuntimePart): { versionOverrides?: Array<{ release: string; version: string; paired: string; reason: string }> } {
  const list = [...runtime.values()].flatMap((r) => (r.override ? [{ release: r.name, version: r.upstreamVersion, paired: `${r.paired.version} (${r.paired.from})`, reason: r.override.reason }] : []));
  return list.length > 0 ? { versionOverrides: list } : {};
}

/**
 * Each runtime release the cells manifest names against the same release in the control plane (before
 * any `+arm.` mark): they must agree unless the lab says why not, naming both sides.
 */
function checkRuntimeVersions(lab: Lab, runtime: CellRuntimePart, controlPlaneDoc: unknown, cellsManifest: BoshManifest): void {
  const cpReleases = (controlPlaneDoc as { releases?: Array<{ name?: unknown; version?: unknown }> }).releases ?? [];
  const errs: LabError[] = [];
  for (const r of cellsManifest.releases) {
    const rt = runtime.get(r.name);
    const cp = cpReleases.find((x) => x.name === r.name);
    if (!rt || !cp || rt.override) continue;
    const cellsBase = String(r.version).split('+')[0];
    if (cellsBase !== String(cp.version)) {
      errs.push(new LabError(lab.file, `cell_releases.${r.name}`, `${r.name} ${r.version} on the cells (${lab.cellsDeployment})`, `${cp.version}, the ${r.name} of the control plane (${lab.controlPlane.deployment}), or a version with a reason:`));
    }
  }
  if (errs.length > 0) throw errs.length === 1 ? errs[0] : new LabErrors(errs);
}

/** Looks stemcell aliases up in the Lab and collects one error per unknown alias, so all are reported at once. */
class StemcellLookup {
  private readonly errors: LabError[] = [];

  constructor(private readonly lab: Lab) {}

  find(alias: string, path: string): ManifestStemcell | undefined {
    const s = this.lab.stemcells.find((x) => x.alias === alias);
    if (!s) this.errors.push(new LabError(this.lab.file, path, `stemcell alias ${alias}`, `one of stemcells[].alias (${this.lab.stemcells.map((x) => x.alias).join(', ')})`));
    return s && { alias: s.alias, os: s.os, version: s.version };
  }

  /** Throws what find collected: the one error, or all of them. */
  throwMissing(): void {
    if (this.errors.length > 0) throw this.errors.length === 1 ? this.errors[0] : new LabErrors(this.errors);
  }
}

/** The ops-files that take cf-deployment to this lab: its stacks, the Diego variant, the cell groups, the placement. */
function opsFilesFor(lab: Lab, profile: unknown, diego: DiegoPart, groups: readonly CellGroup[], cpStemcell: ManifestStemcell | undefined, buildpacks: readonly BuildpackPart[]): OpsFile[] {
  return controlPlaneOpsFiles({
    base: profile,
    stacks: lab.stacks.map((s) => ({ name: s.name, description: s.description, lifecycleBundle: s.lifecycleBundle, dropletDestination: LINUX_DROPLET_DESTINATION })),
    diego: { name: diego.controlPlane.releaseName, version: diego.controlPlane.version },
    cellGroups: groups.map((g) => ({ deployment: lab.cellsDeployment, instanceGroup: g.name, network: g.network })),
    placement: cpStemcell && { network: lab.controlPlane.network, azs: [lab.controlPlane.az], stemcell: cpStemcell },
    buildpacks: buildpacks.map((b) => ({ stack: b.release.stack, name: b.release.releaseName, version: b.release.version })),
  });
}

/** What the cell groups are made of: the parts that built their releases, and the lookups the Lab answers. */
interface CellSources {
  readonly rootfs: ReadonlyMap<string, RootfsPart>;
  readonly diego: DiegoPart;
  readonly runtime: CellRuntimePart;
  /** cf-deployment's bosh-dns-aliases release, which the cells use too. */
  readonly dnsAliases: ManifestRelease;
  readonly stemcells: StemcellLookup;
}

/** The cells of the lab, grouped, with what their manifest and deploy step need. */
interface CellsPlan {
  readonly specs: readonly CellGroupSpec[];
  /** By release name. */
  readonly releases: ReadonlyMap<string, ManifestRelease>;
  /** By alias, in the order the groups first use them. */
  readonly stemcells: ReadonlyMap<string, ManifestStemcell>;
  readonly dnsAliasesRelease: string;
  /** The first cell of each group whose stack has no rootfs release in the plan. */
  readonly unbuiltStacks: ReadonlyArray<{ readonly stack: string; readonly cell: number }>;
}

/** Every cell group on its stack's rootfs release and the ARM builds of its arch. */
function planCells(groups: readonly CellGroup[], from: CellSources): CellsPlan {
  const releases = new Map<string, ManifestRelease>();
  const use = (r: ManifestRelease): string => {
    releases.set(r.name, r);
    return r.name;
  };
  // bpm, garden and the loggregator agent: built by the plan (compiled for every cell stemcell) or
  // supplied by the lab (on the director before the cells deploy, checked there).
  const runtimeRelease = (name: string): string => {
    const r = from.runtime.get(name) as CellRuntimeRelease | undefined;
    if (!r) throw new Error(`no runtime release ${name} (stacks/parts/cell-runtime.ts)`);
    return use({ name: r.name, version: r.version });
  };
  const dnsAliasesRelease = use(from.dnsAliases);
  const stemcells = new Map<string, ManifestStemcell>();
  const unbuiltStacks: Array<{ stack: string; cell: number }> = [];
  const specs = groups.map((g): CellGroupSpec => {
    const part = from.rootfs.get(g.stack);
    // The cells deploy only releases the plan builds or the lab supplies: a stack without a rootfs
    // release fails after the consistency check has named what is wrong with the stack.
    if (!part) unbuiltStacks.push({ stack: g.stack, cell: g.indexes[0] });
    const rootfs = part ? use({ name: part.releaseName, version: part.version }) : g.stack;
    const stemcell = from.stemcells.find(g.stemcell, `cells[${g.indexes[0]}].stemcell`);
    if (stemcell) stemcells.set(stemcell.alias, stemcell);
    const diego = from.diego.cellByArch.get(g.arch) ?? from.diego.cell;
    return groupSpec(g, part, {
      diego: use({ name: diego.releaseName, version: diego.version }),
      rootfs,
      bpm: runtimeRelease('bpm'),
      garden: runtimeRelease('garden-runc'),
      loggregatorAgent: runtimeRelease('loggregator-agent'),
    });
  });
  return { specs, releases, stemcells, dnsAliasesRelease, unbuiltStacks };
}

function groupSpec(g: CellGroup, part: RootfsPart | undefined, releases: CellGroupSpec['releases']): CellGroupSpec {
  return {
    name: g.name,
    stack: g.stack,
    rootfsPath: preloadedRootfsPath(g.stack),
    rootfsSetupJob: part?.setupJob ?? `${g.stack}-rootfs-setup`,
    azs: g.azs,
    network: g.network,
    staticIps: g.cells.map((c) => c.ip),
    vmType: g.vmType,
    stemcell: g.stemcell,
    placementTags: g.placementTags,
    releases,
  };
}

/** The cells deployment; it reaches the control plane's credentials and DNS aliases by name. */
function cellsManifestOf(lab: Lab, cells: CellsPlan, controlPlaneDoc: unknown): BoshManifest {
  return cellDeployment({
    name: lab.cellsDeployment,
    controlPlaneDeployment: lab.controlPlane.deployment,
    releases: [...cells.releases.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    stemcells: [...cells.stemcells.values()].sort((a, b) => (a.alias < b.alias ? -1 : 1)),
    groups: cells.specs,
    dnsAliasesRelease: cells.dnsAliasesRelease,
    aliases: aliasesFrom(controlPlaneDoc, CELL_NEEDS_DOMAINS),
    credential: (name) => absoluteVariable(lab.director.name, lab.controlPlane.deployment, name),
  });
}

/** The checks that need both deployments: the cells' credentials, then the control plane and the cells agreeing. */
function checkDeployments(lab: Lab, diego: DiegoPart, profile: unknown, controlPlane: DeploymentDoc, cells: DeploymentDoc): void {
  checkCredentials(lab, cells.doc);
  const violations = checkConsistency({ controlPlane, cells: [cells], servedBundles: servedBundles(diego, profile), fileServerRelease: diego.controlPlane.releaseName });
  if (violations.length > 0) throw consistencyErrors(lab, violations);
}

/**
 * The variant is upstream diego plus ARM packages: it serves what the variant adds and every bundle
 * cf-deployment itself points at (cf-deployment is released against that diego). Taken from the
 * profile, so the check gives the same answer offline as with an upstream checkout.
 */
function servedBundles(diego: DiegoPart, profile: unknown): string[] {
  const upstreamBundles = ccPlaces(profile).flatMap((p) => Object.values(p.lifecycleBundles ?? {}));
  return [...new Set([...diego.controlPlane.servedBundles, ...upstreamBundles])].sort();
}

function checkRootfsBuilt(lab: Lab, unbuiltStacks: CellsPlan['unbuiltStacks']): void {
  if (unbuiltStacks.length === 0) return;
  const u = unbuiltStacks[0];
  throw new LabError(lab.file, `cells[${u.cell}].stack`, `${u.stack}, for which the plan builds no rootfs release`, 'a stack of the lab (stacks:) whose rootfs release the plan builds');
}

/** Artifacts: ops-files always; in interpolated mode also the one manifest the deploy uses. Returns the ops-file paths. */
function addArtifacts(store: ArtifactStore, lab: Lab, opsFiles: readonly OpsFile[], controlPlaneDoc: unknown, cellsManifest: BoshManifest): string[] {
  const files = opsFiles.map((f) => store.add(`${BOSH_ARTIFACTS.controlPlaneOpsDir}/${f.file}`, checked(renderOpsFile(f.ops), f.file)));
  if (lab.controlPlane.mode === 'interpolated') {
    store.add(BOSH_ARTIFACTS.controlPlaneManifest, checked(renderYaml(substituteLabValues(controlPlaneDoc, lab), MANIFEST_SECTION_ORDER), 'control-plane manifest'));
  }
  store.add(BOSH_ARTIFACTS.cellsManifest, checked(renderManifest(cellsManifest), 'cells manifest'));
  return files;
}

interface DirectorInputs {
  readonly opsArtifacts: readonly string[];
  readonly cpStemcell: ManifestStemcell | undefined;
  readonly cells: CellsPlan;
  readonly diego: DiegoPart;
  readonly compiled: CompiledPart;
  readonly runtime: CellRuntimePart;
  readonly gates?: readonly PlanStep[];
  readonly buildpacks: readonly BuildpackPart[];
}

/**
 * The control plane's variant goes up as source (the x86 director compiles it); what the cells deploy
 * from this pipeline goes up compiled for their stemcells, so nothing compiles on ARM.
 */
function addDirectorSteps(ctx: LabContext, inputs: DirectorInputs): DirectorSteps {
  const { diego, cpStemcell } = inputs;
  const cpReleases: UploadRelease[] = [
    ...(diego.controlPlane.step ? [{ dir: diego.controlPlane.step.outDir, step: diego.controlPlane.step }] : []),
    // The buildpack releases hold only a zip: the x86 director "compiles" them by copying it.
    ...inputs.buildpacks.map((b) => ({ dir: b.release.step.outDir, step: b.release.step })),
  ];
  const cpStemcells = cpStemcell ? [`${cpStemcell.os}/${cpStemcell.version}`] : [];
  // Steps hang off the stack, not this construct, so their ids read lab-bosh-cells-upload, lab-bosh-cells-deploy.
  return new DirectorSteps(ctx.scope, 'bosh', {
    gates: inputs.gates,
    deployments: [controlPlaneDeploy(ctx.lab, inputs.opsArtifacts, cpReleases, cpStemcells), cellsDeploy(ctx.lab, inputs.cells, inputs.compiled, inputs.runtime)],
  });
}

function controlPlaneDeploy(lab: Lab, opsArtifacts: readonly string[], releases: UploadRelease[], stemcells: string[]): DeploySpec {
  const common = { name: 'control-plane', deployment: lab.controlPlane.deployment };
  if (lab.controlPlane.mode === 'interpolated') {
    return {
      ...common,
      description: `bosh deploy ${lab.controlPlane.deployment} (interpolated manifest)`,
      manifest: { artifact: BOSH_ARTIFACTS.controlPlaneManifest },
      ops: [],
      vars: [],
      inputs: [BOSH_ARTIFACTS.controlPlaneManifest],
      releases,
      stemcells,
    };
  }
  return {
    ...common,
    description: `bosh deploy ${lab.controlPlane.deployment} (cf-deployment ${lab.upstream.cfDeployment} + ${opsArtifacts.length} ops-files)`,
    manifest: { upstream: `cf-deployment@${lab.upstream.cfDeployment}` },
    ops: opsArtifacts,
    vars: lab.controlPlane.systemDomain.startsWith('((') ? [] : [`system_domain=${lab.controlPlane.systemDomain}`],
    inputs: [BOSH_ARTIFACTS.controlPlaneOpsDir],
    releases,
    stemcells,
  };
}

function cellsDeploy(lab: Lab, cells: CellsPlan, compiled: CompiledPart, runtime: CellRuntimePart): DeploySpec {
  const dns = runtime.get('bosh-dns');
  const stemcells = [...cells.stemcells.values()];
  return {
    name: 'cells',
    description: `bosh deploy ${lab.cellsDeployment} (${lab.cells.length} cells in ${cells.specs.length} instance group(s))`,
    deployment: lab.cellsDeployment,
    manifest: { artifact: BOSH_ARTIFACTS.cellsManifest },
    ops: [],
    vars: [],
    inputs: [BOSH_ARTIFACTS.cellsDir],
    releases: [...compiled.values()].flat().map((c) => ({ dir: c.construct.step.outDir, step: c.construct.step })),
    stemcells: stemcells.map((s) => `${s.os}/${s.version}`),
    requires: suppliedReleases(runtime, stemcells),
    // bosh-dns is not in the manifest: the director's runtime config puts it on every VM.
    ...(dns ? { runtimeConfig: [`${dns.name}/${dns.version}`] } : {}),
  };
}

/** `<upstreamDir>/<name>-<version>` when that checkout (or fixture) exists. */
function upstreamTree(upstreamDir: string, name: string, version: string): string | undefined {
  const dir = join(upstreamDir, `${name}-${version}`);
  return existsSync(dir) ? dir : undefined;
}

/**
 * cf-deployment at the lab's version: its checked-in profile (enough for the ops and the checks, so
 * synth runs offline) and, when the upstream checkout is there, the full manifest — required for the
 * interpolated mode, and compared with the profile so a retagged upstream cannot slip through.
 */
function controlPlaneBase(ctx: LabContext): { profile: unknown; full?: unknown } {
  const lab = ctx.lab;
  const version = lab.upstream.cfDeployment;
  const tree = upstreamTree(ctx.upstreamDir, 'cf-deployment', version);
  const file = tree && join(tree, 'cf-deployment.yml');
  const full = file && existsSync(file) ? load(readFileSync(file, 'utf8')) : undefined;
  const known = CF_DEPLOYMENT_PROFILES[version];
  const profile = known ?? (full === undefined ? undefined : profileOf(full));
  if (profile === undefined) {
    throw new LabError(lab.file, 'upstream.cf_deployment', `${version}, with no checked-in profile and no cf-deployment-${version}/cf-deployment.yml in the upstream directory`, `one of ${Object.keys(CF_DEPLOYMENT_PROFILES).join(', ')}`, undefined, 'pin a supported version, or set STACK_ELEVATOR_UPSTREAM to a directory holding that cf-deployment checkout');
  }
  if (known !== undefined && full !== undefined && JSON.stringify(profileOf(full)) !== JSON.stringify(known)) {
    throw new LabError(lab.file, 'upstream.cf_deployment', `a cf-deployment-${version}/cf-deployment.yml that differs from the checked-in ${version} profile`, `the manifest tagged ${version}`, undefined, `if upstream really changed, regenerate the profile: npm run profile -- <upstream>/cf-deployment-${version}/cf-deployment.yml`);
  }
  if (lab.controlPlane.mode === 'interpolated' && full === undefined) {
    throw new LabError(lab.file, 'control_plane.mode', `interpolated, without cf-deployment-${version}/cf-deployment.yml in the upstream directory`, 'the upstream checkout the interpolated manifest is rendered from', undefined, 'set STACK_ELEVATOR_UPSTREAM, or use mode cf-deployment');
  }
  const name = (profile as { name?: unknown }).name;
  if (name !== lab.controlPlane.deployment) {
    throw new LabError(lab.file, 'control_plane.deployment', lab.controlPlane.deployment, `${String(name)}: cf-deployment's DNS aliases and shared links name that deployment`);
  }
  return { profile, full };
}

function releaseEntry(doc: unknown, name: string): ManifestRelease {
  const releases = (doc as { releases?: unknown }).releases;
  const r = Array.isArray(releases) ? releases.find((x) => (x as { name?: unknown })?.name === name) : undefined;
  if (!r) throw InputError.inManifest('control-plane manifest', 'releases', `no release ${name}`, `the ${name} release cf-deployment declares`, BASE_MANIFEST_FIX);
  const { version, url, sha1 } = r as { version: unknown; url?: unknown; sha1?: unknown };
  return { name, version: String(version), ...(url ? { url: String(url) } : {}), ...(sha1 ? { sha1: String(sha1) } : {}) };
}

/**
 * The cells use the control plane's credentials by absolute name; each must be one the Lab says the
 * operator (or CredHub) provides, or the deploy fails on the director after the builds are done.
 */
function checkCredentials(lab: Lab, cells: unknown): void {
  const prefix = `/${lab.director.name}/${lab.controlPlane.deployment}/`;
  const provided = new Set(lab.director.variables);
  const missing = variableRefs(cells)
    .map((v) => (v.startsWith(prefix) ? v.slice(prefix.length) : v))
    .filter((v) => !provided.has(v));
  if (missing.length > 0) {
    throw new LabError(
      lab.file,
      'director.variables',
      `[${lab.director.variables.join(', ')}]`,
      `also ${missing.join(', ')}: control-plane credentials the cells reference as ((${prefix}<name>))`,
      undefined,
      `list every credential the cells use in director.variables: ${CELL_CREDENTIALS.join(", ")}`,
    );
  }
}

/** Consistency violations as lab errors at the lab field that causes them. */
function consistencyErrors(lab: Lab, violations: readonly Violation[]): LabError {
  const errs = violations.map((v) => {
    const stackIdx = lab.stacks.findIndex((s) => s.name === v.stack);
    const cellIdx = lab.cells.findIndex((c) => c.stack === v.stack);
    const path =
      v.kind === 'stack-unknown-to-cc' && cellIdx >= 0
        ? `cells[${cellIdx}].stack`
        : v.kind === 'bundle-not-served' && stackIdx >= 0
          ? `stacks[${stackIdx}].lifecycle_bundle`
          : stackIdx >= 0
            ? `stacks[${stackIdx}]`
            : 'cells';
    return new LabError(lab.file, path, v.message, 'the control plane and the cells to agree (see npm run placement)');
  });
  return errs.length === 1 ? errs[0] : new LabErrors(errs);
}

function checked(text: string, where: string): string {
  assertNoSecrets(text, where);
  return text;
}

/** The interpolated manifest takes the Lab's literal values (never credentials) for cf-deployment's vars. */
function substituteLabValues(doc: unknown, lab: Lab): unknown {
  const sd = lab.controlPlane.systemDomain;
  if (sd.startsWith('((')) return doc;
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split('((system_domain))').join(sd);
    if (Array.isArray(v)) return v.map(visit);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(doc);
}
