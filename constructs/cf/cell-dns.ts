import type { GoPatchOp } from '../bosh/ops-file';
import { replaceOp } from '../bosh/ops-file';
import { InputError } from '../../lab/errors';
import { BASE_MANIFEST_FIX, jobsOf, jobPath } from './manifest-scan';

/** The BOSH DNS alias the BBS and auctioneer reach reps by: `<instance-id>.cell.service.cf.internal`. */
export const CELL_ALIAS_DOMAIN = '_.cell.service.cf.internal';

export interface CellGroupRef {
  readonly deployment: string;
  readonly instanceGroup: string;
  readonly network: string;
}

/**
 * Ops that add cell instance groups of another deployment to the control plane's cell alias. Reps
 * register as `https://<id>.cell.service.cf.internal:1801`; without this the auctioneer cannot reach
 * a Pi cell that BOSH deployed separately, and ARM apps stay unplaced even though the cell is healthy.
 */
export function cellAliasOps(base: unknown, groups: readonly CellGroupRef[]): GoPatchOp[] {
  const holders = jobsOf(base).filter(({ job }) => {
    const aliases = (job.properties as { aliases?: unknown } | undefined)?.aliases;
    return Array.isArray(aliases) && aliases.some((a) => (a as { domain?: unknown })?.domain === CELL_ALIAS_DOMAIN);
  });
  if (holders.length === 0) throw InputError.inManifest('base manifest', 'addons[].jobs[].properties.aliases', `no bosh-dns alias ${CELL_ALIAS_DOMAIN}`, `the ${CELL_ALIAS_DOMAIN} alias cf-deployment declares`, BASE_MANIFEST_FIX);
  const ops: GoPatchOp[] = [];
  for (const { place } of holders) {
    const targets = jobPath(place).key('properties').key('aliases').match('domain', CELL_ALIAS_DOMAIN).key('targets');
    for (const g of groups) {
      ops.push(
        replaceOp(targets.match('instance_group', g.instanceGroup, true), {
          deployment: g.deployment,
          domain: 'bosh',
          instance_group: g.instanceGroup,
          network: g.network,
          query: '_',
        }),
      );
    }
  }
  return ops;
}

/** Control-plane services a cell in another deployment must resolve: BBS, locket, assets, logs, NATS. */
export const CELL_NEEDS_DOMAINS = [
  'bbs.service.cf.internal',
  'blobstore.service.cf.internal',
  'cc-uploader.service.cf.internal',
  'doppler.service.cf.internal',
  'file-server.service.cf.internal',
  'locket.service.cf.internal',
  'nats.service.cf.internal',
] as const;

/**
 * The control plane's own alias entries for the given domains, copied as they are: they already name
 * the control plane's deployment, instance groups and network, so the cells resolve the same hosts the
 * control plane does and nothing is re-derived.
 */
export function aliasesFrom(base: unknown, domains: readonly string[]): Array<Record<string, unknown>> {
  const byDomain = new Map<string, Record<string, unknown>>();
  for (const { job } of jobsOf(base)) {
    const aliases = (job.properties as { aliases?: unknown } | undefined)?.aliases;
    if (!Array.isArray(aliases)) continue;
    for (const a of aliases) {
      const domain = (a as { domain?: unknown })?.domain;
      if (typeof domain === 'string' && domains.includes(domain) && !byDomain.has(domain)) byDomain.set(domain, structuredClone(a));
    }
  }
  const missing = domains.filter((d) => !byDomain.has(d));
  if (missing.length > 0) throw InputError.inManifest('control-plane manifest', 'addons[].jobs[].properties.aliases', `no bosh-dns alias for ${missing.join(', ')}`, 'an alias for every domain the cells resolve', BASE_MANIFEST_FIX);
  return [...domains].sort().map((d) => byDomain.get(d)!);
}
