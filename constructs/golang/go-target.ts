import { GoPackageError } from './errors';

/**
 * A cross-compile target as it arrives from a lab or a caller: plain strings and numbers, validated
 * here so a bad target fails at synth instead of on a compile VM. `GoTarget` (lab/model.ts) is the
 * narrow, already-valid form of the same thing.
 */
export interface CrossTarget {
  readonly goos: string;
  readonly goarch: string;
  readonly goarm?: number;
}

/** A validated target, plus what its binaries' ELF headers must say. */
export interface ValidTarget {
  readonly goos: 'linux';
  readonly goarch: string;
  readonly goarm?: 5 | 6 | 7;
  readonly elf: ElfExpectation;
}

export interface ElfExpectation {
  /** 1 = ELFCLASS32, 2 = ELFCLASS64. */
  readonly elfClass: 1 | 2;
  /** e_machine: 40 = EM_ARM, 183 = EM_AARCH64, 62 = EM_X86_64, 3 = EM_386. */
  readonly machine: number;
  /** 32-bit ARM binaries must carry EABI version 5 in e_flags (what `file` prints as "EABI5"). */
  readonly armEabi5: boolean;
  /** Human form, e.g. "ELF 32-bit ARM EABI5". */
  readonly describe: string;
}

/** Every GOARCH Go knows (go tool dist list); anything else is a typo, not a port we lack. */
const KNOWN_GOARCH = new Set([
  '386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mips64', 'mips64le', 'mipsle',
  'ppc64', 'ppc64le', 'riscv64', 's390x', 'wasm',
]);

/**
 * The arches whose ELF header the packaging script can judge. Cells are ARM boards; amd64 and 386 stay
 * in so the same construct can build host binaries for tests and tools.
 */
const ELF_BY_GOARCH: Readonly<Record<string, ElfExpectation>> = {
  arm: { elfClass: 1, machine: 40, armEabi5: true, describe: 'ELF 32-bit ARM EABI5' },
  arm64: { elfClass: 2, machine: 183, armEabi5: false, describe: 'ELF 64-bit ARM aarch64' },
  amd64: { elfClass: 2, machine: 62, armEabi5: false, describe: 'ELF 64-bit x86-64' },
  '386': { elfClass: 1, machine: 3, armEabi5: false, describe: 'ELF 32-bit Intel 80386' },
};

/** Checks a target against what Go and this construct can build; throws GoPackageError naming the field. */
export function validateTarget(where: string, t: CrossTarget): ValidTarget {
  if (t.goos !== 'linux') {
    throw new GoPackageError(where, 'target.goos', JSON.stringify(t.goos), '"linux" (Diego cells run Linux; other GOOS have no ELF check here)');
  }
  if (!KNOWN_GOARCH.has(t.goarch)) {
    throw new GoPackageError(where, 'target.goarch', JSON.stringify(t.goarch), `a GOARCH Go knows (${[...KNOWN_GOARCH].join(', ')})`);
  }
  const elf = ELF_BY_GOARCH[t.goarch];
  if (elf === undefined) {
    throw new GoPackageError(where, 'target.goarch', JSON.stringify(t.goarch), `an arch whose ELF header can be checked (${Object.keys(ELF_BY_GOARCH).sort().join(', ')})`);
  }
  if (t.goarch !== 'arm') {
    if (t.goarm !== undefined) {
      throw new GoPackageError(where, 'target.goarm', String(t.goarm), `no GOARM for goarch ${t.goarch} (GOARM only applies to 32-bit arm)`);
    }
    return { goos: 'linux', goarch: t.goarch, elf };
  }
  const goarm = t.goarm ?? 7;
  if (goarm !== 5 && goarm !== 6 && goarm !== 7) {
    throw new GoPackageError(where, 'target.goarm', String(t.goarm), '5, 6 or 7');
  }
  return { goos: 'linux', goarch: 'arm', goarm, elf };
}

/** The Go environment of a target, in a fixed order (it is written into packaging scripts). */
export function targetEnv(t: ValidTarget): Array<[string, string]> {
  const env: Array<[string, string]> = [
    ['GOOS', t.goos],
    ['GOARCH', t.goarch],
  ];
  if (t.goarm !== undefined) env.push(['GOARM', String(t.goarm)]);
  env.push(['CGO_ENABLED', '0']);
  return env;
}

export function describeTarget(t: ValidTarget): string {
  return `${t.goos}/${t.goarch}${t.goarm !== undefined ? ` GOARM=${t.goarm}` : ''}`;
}
