import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LabError } from '../../lab/errors';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, replaceOnce, writeLab } from '../support/lab-files';

interface Case {
  readonly name: string;
  readonly edit: (t: string) => string;
  /** Document path the error must name ('' = the whole document). */
  readonly path: string;
  /**
   * The error must point at the one line of the edited text that contains this (the offending entry; for a
   * missing key, the first line of the mapping that lacks it).
   */
  readonly line: string | RegExp;
  /** Text the error must contain (what was found / expected). */
  readonly says: RegExp;
}

const cell = (n: number) => `{ name: rpi-cell-${n}, arch: armhf, goarm: 7, stack: rpifs, network: rpi, ip: 192.168.50.2${n}, az: rpi-z1, vm_type: rpi4, stemcell: rpi }`;

const cases: Case[] = [
  { name: 'bad YAML', edit: (t) => replaceOnce(t, 'name: pi-lab\n', 'name: pi: lab\n'), path: '', line: 'name: pi: lab', says: /invalid YAML/ },
  { name: 'not a mapping', edit: () => '- just\n- a list\n', path: '', line: '- just', says: /found a list, expected a mapping/ },
  { name: 'wrong type for name', edit: (t) => replaceOnce(t, 'name: pi-lab\n', 'name: 42\n'), path: 'name', line: 'name: 42', says: /found number 42, expected string/ },
  { name: 'unknown top-level key', edit: (t) => `${t}colour: blue\n`, path: 'colour', line: 'colour: blue', says: /unknown key 'colour'/ },
  { name: 'unknown key in a cell', edit: (t) => replaceOnce(t, cell(2), cell(2).replace('az:', 'zone: x, az:')), path: 'cells[1].zone', line: 'name: rpi-cell-2', says: /unknown key 'zone'/ },
  { name: 'arch not supported', edit: (t) => replaceOnce(t, cell(3), cell(3).replace('arch: armhf', 'arch: riscv64')), path: 'cells[2].arch', line: 'name: rpi-cell-3', says: /found 'riscv64', expected one of 'armhf', 'arm64'/ },
  { name: 'GOARM on arm64', edit: (t) => replaceOnce(t, cell(3), cell(3).replace('arch: armhf', 'arch: arm64')), path: 'cells[2].arch', line: 'name: rpi-cell-3', says: /expected 'armhf', the arch of stack rpifs/ },
  { name: 'GOARM out of range', edit: (t) => replaceOnce(t, cell(1), cell(1).replace('goarm: 7', 'goarm: 8')), path: 'cells[0].goarm', line: 'name: rpi-cell-1', says: /found number 8, expected 6 or 7/ },
  { name: 'armhf cell without goarm', edit: (t) => replaceOnce(t, cell(1), cell(1).replace('goarm: 7, ', '')), path: 'cells[0].goarm', line: 'name: rpi-cell-1', says: /found nothing, expected goarm 6 or 7/ },
  { name: 'duplicate cell names', edit: (t) => replaceOnce(t, cell(2), cell(2).replace('rpi-cell-2', 'rpi-cell-1')), path: 'cells[1].name', line: 'ip: 192.168.50.22', says: /'rpi-cell-1' again, expected a unique cell name \(already used at cells\[0\]\)/ },
  { name: 'duplicate stack names', edit: (t) => replaceOnce(t, 'control_plane:', `  - { name: rpifs, description: again, arch: armhf, base: { image: x }, packages: [bash] }\n\ncontrol_plane:`), path: 'stacks[1].name', line: 'description: again', says: /expected a unique stack name/ },
  { name: 'cell references unknown stack', edit: (t) => replaceOnce(t, cell(2), cell(2).replace('stack: rpifs', 'stack: pifs')), path: 'cells[1].stack', line: 'name: rpi-cell-2', says: /found 'pifs', expected one of the lab's stacks \(rpifs\)/ },
  { name: 'invalid stack name', edit: (t) => replaceOnce(t, '  - name: rpifs\n', '  - name: RPi_FS\n'), path: 'stacks[0].name', line: '  - name: RPi_FS', says: /a stack name: lower-case letters and digits/ },
  { name: 'stack name reserved upstream', edit: (t) => t.replace(/rpifs/g, 'cflinuxfs4'), path: 'stacks[0].name', line: '  - name: cflinuxfs4', says: /a name upstream Cloud Foundry does not already use/ },
  { name: 'ip outside its network', edit: (t) => replaceOnce(t, cell(3), cell(3).replace('192.168.50.23', '192.168.51.23')), path: 'cells[2].ip', line: 'name: rpi-cell-3', says: /expected a host address inside network rpi \(192\.168\.50\.0\/24\)/ },
  { name: 'ip outside the static range', edit: (t) => replaceOnce(t, cell(3), cell(3).replace('192.168.50.23', '192.168.50.99')), path: 'cells[2].ip', line: 'name: rpi-cell-3', says: /static ranges \(192\.168\.50\.20-192\.168\.50\.40\)/ },
  { name: 'duplicate ips', edit: (t) => replaceOnce(t, cell(3), cell(3).replace('192.168.50.23', '192.168.50.22')), path: 'cells[2].ip', line: 'name: rpi-cell-3', says: /expected a unique cell ip/ },
  { name: 'gateway outside cidr', edit: (t) => replaceOnce(t, 'gateway: 192.168.50.1\n', 'gateway: 10.1.1.1\n'), path: 'networks[1].gateway', line: 'gateway: 10.1.1.1', says: /expected a host address inside 192\.168\.50\.0\/24/ },
  { name: 'cell on unknown network', edit: (t) => replaceOnce(t, cell(1), cell(1).replace('network: rpi', 'network: wifi')), path: 'cells[0].network', line: 'name: rpi-cell-1', says: /found 'wifi', expected one of the lab's networks/ },
  { name: 'unknown stemcell alias', edit: (t) => replaceOnce(t, cell(1), cell(1).replace('stemcell: rpi', 'stemcell: pi')), path: 'cells[0].stemcell', line: 'name: rpi-cell-1', says: /found 'pi', expected one of the stemcell aliases \(default, rpi\)/ },
  { name: 'missing required section', edit: (t) => t.replace(/\ncells_deployment: rpi-cells\n/, '\n'), path: 'cells_deployment', line: /^name: pi-lab$/, says: /found nothing \(missing\), expected string/ },
  { name: 'package list file missing', edit: (t) => replaceOnce(t, 'packages: packages/rpifs-ci.txt', 'packages: packages/nope.txt'), path: 'stacks[0].packages', line: 'packages: packages/nope.txt', says: /'packages\/nope\.txt' \(no such file\)/ },
  { name: 'base in neither form', edit: (t) => replaceOnce(t, 'mmdebstrap: { suite: bookworm, variant: minbase }', 'debootstrap: bookworm'), path: 'stacks[0].base', line: 'debootstrap: bookworm', says: /either \{mmdebstrap: \{suite, variant, include\}\} or \{image: <reference>\}/ },
];

describe('a malformed lab is rejected with a precise error and no output', () => {
  it.each(cases)('$name', ({ edit, path, line, says }) => {
    const labFile = writeLab(edit);
    const outdir = join(mkdtempSync(join(tmpdir(), 'se-out-')), 'cdktf.out');
    let caught: unknown;
    try {
      synthLab({ projectRoot: PROJECT_ROOT, labFile, outdir });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LabError);
    const err = caught as LabError;
    expect(err.message).toContain(labFile);
    expect(err.message).toMatch(says);
    // zod's own wording never reaches a user (lab/schema-wording.ts)
    expect(err.message).not.toMatch(/\bInvalid\b|\bRequired\b|Expected \w+, received|must contain (at least|at most)|Unrecognized key/);
    expect(err.path).toBe(path);
    const numbered = readFileSync(labFile, 'utf8').split('\n').map((text, i) => ({ text, line: i + 1 }));
    const expected = numbered.filter((l) => (typeof line === 'string' ? l.text.includes(line) : line.test(l.text)));
    expect(expected).toHaveLength(1); // the marker must name one line, or the check below would be ambiguous
    expect(err.line).toBe(expected[0].line);
    expect(err.message).toContain(`${labFile}:${expected[0].line}: `);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(dirname(outdir))).toEqual([]);
  });
});
