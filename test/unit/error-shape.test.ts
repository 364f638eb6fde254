import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, LabError } from '../../lab/errors';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * One error shape: what constructs/, lab/ and stacks/ throw for bad input is an InputError (LabError is
 * one), `<where>[:<line>]: <path>: found ..., expected ... (fix: ...)`. A plain Error is left only where
 * it reports a bug in the wiring, listed here with the reason, so a new `throw new Error` for bad input fails.
 * GoPackageError (constructs/golang) is an InputError too.
 */
const WIRING_BUGS: ReadonlyArray<readonly [string, string]> = [
  // go-patch's own reasons, in bosh's wording: applyOps and findPath catch them and throw an InputError
  ['constructs/bosh/go-patch.ts', '*'],
  ['stacks/synth.ts', 'cdktf manifest contains the absolute synth path'],
  ['stacks/parts/manifests.ts', 'no LabManifests under'],
  ['stacks/parts/compiled.ts', 'no cell Diego release step for arch'],
  ['stacks/parts/diego.ts', 'no cross-compiled lifecycle packages for cell arch'],
  ['stacks/parts/manifests.ts', 'no runtime release ${name}'],
  ['constructs/runtime/runtime-release.ts', 'the part resolving pins must refuse this first'],
  ['stacks/preview/base-synth.ts', 'git archive ${opts.ref} failed'],
];
const SHAPED = new Set(['InputError', 'LabError', 'LabErrors', 'GoPackageError']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [relative(PROJECT_ROOT, p)] : [];
  });
}

describe('one error shape for bad input', () => {
  const files = ['constructs', 'lab', 'stacks'].flatMap((d) => sources(join(PROJECT_ROOT, d)));

  it('every throw in constructs/, lab/ and stacks/ is an InputError, or a listed wiring bug', () => {
    const unshaped: string[] = [];
    for (const file of files) {
      readFileSync(join(PROJECT_ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = /throw new (\w+)\(/.exec(line);
          if (!m || SHAPED.has(m[1])) return;
          const listed = WIRING_BUGS.some(([f, snippet]) => f === file && (snippet === '*' || line.includes(snippet)));
          if (!listed) unshaped.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(unshaped).toEqual([]);
  });

  it('every listed wiring bug is still there (a stale entry would hide a new one)', () => {
    for (const [file, snippet] of WIRING_BUGS) {
      const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
      expect({ file, found: snippet === '*' ? /throw new Error\(/.test(text) : text.includes(snippet) }).toEqual({ file, found: true });
    }
  });

  it('renders where, line, path, found, expected and fix in one line, and a LabError is an InputError', () => {
    expect(InputError.at({ file: 'lab/rootfs-rpifs', path: 'stack', found: "'RPi'", expected: 'a stack name', fix: 'rename it' }).message).toBe("lab/rootfs-rpifs: stack: found 'RPi', expected a stack name (fix: rename it)");
    const e = new LabError('lab.yaml', 'cells[2].arch', "'riscv64'", "one of 'armhf', 'arm64'", 12);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe("lab.yaml:12: cells[2].arch: found 'riscv64', expected one of 'armhf', 'arm64'");
    expect(InputError.at({ file: 'lab.lock.json', path: '', found: 'no such file', expected: 'a lock' }).message).toBe('lab.lock.json: (document): found no such file, expected a lock');
  });
});
