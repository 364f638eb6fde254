import { LabError } from '../../lab/errors';
import { loadLab } from '../../lab/load';
import { stemcellArchOf } from '../../lab/model';
import { PROJECT_ROOT, replaceOnce, writeLab } from '../support/lab-files';

const RPI_STEMCELL = '  - alias: rpi\n    os: debian-bookworm-armhf\n    version: "0.1.0"\n';

function labError(edit: (t: string) => string): string {
  try {
    loadLab(writeLab(edit), PROJECT_ROOT);
  } catch (err) {
    if (err instanceof LabError) return err.message;
    throw err;
  }
  throw new Error('expected the lab to be refused');
}

describe('each stemcell knows its arch, and a cell only runs on a stemcell of its own', () => {
  it('tells the arch from the os name, and not where the name says none', () => {
    expect(stemcellArchOf('debian-bookworm-armhf')).toBe('armhf');
    expect(stemcellArchOf('ubuntu-noble-arm64')).toBe('arm64');
    expect(stemcellArchOf('ubuntu-jammy-aarch64')).toBe('arm64');
    expect(stemcellArchOf('windows2019-amd64')).toBe('amd64');
    expect(stemcellArchOf('ubuntu-jammy')).toBeUndefined();
    expect(stemcellArchOf('raspbian-armhfish')).toBeUndefined();
  });

  it('loads the default lab with the rpi stemcell as armhf (from its os name)', () => {
    const lab = loadLab(writeLab(), PROJECT_ROOT);
    expect(lab.stemcells.map((s) => [s.alias, s.arch ?? '?'])).toEqual([['default', '?'], ['rpi', 'armhf']]);
  });

  it('takes an explicit arch where the os name says none', () => {
    const lab = loadLab(writeLab((t) => replaceOnce(t, RPI_STEMCELL, '  - alias: rpi\n    os: pi-os\n    arch: armhf\n    version: "0.1.0"\n')), PROJECT_ROOT);
    expect(lab.stemcells.find((s) => s.alias === 'rpi')?.arch).toBe('armhf');
  });

  it('refuses a cell whose stemcell alias has no arch that can be told, naming the alias and the cell', () => {
    const msg = labError((t) => replaceOnce(t, RPI_STEMCELL, '  - alias: rpi\n    os: pi-os\n    version: "0.1.0"\n'));
    expect(msg).toMatch(/cells\[0\]\.stemcell: found 'rpi' \(os pi-os\), whose arch cannot be told from its os name, expected a stemcell for cell rpi-cell-1's arch armhf/);
    expect(msg).toMatch(/add arch: armhf to the stemcell rpi/);
  });

  it('refuses a cell whose stemcell is for another arch', () => {
    const msg = labError((t) => replaceOnce(t, RPI_STEMCELL, '  - alias: rpi\n    os: debian-bookworm-arm64\n    version: "0.1.0"\n'));
    expect(msg).toMatch(/cells\[0\]\.stemcell: found 'rpi' \(os debian-bookworm-arm64, arch arm64\), expected a stemcell for cell rpi-cell-1's arch armhf/);
  });

  it('refuses an explicit arch that contradicts the os name', () => {
    const msg = labError((t) => replaceOnce(t, RPI_STEMCELL, '  - alias: rpi\n    os: debian-bookworm-armhf\n    arch: arm64\n    version: "0.1.0"\n'));
    expect(msg).toMatch(/stemcells\[1\]\.arch: found 'arm64', expected 'armhf', the arch its os name debian-bookworm-armhf states/);
  });

  it('refuses a cell release at `latest`', () => {
    const msg = labError((t) => replaceOnce(t, 'cell_releases:\n', 'cell_releases:\n  bpm: { version: latest, reason: newest }\n'));
    expect(msg).toMatch(/cell_releases\.bpm\.version: .*never latest/);
  });
});
