import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshCheckout } from '../support/fresh-build';
import { replaceOnce, writeLab } from '../support/lab-files';
import { run } from '../support/run';
import { TEST_LAB_VARIABLES } from '../support/manifest-lab';

/** The embedded lab, listing the control-plane credentials its cells use. */
const withCredentials = (t: string): string => replaceOnce(t, /variables: \[[^\]]*\]/, `variables: [${TEST_LAB_VARIABLES.join(', ')}]`);

describe('npm run placement', () => {
  // compiled from the current sources into a checkout of its own: never a stale dist/
  const checkout = freshCheckout('se-placement-');
  const placement = join(checkout, 'dist', 'stacks', 'placement.js');
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  it('prints, per stack, the instance groups that advertise it and their cell counts', () => {
    const lab = writeLab(withCredentials);
    const res = run('node', [placement, lab], { env: { STACK_ELEVATOR_UPSTREAM: '/nonexistent' } });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toBe('lab pi-lab: control plane cf, cells rpi-cells');
    expect(res.stdout).toMatch(/^cflinuxfs4: 3 cells \(in cc\.stacks; bundle buildpack_app_lifecycle\/buildpack_app_lifecycle\.tgz\)\n {2}cf\/diego-cell \(rep\): 3 cells$/m);
    expect(res.stdout).toMatch(/^rpifs: 3 cells \(in cc\.stacks; bundle buildpack_app_lifecycle_armhf\/buildpack_app_lifecycle\.tgz\)\n {2}rpi-cells\/rpifs-armhf-cell \(rep\): 3 cells$/m);
  });

  it('gives the same numbers as JSON', () => {
    const lab = writeLab((t) => replaceOnce(withCredentials(t), /  - \{ name: rpi-cell-3.*\n/, ''));
    const res = run('node', [placement, lab, '--json']);
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as { stacks: Array<{ stack: string; cells: number; groups: Array<{ instanceGroup: string; cells: number }> }> };
    expect(out.stacks.map((s) => [s.stack, s.cells, s.groups.map((g) => `${g.instanceGroup}=${g.cells}`)])).toEqual([
      ['cflinuxfs4', 3, ['diego-cell=3']],
      ['rpifs', 2, ['rpifs-armhf-cell=2']],
    ]);
  });

  it('fails like the synth when the lab cannot be deployed', () => {
    const res = run('node', [placement, writeLab((t) => replaceOnce(t, /variables: \[[^\]]*\]/, 'variables: [system_domain]'))]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/director\.variables: found \[system_domain\], expected also credhub_tls/);
  });
});
