import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { CF_DEPLOYMENT_PROFILES, profileFileOf } from '../../constructs/cf';
import { LabError } from '../../lab/errors';
import { lockFileFor } from '../../lab/load-lock';
import type { LabContext } from '../context';

/** The diego-release tag a lab builds, and where that version was read. */
export interface DiegoVersion {
  /** Git tag of diego-release, e.g. v2.105.0. */
  readonly tag: string;
  /** Human form of the source, e.g. "cf-deployment v44.8.0 (constructs/cf/profiles/cf-deployment-v44.8.0.json, releases[name=diego])". */
  readonly from: string;
}

/**
 * One source of truth: the diego release cf-deployment deploys is the one both Diego variants are built
 * from (the control-plane variant replaces it, the cells talk to its BBS, and BBS migrations only run
 * forward). The version comes from the lab's cf-deployment (checked-in profile, else the upstream
 * manifest); a lab or lock naming another version is refused with both versions and their sources.
 */
export function diegoVersionOf(ctx: LabContext): DiegoVersion {
  const { lab } = ctx;
  const cf = lab.upstream.cfDeployment;
  const known = CF_DEPLOYMENT_PROFILES[cf];
  const manifestFile = join(ctx.upstreamDir, `cf-deployment-${cf}`, 'cf-deployment.yml');
  let doc: unknown = known;
  let file = profileFileOf(cf);
  if (doc === undefined && existsSync(manifestFile)) {
    doc = load(readFileSync(manifestFile, 'utf8'));
    file = `cf-deployment-${cf}/cf-deployment.yml in the upstream directory`;
  }
  if (doc === undefined) {
    throw new LabError(lab.file, 'upstream.cf_deployment', `${cf}, with no checked-in profile and no cf-deployment-${cf}/cf-deployment.yml in the upstream directory`, `one of ${Object.keys(CF_DEPLOYMENT_PROFILES).join(', ')}`, undefined, 'pin a supported version, or set STACK_ELEVATOR_UPSTREAM to a directory holding that cf-deployment checkout');
  }
  const releases = (doc as { releases?: unknown }).releases;
  const diego = Array.isArray(releases) ? releases.find((r) => (r as { name?: unknown })?.name === 'diego') : undefined;
  const version = (diego as { version?: unknown } | undefined)?.version;
  if (typeof version !== 'string' && typeof version !== 'number') {
    throw new LabError(lab.file, 'upstream.cf_deployment', `${cf}, whose manifest (${file}) pins no diego release`, 'a cf-deployment that deploys diego');
  }
  const tag = `v${String(version).replace(/^v/, '')}`;
  const from = `cf-deployment ${cf} (${file}, releases[name=diego])`;
  if (lab.upstream.diegoRelease !== tag) {
    throw new LabError(
      lab.file,
      'upstream.diego_release',
      `${lab.upstream.diegoRelease} (${lab.file} upstream.diego_release)`,
      `${tag}, the diego release ${from} deploys`,
      undefined,
      `set upstream.diego_release to ${tag}, or pick the cf-deployment that pins ${lab.upstream.diegoRelease}: both Diego variants must be built from the diego release cf-deployment runs (BBS migrations only run forward)`,
    );
  }
  const pinned = ctx.lock.upstream['diego-release']?.version;
  if (pinned !== undefined && pinned !== tag) {
    throw new LabError(
      lockFileFor(lab.file),
      'upstream.diego-release.version',
      pinned,
      `${tag}, the diego release ${from} deploys`,
      undefined,
      'make the lock pin the diego-release tag cf-deployment deploys',
    );
  }
  return { tag, from };
}
