import { relative } from 'node:path';
import { CF_DEPLOYMENT_PROFILES, profileFileOf } from '../../constructs/cf';
import { RUNTIME_RECIPES, RuntimeRelease, type RuntimeReleaseRecipe } from '../../constructs/runtime';
import { LabError, LabErrors } from '../../lab/errors';
import { lockFileFor } from '../../lab/load-lock';
import type { Arch, CellReleaseChoice } from '../../lab/model';
import type { LabContext } from '../context';
import { upstreamDirOf } from './diego-source';

/** The releases a cell runs beside the rep whose version follows cf-deployment's `releases:`. */
export const PAIRED_WITH_CF_DEPLOYMENT = ['bpm', 'garden-runc', 'loggregator-agent'] as const;

/**
 * bosh-dns of bosh-deployment's `runtime-configs/dns.yml` at the commit closest to each cf-deployment tag
 * (cf-deployment pins no bosh-dns): v44.8.0 was cut on 2024-11-13, beside bosh-deployment d6dcaf75,
 * which pins 1.39.0. A lab on another cf-deployment names it in dns_runtime_config.
 */
export const DNS_RUNTIME_CONFIG_FOR: Readonly<Record<string, string>> = { 'v44.8.0': '1.39.0' };

/** One release a cell runs beside the rep, with where its version comes from. */
export interface CellRuntimeRelease {
  readonly name: string;
  /** Upstream version the cells run, e.g. 1.4.3. */
  readonly upstreamVersion: string;
  /** The version the manifest names: upstream's, or `<upstream>+arm.<hash>` when the ARM build differs. */
  readonly version: string;
  /** The version the control plane runs, and where it was read. */
  readonly paired: { readonly version: string; readonly from: string };
  /** Set when the lab runs another version than the paired one. */
  readonly override?: { readonly reason: string };
  /** True when the lab puts it on the director itself. */
  readonly supplied: boolean;
  /** The source release the plan builds, per cell arch (empty when supplied). */
  readonly built: ReadonlyMap<Arch, RuntimeRelease>;
  /** In the cells manifest (bpm, garden, the agent); bosh-dns comes from the director's runtime config instead. */
  readonly inManifest: boolean;
}

export type CellRuntimePart = ReadonlyMap<string, CellRuntimeRelease>;

/**
 * Every release a Pi cell runs beside the rep: versions from one place (cf-deployment for bpm,
 * garden-runc and the loggregator agent; the DNS runtime config for bosh-dns), a lab's other version
 * only with a reason, each built from its pinned source for every cell arch unless the lab supplies it.
 */
export function addCellRuntime(ctx: LabContext): CellRuntimePart {
  const { lab } = ctx;
  const paired = pairedVersions(ctx);
  const archs = [...new Set(lab.cells.map((c) => c.arch))].sort();
  const errors: LabError[] = [];
  const out = new Map<string, CellRuntimeRelease>();
  for (const [name, pair] of [...paired].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const choice: CellReleaseChoice = lab.cellReleases[name as keyof typeof lab.cellReleases] ?? { supplied: false };
    const problem = versionProblem(ctx, name, choice, pair);
    if (problem) {
      errors.push(problem);
      continue;
    }
    const upstreamVersion = choice.version ?? pair.version;
    const override = upstreamVersion !== pair.version ? { reason: choice.reason as string } : undefined;
    const common = { name, upstreamVersion, paired: pair, ...(override ? { override } : {}), supplied: choice.supplied, inManifest: name !== 'bosh-dns' };
    if (choice.supplied) {
      out.set(name, { ...common, version: upstreamVersion, built: new Map() });
      continue;
    }
    try {
      const built = buildRelease(ctx, name, upstreamVersion, archs);
      const version = [...built.values()][0]?.version ?? upstreamVersion;
      out.set(name, { ...common, version, built });
    } catch (err) {
      if (!(err instanceof LabError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new LabErrors(errors);
  return out;
}

/** Each runtime release's paired version and its source. */
function pairedVersions(ctx: LabContext): Map<string, { version: string; from: string }> {
  const { lab } = ctx;
  const cf = lab.upstream.cfDeployment;
  const profile = CF_DEPLOYMENT_PROFILES[cf] as { releases?: Array<{ name?: unknown; version?: unknown }> } | undefined;
  const out = new Map<string, { version: string; from: string }>();
  for (const name of PAIRED_WITH_CF_DEPLOYMENT) {
    const entry = profile?.releases?.find((r) => r.name === name);
    if (!entry) {
      throw new LabError(lab.file, 'upstream.cf_deployment', `${cf}, whose profile (${profileFileOf(cf)}) pins no ${name} release`, `a cf-deployment with a checked-in profile that deploys ${name}`, undefined, 'pin a supported cf-deployment (npm run profile writes a profile)');
    }
    out.set(name, { version: String(entry.version), from: `cf-deployment ${cf} (${profileFileOf(cf)}, releases[name=${name}])` });
  }
  const dns = lab.dnsRuntimeConfig?.boshDns ?? DNS_RUNTIME_CONFIG_FOR[cf];
  if (dns === undefined) {
    throw new LabError(lab.file, 'dns_runtime_config', `nothing, and no known bosh-deployment DNS runtime config for cf-deployment ${cf}`, "the bosh-dns version of the director's runtime config", undefined, 'add dns_runtime_config: { bosh_dns: <version> } as your director runs it (bosh runtime-config)');
  }
  out.set('bosh-dns', { version: dns, from: lab.dnsRuntimeConfig ? `${lab.file} dns_runtime_config.bosh_dns` : `bosh-deployment runtime-configs/dns.yml paired with cf-deployment ${cf}` });
  return out;
}

/** A version other than the paired one needs a reason; a reason needs a version to explain. */
function versionProblem(ctx: LabContext, name: string, choice: CellReleaseChoice, pair: { version: string; from: string }): LabError | undefined {
  const path = `cell_releases.${name}`;
  if (choice.version !== undefined && choice.version !== pair.version && !choice.reason) {
    return new LabError(ctx.lab.file, `${path}.version`, `${choice.version} with no reason`, `${pair.version}, the ${name} that ${pair.from} runs, or a reason: for running another`, undefined, `remove ${path}.version, or add ${path}.reason`);
  }
  if (choice.reason && (choice.version === undefined || choice.version === pair.version)) {
    return new LabError(ctx.lab.file, `${path}.reason`, `a reason, with ${choice.version ?? 'no'} version`, `a reason only beside a version other than ${pair.version} (${pair.from})`, undefined, `remove ${path}.reason`);
  }
  return undefined;
}

/** The source release of one runtime release per cell arch, from its pinned tree; refused when nothing pins it. */
function buildRelease(ctx: LabContext, name: string, version: string, archs: readonly Arch[]): Map<Arch, RuntimeRelease> {
  const recipe: RuntimeReleaseRecipe | undefined = RUNTIME_RECIPES[name];
  if (!recipe) {
    throw new LabError(ctx.lab.file, `cell_releases.${name}`, `nothing: the plan has no ARM build of ${name}`, `supplied: true (the lab puts ${name} ${version}, compiled for every cell stemcell, on the director)`);
  }
  const tag = `v${version}`;
  const lockFile = lockFileFor(ctx.lab.file);
  const pin = ctx.lock.upstream[recipe.upstreamRelease];
  const tarball = `${recipe.upstreamRelease}-${tag}-src.tgz`;
  const looked = `${lockFile} upstream.${recipe.upstreamRelease}; then ${tarball} in ${rel(ctx, ctx.upstreamDir)} (STACK_ELEVATOR_UPSTREAM) at build time`;
  if (!pin || pin.version !== tag || !pin.tarballSha256) {
    throw new LabError(
      lockFile,
      `upstream.${recipe.upstreamRelease}`,
      pin ? `${pin.version}${pin.tarballSha256 ? '' : ' with no tarballSha256'}` : 'no pin',
      `${tag} with its tarballSha256: ${name} ${version} has no pinned source (looked in ${looked})`,
      undefined,
      `pin ${recipe.upstreamRelease} ${tag} (tag, commit, sha256 of ${tarball}) in ${lockFile}, or supply ${name} yourself (cell_releases.${name}.supplied: true)`,
    );
  }
  const blobPins: Record<string, { file: string; sha256: string }> = {};
  for (const b of (recipe.replacements ?? []).flatMap((r) => r.blobs)) {
    if (b.kind !== 'upstream') continue;
    const p = ctx.lock.upstream[b.lockKey];
    if (!p?.tarballSha256) throw new LabError(lockFile, `upstream.${b.lockKey}`, 'no pin with a tarballSha256', `the source tarball ${name}'s ${b.path} is built from`, undefined, `pin ${b.lockKey} (version, sha256 of ${b.lockKey}-<version>-src.tgz) in ${lockFile}`);
    blobPins[b.lockKey] = { file: `${b.lockKey}-${p.version}-src.tgz`, sha256: p.tarballSha256 };
  }
  const upstream = { release: recipe.upstreamRelease, version: tag, repo: recipe.repo, ...(pin.sha ? { sha: pin.sha } : {}), tarballSha256: pin.tarballSha256 };
  return new Map(
    archs.map((arch) => [
      arch,
      new RuntimeRelease(ctx.scope, `Runtime-${name}-${arch}`, { recipe, upstream, upstreamTree: { kind: 'pinned', upstreamDir: upstreamDirOf(ctx) }, arch, blobPins }),
    ]),
  );
}

function rel(ctx: LabContext, dir: string): string {
  return relative(ctx.projectRoot, dir).split('\\').join('/') || '.';
}
