import { checkConsistency } from '../../constructs/cf/consistency';
import { computePlacement, formatPlacement } from '../../constructs/cf/placement';
import { groupCells } from '../../constructs/cf/cell-groups';
import { testCell } from '../support/manifest-lab';

const cp = (stacks: string[], bundles: Record<string, string>, dests: Record<string, string>) => ({
  deployment: 'cf',
  doc: {
    name: 'cf',
    instance_groups: [
      { name: 'api', instances: 2, jobs: [{ name: 'cloud_controller_ng', release: 'capi', properties: { cc: { stacks: stacks.map((name) => ({ name })), diego: { lifecycle_bundles: bundles, droplet_destinations: dests } } } }] },
      { name: 'diego-cell', instances: 3, jobs: [{ name: 'rep', release: 'diego', properties: { diego: { rep: { preloaded_rootfses: ['cflinuxfs4:/var/vcap/packages/cflinuxfs4/rootfs.tar'] } } } }] },
    ],
  },
});
const cells = (stack: string, instances = 3) => ({
  deployment: 'rpi-cells',
  doc: { name: 'rpi-cells', instance_groups: [{ name: `${stack}-armhf-cell`, instances, jobs: [{ name: 'rep', release: 'd', properties: { diego: { rep: { preloaded_rootfses: [`${stack}:/var/vcap/packages/${stack}/rootfs.tar`], placement_tags: ['pi'] } } } }] }] },
});
const goodBundles = { 'buildpack/cflinuxfs4': 'buildpack_app_lifecycle/buildpack_app_lifecycle.tgz', 'buildpack/rpifs': 'arm/buildpack_app_lifecycle.tgz' };
const goodDests = { cflinuxfs4: '/home/vcap', rpifs: '/home/vcap' };
const served = ['buildpack_app_lifecycle/buildpack_app_lifecycle.tgz', 'arm/buildpack_app_lifecycle.tgz'];

describe('placement consistency', () => {
  it('passes when both sides agree', () => {
    expect(checkConsistency({ controlPlane: cp(['cflinuxfs4', 'rpifs'], goodBundles, goodDests), cells: [cells('rpifs')], servedBundles: served, fileServerRelease: 'diego-cp' })).toEqual([]);
  });

  it('names both sides when a cell advertises a stack the Cloud Controller lacks', () => {
    const v = checkConsistency({ controlPlane: cp(['cflinuxfs4', 'rpifs'], goodBundles, goodDests), cells: [cells('ghostfs')], servedBundles: served, fileServerRelease: 'diego-cp' });
    expect(v.map((x) => x.kind).sort()).toEqual(['stack-not-advertised', 'stack-unknown-to-cc']);
    const unknown = v.find((x) => x.kind === 'stack-unknown-to-cc')!.message;
    expect(unknown).toContain('rpi-cells: ghostfs-armhf-cell/rep');
    expect(unknown).toContain('cf: api/cloud_controller_ng');
    expect(v.find((x) => x.kind === 'stack-not-advertised')!.message).toMatch(/stack rpifs is in cc.stacks \(cf: api\/cloud_controller_ng\) but no cell advertises it/);
  });

  it('counts a cell group with no instances as advertising nothing', () => {
    const v = checkConsistency({ controlPlane: cp(['cflinuxfs4', 'rpifs'], goodBundles, goodDests), cells: [cells('rpifs', 0)], servedBundles: served, fileServerRelease: 'diego-cp' });
    expect(v.map((x) => x.kind)).toEqual(['stack-not-advertised']);
  });

  it('names the Cloud Controller job and the file_server release for an unserved bundle', () => {
    const v = checkConsistency({ controlPlane: cp(['cflinuxfs4', 'rpifs'], goodBundles, goodDests), cells: [cells('rpifs')], servedBundles: served.slice(0, 1), fileServerRelease: 'diego-cp' });
    expect(v).toHaveLength(1);
    expect(v[0].message).toBe(
      'lifecycle bundle buildpack/rpifs: arm/buildpack_app_lifecycle.tgz (cc.diego.lifecycle_bundles of cf: api/cloud_controller_ng) is not served by the file_server of release diego-cp, which serves [buildpack_app_lifecycle/buildpack_app_lifecycle.tgz]',
    );
  });

  it('finds a stack that is half wired (no bundle or droplet destination in a job)', () => {
    const v = checkConsistency({ controlPlane: cp(['cflinuxfs4', 'rpifs'], { 'buildpack/cflinuxfs4': goodBundles['buildpack/cflinuxfs4'] }, { cflinuxfs4: '/home/vcap' }), cells: [cells('rpifs')], servedBundles: served, fileServerRelease: 'diego-cp' });
    expect(v.map((x) => x.kind)).toEqual(['stack-not-wired']);
    expect(v[0].message).toContain('cc.diego.lifecycle_bundles["buildpack/rpifs"] or cc.diego.droplet_destinations["rpifs"]');
  });
});

describe('placement report', () => {
  it('lists per stack the instance groups and cell counts from both deployments', () => {
    const rows = computePlacement(cp(['cflinuxfs4', 'rpifs'], goodBundles, goodDests), [cells('rpifs')]);
    expect(rows.map((r) => [r.stack, r.cells, r.groups.map((g) => `${g.deployment}/${g.instanceGroup}`)])).toEqual([
      ['cflinuxfs4', 3, ['cf/diego-cell']],
      ['rpifs', 3, ['rpi-cells/rpifs-armhf-cell']],
    ]);
    expect(formatPlacement(rows)).toContain('rpifs: 3 cells (in cc.stacks; bundle arm/buildpack_app_lifecycle.tgz)\n  rpi-cells/rpifs-armhf-cell (rep): 3 cells  placement_tags: pi\n');
  });
});

describe('cell grouping', () => {
  it('groups identical cells, orders by IP, and names groups independently of lab order', () => {
    const cellsIn = [testCell(3), testCell(1, { placementTags: ['gpu'] }), testCell(2), testCell(4, { vmType: 'rpi5' })];
    const groups = groupCells(cellsIn);
    expect(groups.map((g) => [g.name, g.cells.map((c) => c.ip), g.indexes])).toEqual([
      ['rpifs-armhf-cell-gpu', ['192.168.50.21'], [1]],
      ['rpifs-armhf-cell', ['192.168.50.22', '192.168.50.23'], [2, 0]],
      ['rpifs-armhf-cell-2', ['192.168.50.24'], [3]],
    ]);
    expect(groupCells([...cellsIn].reverse()).map((g) => g.name)).toEqual(groups.map((g) => g.name));
  });
});
