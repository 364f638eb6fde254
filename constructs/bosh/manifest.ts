import { InputError } from '../../lab/errors';
import { renderYaml } from './yaml';

/** A release the deployment uses, at an exact version (a release the plan builds carries its content-addressed version; never `latest`). */
export interface ManifestRelease {
  readonly name: string;
  readonly version: string;
  /** @default undefined (no url: the director must have the release already, e.g. uploaded by the plan) */
  readonly url?: string;
  /** @default undefined (no checksum: only with no url) */
  readonly sha1?: string;
}

export interface ManifestStemcell {
  readonly alias: string;
  readonly os: string;
  readonly version: string;
}

export interface ManifestUpdate {
  readonly canaries: number;
  readonly max_in_flight: number | string;
  readonly canary_watch_time: string;
  readonly update_watch_time: string;
  /** @default undefined (BOSH's own default: serial) */
  readonly serial?: boolean;
}

/** A cross-deployment or renamed link: `consumes: {nats-tls: {from: nats-tls, deployment: cf}}`. */
export interface LinkRef {
  /** @default undefined (the link of the consumer's own name) */
  readonly from?: string;
  /** @default undefined (this deployment) */
  readonly deployment?: string;
}

export interface ManifestJob {
  readonly name: string;
  readonly release: string;
  /** @default undefined (the job spec's defaults) */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** @default undefined (links resolved by type within the deployment) */
  readonly consumes?: Readonly<Record<string, LinkRef>>;
  /** @default undefined (links provided under their spec names, not shared) */
  readonly provides?: Readonly<Record<string, { readonly as?: string; readonly shared?: boolean }>>;
}

export interface ManifestNetwork {
  readonly name: string;
  /** @default undefined (dynamic IPs) */
  readonly static_ips?: readonly string[];
  /** @default undefined (BOSH picks the default network when the group has one) */
  readonly default?: readonly string[];
}

export interface InstanceGroup {
  readonly name: string;
  readonly azs: readonly string[];
  readonly instances: number;
  readonly vm_type: string;
  /** @default undefined (none) */
  readonly vm_extensions?: readonly string[];
  readonly stemcell: string;
  readonly networks: readonly ManifestNetwork[];
  readonly jobs: readonly ManifestJob[];
  /** @default undefined (the manifest's update block) */
  readonly update?: Partial<ManifestUpdate>;
}

/** `include`/`exclude` of an addon are left loose: BOSH accepts several shapes and we only pass them through. */
export interface Addon {
  readonly name: string;
  readonly jobs: readonly ManifestJob[];
  /** @default undefined (every instance group) */
  readonly include?: Readonly<Record<string, unknown>>;
  /** @default undefined (none excluded) */
  readonly exclude?: Readonly<Record<string, unknown>>;
}

/** A variable the director (or CredHub) generates; values never appear in a manifest. */
export interface ManifestVariable {
  readonly name: string;
  readonly type: 'password' | 'certificate' | 'rsa' | 'ssh' | 'user';
  /** @default undefined (the generator's defaults for the type) */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface BoshManifest {
  readonly name: string;
  readonly releases: readonly ManifestRelease[];
  readonly stemcells: readonly ManifestStemcell[];
  readonly update: ManifestUpdate;
  /** @default undefined (no addons section) */
  readonly addons?: readonly Addon[];
  readonly instance_groups: readonly InstanceGroup[];
  /** @default undefined (no variables section) */
  readonly variables?: readonly ManifestVariable[];
}

/** BOSH's conventional top-level order; everything below it is rendered name-first, then sorted. */
export const MANIFEST_SECTION_ORDER = ['name', 'manifest_version', 'releases', 'stemcells', 'update', 'addons', 'instance_groups', 'variables'] as const;

/** Renders a manifest after checking it is internally whole (see validateManifest). */
export function renderManifest(m: BoshManifest): string {
  const problems = validateManifest(m);
  if (problems.length > 0) throw InputError.at({ file: `manifest ${m.name}`, path: 'instance_groups', found: `inconsistent groups: ${problems.join('; ')}`, expected: 'groups that use only the releases and stemcells the manifest declares', fix: 'declare what the groups use, or drop the group' });
  return renderYaml(m, MANIFEST_SECTION_ORDER);
}

/**
 * The mistakes `bosh interpolate` cannot see but `bosh deploy` fails on much later: a job from an
 * undeclared release, an unknown stemcell alias, duplicate names, static IPs that do not match the
 * instance count.
 */
export function validateManifest(m: BoshManifest): string[] {
  const problems: string[] = [];
  const releases = new Set(m.releases.map((r) => r.name));
  const stemcells = new Set(m.stemcells.map((s) => s.alias));
  dupes(m.releases.map((r) => r.name)).forEach((n) => problems.push(`release ${n} declared twice`));
  dupes(m.stemcells.map((s) => s.alias)).forEach((n) => problems.push(`stemcell alias ${n} declared twice`));
  dupes(m.instance_groups.map((g) => g.name)).forEach((n) => problems.push(`instance group ${n} declared twice`));
  const checkJobs = (where: string, jobs: readonly ManifestJob[]): void => {
    dupes(jobs.map((j) => j.name)).forEach((n) => problems.push(`${where}: job ${n} listed twice`));
    for (const j of jobs) {
      if (!releases.has(j.release)) problems.push(`${where}: job ${j.name} uses release ${j.release}, which the manifest does not declare`);
    }
  };
  for (const a of m.addons ?? []) checkJobs(`addon ${a.name}`, a.jobs);
  for (const g of m.instance_groups) {
    const where = `instance group ${g.name}`;
    if (!stemcells.has(g.stemcell)) problems.push(`${where}: stemcell alias ${g.stemcell} is not declared`);
    if (g.azs.length === 0) problems.push(`${where}: no azs`);
    if (g.networks.length === 0) problems.push(`${where}: no networks`);
    for (const n of g.networks) {
      if (n.static_ips && n.static_ips.length !== g.instances) {
        problems.push(`${where}: network ${n.name} has ${n.static_ips.length} static IPs for ${g.instances} instances`);
      }
    }
    checkJobs(where, g.jobs);
  }
  return problems;
}

function dupes(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const n of names) (seen.has(n) ? twice : seen).add(n);
  return [...twice].sort();
}
