import type { GoTarget } from '../../lab/model';
import { CELL_ARCHES } from '../../contracts/arches.cjs';
import { GoPackageError } from './errors';
import type { ElfExpectation } from '../../contracts/go-build-plan';
export type { ElfExpectation };

export type { GoTarget } from '../../lab/model';

/** The ELF header a target's binaries carry (from the one per-arch table). */
export function elfOf(t: GoTarget): ElfExpectation {
  return ELF_BY_GOARCH[t.goarch];
}

const ELF_BY_GOARCH = Object.fromEntries(
  Object.values(CELL_ARCHES).map((f) => [f.goarch, { elfClass: f.elfClass, machine: f.elfMachine, armEabi5: f.armEabi5, describe: f.elfDescribe }]),
) as Record<GoTarget['goarch'], ElfExpectation>;

/**
 * Checks at synth that a target really is a GoTarget (a caller in plain JavaScript, or one that built it
 * from JSON, passes the type system by) and fills in GOARM 7 for arm; throws GoPackageError naming the field.
 */
export function checkTarget(where: string, t: GoTarget): GoTarget {
  if (t.goos !== 'linux') {
    throw new GoPackageError(where, 'target.goos', JSON.stringify(t.goos), '"linux" (Diego cells run Linux; other GOOS have no ELF check here)');
  }
  if (!Object.prototype.hasOwnProperty.call(ELF_BY_GOARCH, t.goarch)) {
    throw new GoPackageError(where, 'target.goarch', JSON.stringify(t.goarch), `a cell arch whose ELF header the packaging script checks (${Object.keys(ELF_BY_GOARCH).sort().join(', ')})`);
  }
  if (t.goarch === 'arm64') {
    if (t.goarm !== undefined) {
      throw new GoPackageError(where, 'target.goarm', String(t.goarm), 'no GOARM for goarch arm64 (GOARM only applies to 32-bit arm)');
    }
    return { goos: 'linux', goarch: 'arm64' };
  }
  const goarm = t.goarm ?? 7;
  if (goarm !== 6 && goarm !== 7) throw new GoPackageError(where, 'target.goarm', String(t.goarm), '6 or 7 (the Raspberry Pi boards cells run on)');
  return { goos: 'linux', goarch: 'arm', goarm };
}

/** The Go environment of a target, in a fixed order (it is written into packaging scripts). */
export function targetEnv(t: GoTarget): Array<[string, string]> {
  const env: Array<[string, string]> = [
    ['GOOS', t.goos],
    ['GOARCH', t.goarch],
  ];
  if (t.goarm !== undefined) env.push(['GOARM', String(t.goarm)]);
  env.push(['CGO_ENABLED', '0']);
  return env;
}

export function describeTarget(t: GoTarget): string {
  return `${t.goos}/${t.goarch}${t.goarm !== undefined ? ` GOARM=${t.goarm}` : ''}`;
}
