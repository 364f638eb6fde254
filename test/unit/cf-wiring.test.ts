import { applyOps, findPath } from '../../constructs/bosh/go-patch';
import { stackWiringOps } from '../../constructs/cf/stack-wiring';
import { releaseSwapOps } from '../../constructs/cf/diego-swap';
import { cellAliasOps, CELL_ALIAS_DOMAIN, aliasesFrom, CELL_NEEDS_DOMAINS } from '../../constructs/cf/cell-dns';
import { controlPlanePlacementOps } from '../../constructs/cf/control-plane-placement';
import { ccPlaces, jobsOf } from '../../constructs/cf/manifest-scan';
import { loadFixtureCfDeployment } from '../support/manifest-profile';

const upstream = loadFixtureCfDeployment();
const stack = { name: 'rpifs', description: 'Pi', lifecycleBundle: 'buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz', dropletDestination: '/home/vcap' };

describe('Cloud Controller stack wiring over cf-deployment v58.0.0', () => {
  it('adds the stack, its bundle and droplet destination in every job that configures them', () => {
    const out = applyOps(upstream, stackWiringOps(upstream, [stack]));
    const places = ccPlaces(out);
    // cf-deployment v58: cc.stacks on api/cloud_controller_ng; bundles and destinations in four jobs.
    expect(places.filter((p) => p.stacks).map((p) => `${p.group}/${p.job}`)).toEqual(['api/cloud_controller_ng']);
    expect(places.filter((p) => p.lifecycleBundles).map((p) => `${p.group}/${p.job}`)).toEqual(['api/cloud_controller_ng', 'cc-worker/cloud_controller_worker', 'scheduler/cloud_controller_clock', 'scheduler/cc_deployment_updater']);
    expect(places.filter((p) => p.dropletDestinations).map((p) => `${p.group}/${p.job}`)).toEqual(['api/cloud_controller_ng', 'cc-worker/cloud_controller_worker', 'scheduler/cloud_controller_clock', 'scheduler/cc_deployment_updater']);
    const at = (where: string) => places.find((p) => `${p.group}/${p.job}` === where)!;
    expect(at('api/cloud_controller_ng').stacks).toContainEqual({ name: 'rpifs', description: 'Pi' });
    for (const where of ['api/cloud_controller_ng', 'cc-worker/cloud_controller_worker', 'scheduler/cloud_controller_clock', 'scheduler/cc_deployment_updater']) {
      const p = at(where);
      expect({ where, bundle: p.lifecycleBundles?.['buildpack/rpifs'], destination: p.dropletDestinations?.rpifs }).toEqual({ where, bundle: stack.lifecycleBundle, destination: '/home/vcap' });
      // upstream's own entries survive
      expect({ where, bundle: p.lifecycleBundles?.['buildpack/cflinuxfs4'], destination: p.dropletDestinations?.cflinuxfs4 }).toEqual({ where, bundle: 'buildpack_app_lifecycle/buildpack_app_lifecycle.tgz', destination: '/home/vcap' });
    }
  });

  it('is idempotent: applying the ops twice gives the same manifest', () => {
    const ops = stackWiringOps(upstream, [stack]);
    const once = applyOps(upstream, ops);
    expect(applyOps(once, ops)).toEqual(once);
  });

  it('refuses a base manifest with no Cloud Controller', () => {
    expect(() => stackWiringOps({ instance_groups: [] }, [stack])).toThrow(/nowhere/);
  });
});

describe('Diego release swap', () => {
  it('points every job of upstream diego at the variant and declares only the variant', () => {
    const out = applyOps(upstream, releaseSwapOps(upstream, 'diego', { name: 'diego-lab-cp', version: '2.105.0+arm.1' }));
    const users = jobsOf(upstream).filter((j) => j.place.release === 'diego');
    expect(users.length).toBeGreaterThanOrEqual(10);
    expect(jobsOf(out).filter((j) => j.place.release === 'diego')).toEqual([]);
    expect(jobsOf(out).filter((j) => j.place.release === 'diego-lab-cp')).toHaveLength(users.length);
    const releases = findPath(out, '/releases') as Array<{ name: string; version: string }>;
    expect(releases.filter((r) => r.name.startsWith('diego'))).toEqual([{ name: 'diego-lab-cp', version: '2.105.0+arm.1' }]);
  });
});

describe('DNS aliases and placement of the control plane', () => {
  it('adds the Pi cell groups to the cell alias the auctioneer uses, once', () => {
    const ops = cellAliasOps(upstream, [{ deployment: 'rpi-cells', instanceGroup: 'rpifs-armhf-cell', network: 'rpi' }]);
    const out = applyOps(applyOps(upstream, ops), ops);
    const targets = findPath(out, `/addons/name=bosh-dns-aliases/jobs/name=bosh-dns-aliases/properties/aliases/domain=${CELL_ALIAS_DOMAIN}/targets`) as Array<Record<string, string>>;
    expect(targets.filter((t) => t.deployment === 'rpi-cells')).toEqual([{ deployment: 'rpi-cells', domain: 'bosh', instance_group: 'rpifs-armhf-cell', network: 'rpi', query: '_' }]);
  });

  it('moves every instance group and every alias target to the lab network, AZ and stemcell', () => {
    const out = applyOps(upstream, controlPlanePlacementOps(upstream, { network: 'vsphere-cf', azs: ['z1'], stemcell: { os: 'ubuntu-jammy', version: '1.639' } }));
    const text = JSON.stringify(out);
    expect(text).not.toContain('"network":"default"');
    expect(findPath(out, '/stemcells/alias=default')).toEqual({ alias: 'default', os: 'ubuntu-jammy', version: '1.639' });
    for (const g of findPath(out, '/instance_groups') as Array<{ azs: string[]; networks: unknown }>) {
      expect(g.azs).toEqual(['z1']);
      expect(g.networks).toEqual([{ name: 'vsphere-cf' }]);
    }
    expect(aliasesFrom(out, CELL_NEEDS_DOMAINS).map((a) => a.domain)).toEqual([...CELL_NEEDS_DOMAINS].sort());
  });
});
