import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { LabError } from '../../lab/errors';
import { BOSH_ARTIFACTS } from '../../stacks/parts/manifests';
import { manifestsFor, testCell, testLab, testStack } from '../support/manifest-lab';

const OPS = ['10-use-lab-placement.yml', '20-add-stacks.yml', '30-use-diego-control-plane-variant.yml', '40-add-cell-dns-aliases.yml'];

function synthError(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected the synth to fail');
}

describe('lab manifests at synth', () => {
  it('writes the control-plane ops-files and the cells manifest, and plans each deployment on its own releases', () => {
    const h = manifestsFor(testLab());
    const files = h.store.all().map(([p]) => p).filter((p) => p.startsWith('bosh/'));
    expect(files).toEqual([BOSH_ARTIFACTS.cellsManifest, ...OPS.map((f) => `${BOSH_ARTIFACTS.controlPlaneOpsDir}/${f}`)]);
    const step = (id: string) => h.graph.ordered().find((s) => s.id === id)!;
    const director = h.graph.ordered().filter((s) => s.script === 'bosh-deploy');
    expect(director.map((s) => s.id).sort()).toEqual(['lab-bosh-cells-deploy', 'lab-bosh-cells-upload', 'lab-bosh-control-plane-deploy', 'lab-bosh-control-plane-upload']);
    for (const s of director) expect(s.needs).toEqual(['bosh', 'director']);
    // Each upload is triggered by its deployment's releases only, and gated (order only) on their receipt.
    expect(step('lab-bosh-control-plane-upload')).toMatchObject({ after: ['lab-diego-cp'], orderAfter: ['lab-bosh-control-plane-record'] });
    // The cells' releases go up compiled for their stemcell; the control plane's variant as source.
    expect(step('lab-bosh-cells-upload')).toMatchObject({ after: ['lab-compiled-diego-test-cell-armhf-rpi-compile', 'lab-compiled-rpifs-rootfs-rpi-compile'], orderAfter: ['lab-bosh-cells-record'] });
    // the cells' receipt covers their compiled releases and the source releases those are compiled from
    const cellBuild = ['lab-compiled-diego-test-cell-armhf-rpi-compile', 'lab-compiled-rpifs-rootfs-rpi-compile', 'lab-diego-cell', 'lab-rootfs-rpifs'];
    expect(step('lab-bosh-cells-record')).toMatchObject({ script: 'write-receipt', after: cellBuild, args: { after: cellBuild.join(',') } });
    expect(step('lab-bosh-control-plane-record')).toMatchObject({ script: 'write-receipt', after: ['lab-diego-cp'] });
    // Control plane before cells: an order-only edge, so a control-plane re-run does not redeploy the cells.
    expect(step('lab-bosh-control-plane-deploy')).toMatchObject({ after: ['lab-bosh-control-plane-upload'], orderAfter: [] });
    expect(step('lab-bosh-cells-deploy')).toMatchObject({ after: ['lab-bosh-cells-upload'], orderAfter: ['lab-bosh-control-plane-deploy'] });
    const order = h.graph.ordered().map((s) => s.id);
    expect(order.indexOf('lab-bosh-control-plane-deploy')).toBeLessThan(order.indexOf('lab-bosh-cells-deploy'));
    expect(step('lab-bosh-control-plane-upload').args.stemcells).toBe('ubuntu-jammy/1.639');
    expect(step('lab-bosh-cells-upload').args.stemcells).toBe('debian-bookworm-armhf/0.1.0');
    expect(step('lab-bosh-control-plane-deploy').args).toMatchObject({ action: 'deploy', base: 'cf-deployment@v58.0.0', deployment: 'cf', ops: OPS.map((f) => `bosh/control-plane/ops/${f}`).join(',') });
    expect(step('lab-bosh-cells-deploy').args).toMatchObject({ action: 'deploy', deployment: 'rpi-cells', manifest: 'bosh/cells/manifest.yml' });
    // The releases the lab supplies, per cell stemcell, checked on the director before the cells deploy.
    // the test lab supplies every runtime release, bosh-dns too: each must be on the director compiled for the stemcell
    expect(step('lab-bosh-cells-deploy').args.requires).toBe('bosh-dns/1.39.0@debian-bookworm-armhf/0.1.0,bpm/1.4.33@debian-bookworm-armhf/0.1.0,garden-runc/1.92.0@debian-bookworm-armhf/0.1.0,loggregator-agent/8.3.22@debian-bookworm-armhf/0.1.0');
    expect(step('lab-bosh-control-plane-deploy').args.requires).toBeUndefined();
  });

  it("gives the cells' rep exactly its stack's preloaded rootfs and the lab's placement tags", () => {
    const h = manifestsFor(testLab({ cells: [testCell(1, { placementTags: ['pi'] }), testCell(2, { placementTags: ['pi'] })] }));
    const doc = load(h.text(BOSH_ARTIFACTS.cellsManifest)) as { instance_groups: Array<{ name: string; instances: number; jobs: Array<{ name: string; release: string; properties?: any }> }> };
    expect(doc.instance_groups.map((g) => [g.name, g.instances])).toEqual([['rpifs-armhf-cell-pi', 2]]);
    const jobs = doc.instance_groups[0].jobs;
    expect(jobs.map((j) => `${j.name}@${j.release}`)).toEqual(['bpm@bpm', 'rpifs-rootfs-setup@rpifs-rootfs', 'garden@garden-runc', 'rep@diego-test-cell-armhf', 'route_emitter@diego-test-cell-armhf', 'loggregator_agent@loggregator-agent']);
    const rep = jobs.find((j) => j.name === 'rep')!.properties.diego.rep;
    expect(rep).toEqual({ preloaded_rootfses: ['rpifs:/var/vcap/packages/rpifs/rootfs.tar'], placement_tags: ['pi'] });
  });

  it('fails when a cell names a stack the control plane lacks, naming both sides', () => {
    const lab = testLab({ cells: [testCell(1), testCell(2, { stack: 'ghostfs' })] });
    const err = synthError(() => manifestsFor(lab));
    expect(err.message).toContain('cells[1].stack');
    expect(err.message).toMatch(/cell rpi-cells: ghostfs-armhf-cell\/rep advertises stack ghostfs .* but the Cloud Controller \(cf: api\/cloud_controller_ng\) does not know it: cc.stacks is \[cflinuxfs4, rpifs\]/);
  });

  it('fails when a stack is known to the Cloud Controller but no cell advertises it', () => {
    const lab = testLab({ stacks: [testStack(), testStack({ name: 'arm64fs', arch: 'arm64', lifecycleBundle: 'buildpack_app_lifecycle_arm64/buildpack_app_lifecycle.tgz' })] });
    const err = synthError(() => manifestsFor(lab));
    expect(err.message).toMatch(/stacks\[1\]: found stack arm64fs is in cc.stacks \(cf: api\/cloud_controller_ng\) but no cell advertises it/);
  });

  it('fails when the lifecycle bundle is not served by the file_server variant, naming both', () => {
    const err = synthError(() => manifestsFor(testLab(), { served: ['buildpack_app_lifecycle_arm64/buildpack_app_lifecycle.tgz'] }));
    expect(err.message).toContain('stacks[0].lifecycle_bundle');
    expect(err.message).toContain('lifecycle bundle buildpack/rpifs: buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz (cc.diego.lifecycle_bundles of cf: api/cloud_controller_ng) is not served by the file_server of release diego-test-cp');
    // cf-deployment's own bundles count as served: the variant extends the diego it is released with.
    expect(err.message).not.toContain('buildpack/cflinuxfs4');
  });

  it('fails when a cell stack passes every check but the plan builds no rootfs release for it', () => {
    const lab = testLab();
    const err = synthError(() => manifestsFor(lab, { withoutRootfs: ['rpifs'] }));
    expect(err.message).toBe('test-lab.yaml: cells[0].stack: found rpifs, for which the plan builds no rootfs release, expected a stack of the lab (stacks:) whose rootfs release the plan builds');
    expect(err.path).toBe('cells[0].stack');
    // the same lab with its rootfs release synthesizes: the refusal is about the missing release only
    expect(() => manifestsFor(lab)).not.toThrow();
  });

  it('fails when the lab does not provide a credential the cells reference', () => {
    const lab = testLab({ director: { name: 'test-bosh', variables: ['system_domain', 'diego_bbs_client'] } });
    const err = synthError(() => manifestsFor(lab));
    expect(err.path).toBe('director.variables');
    expect(err.message).toContain('also credhub_tls, diego_instance_identity_ca, diego_rep_agent_v2');
  });

  it('synthesizes the same ops offline (checked-in profile) as with the upstream checkout', () => {
    const withUpstream = manifestsFor(testLab());
    const offline = manifestsFor(testLab(), { upstreamDir: '/nonexistent-upstream' });
    for (const f of OPS) {
      const p = `${BOSH_ARTIFACTS.controlPlaneOpsDir}/${f}`;
      expect(offline.text(p)).toBe(withUpstream.text(p));
    }
    expect(offline.text(BOSH_ARTIFACTS.cellsManifest)).toBe(withUpstream.text(BOSH_ARTIFACTS.cellsManifest));
  });

  it('renders a fully interpolated control-plane manifest in interpolated mode', () => {
    const lab = testLab({ controlPlane: { ...testLab().controlPlane, mode: 'interpolated', systemDomain: 'sys.pi.example' } });
    const h = manifestsFor(lab);
    const text = h.text(BOSH_ARTIFACTS.controlPlaneManifest);
    expect(text.startsWith('name: cf\nmanifest_version: v58.0.0\nreleases:\n')).toBe(true);
    expect(text).not.toContain('((system_domain))');
    expect(text).toContain('sys.pi.example');
    expect(text).toContain('buildpack/rpifs: buildpack_app_lifecycle_armhf/buildpack_app_lifecycle.tgz');
    expect(text).toContain('((cc_db_encryption_key))'); // credentials stay variables
    const deploy = h.graph.ordered().find((s) => s.id === 'lab-bosh-control-plane-deploy')!;
    expect(deploy.args).toEqual({ action: 'deploy', deployment: 'cf', manifest: 'bosh/control-plane/manifest.yml' });
    const err = synthError(() => manifestsFor(lab, { upstreamDir: '/nonexistent-upstream' }));
    expect(err.path).toBe('control_plane.mode');
  });

  it('plans no director step when the synth wants artifacts only', () => {
    const h = manifestsFor(testLab(), { directorSteps: false });
    expect(h.graph.ordered().filter((s) => s.script === 'bosh-deploy')).toEqual([]);
    expect(h.store.all().some(([p]) => p === BOSH_ARTIFACTS.cellsManifest)).toBe(true);
  });

  describe('refuses a secret that reaches a lab value, and writes nothing that holds it', () => {
    const CLIENT_SECRET = 'test-client-secret-5f2c9a1e';
    const PEM = '-----BEGIN CERTIFICATE-----\nMIIBtestCA5f2c9a\n-----END CERTIFICATE-----';
    const DIRECTOR_ENV = { BOSH_CLIENT_SECRET: CLIENT_SECRET, BOSH_CA_CERT: PEM, BOSH_CLIENT: 'admin-test-5f2c9a', BOSH_ENVIRONMENT: '10.9.8.7' };

    /** Synthesizes with the director credentials in the environment; returns the error and every file written. */
    function synthWithDirectorEnv(lab: ReturnType<typeof testLab>): { error?: Error; written: string[] } {
      const saved = { ...process.env };
      const out = mkdtempSync(join(tmpdir(), 'se-manifests-'));
      try {
        Object.assign(process.env, DIRECTOR_ENV);
        let error: Error | undefined;
        try {
          const h = manifestsFor(lab, { outdir: out });
          h.app.synth();
        } catch (err) {
          error = err as Error;
        }
        const written = readdirSync(out, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
        return { error, written };
      } finally {
        process.env = saved;
        rmSync(out, { recursive: true, force: true });
      }
    }

    it('the director client secret pasted into a stack description (it reaches cc.stacks)', () => {
      const r = synthWithDirectorEnv(testLab({ stacks: [testStack({ description: `Pi stack ${CLIENT_SECRET}` })] }));
      expect(r.error?.message).toBe('20-add-stacks.yml: (document): found the value of BOSH_CLIENT_SECRET (not shown), expected credentials only as ((variables)) (fix: name the credential as a ((variable)) and supply its value at deploy time (bosh -v/-l or CredHub))');
      for (const text of r.written) expect(text).not.toContain(CLIENT_SECRET);
    });

    it('a certificate as the system domain of an interpolated manifest', () => {
      const lab = testLab({ controlPlane: { ...testLab().controlPlane, mode: 'interpolated', systemDomain: PEM } });
      const r = synthWithDirectorEnv(lab);
      expect(r.error?.message).toMatch(/^(control-plane manifest|[0-9]+-[a-z-]+\.yml): \(document\): found a PEM block \(a private key or certificate\), expected credentials only as \(\(variables\)\) \(fix: name the credential as a \(\(variable\)\) and supply its value at deploy time \(bosh -v\/-l or CredHub\)\)$/);
      for (const text of r.written) expect(text).not.toContain('MIIBtestCA5f2c9a');
    });

    it('and a clean lab with the same environment synthesizes, naming no director value', () => {
      const r = synthWithDirectorEnv(testLab());
      expect(r.error).toBeUndefined();
      expect(r.written.some((t) => t.includes('rpifs'))).toBe(true); // the synth really wrote the stack
      for (const text of r.written) for (const v of Object.values(DIRECTOR_ENV)) expect(text).not.toContain(v);
    });
  });

  it('keeps the rendered model for npm run placement', () => {
    const h = manifestsFor(testLab());
    expect(h.manifests.placement.map((p) => [p.stack, p.cells, p.known, p.groups.map((g) => `${g.deployment}/${g.instanceGroup}`)])).toEqual([
      ['cflinuxfs4', 3, true, ['cf/diego-cell']],
      ['rpifs', 3, true, ['rpi-cells/rpifs-armhf-cell']],
    ]);
  });
});
