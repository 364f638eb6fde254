// @ts-check
'use strict';
// Every per-arch fact, written once: the synth (lab/model.ts types a cell arch as a key of it) and the
// steps (pipelines/*.mjs) both read this table. Adding a cell arch is one entry here.

/**
 * @typedef {object} ArchFacts
 * @property {string} debian Debian architecture (dpkg, mmdebstrap, apt `:arch` packages)
 * @property {'arm' | 'arm64' | 'amd64'} goarch
 * @property {6 | 7 | undefined} goarm GOARM for 32-bit arm (the Pi's ARMv7 by default)
 * @property {string} platform Docker platform
 * @property {1 | 2} elfClass e_ident[EI_CLASS]: 1 = 32-bit, 2 = 64-bit
 * @property {number} elfMachine e_machine (EM_ARM 40, EM_AARCH64 183, EM_X86_64 62)
 * @property {boolean} armEabi5 whether e_flags carry ARM EABI version 5
 * @property {string} elfDescribe how `file` names such a binary
 * @property {string} uname what `uname -m` prints on it
 * @property {string} qemu the qemu user-mode binary (binfmt handler name without `-static`)
 * @property {string} triplet GNU triplet of Debian's cross toolchain
 * @property {string[]} aliases other names a lab or a stemcell may use for it
 */

/** @typedef {ArchFacts & { goarch: 'arm' | 'arm64' }} CellArchFacts */

/** @type {Readonly<Record<'armhf' | 'arm64', CellArchFacts>>} */
const CELL_ARCHES = Object.freeze({
  armhf: {
    debian: 'armhf',
    goarch: 'arm',
    goarm: 7,
    platform: 'linux/arm/v7',
    elfClass: 1,
    elfMachine: 40,
    armEabi5: true,
    elfDescribe: 'ELF 32-bit ARM EABI5',
    uname: 'armv7l',
    qemu: 'qemu-arm',
    triplet: 'arm-linux-gnueabihf',
    aliases: ['armv7', 'armv7l'],
  },
  arm64: {
    debian: 'arm64',
    goarch: 'arm64',
    goarm: undefined,
    platform: 'linux/arm64',
    elfClass: 2,
    elfMachine: 183,
    armEabi5: false,
    elfDescribe: 'ELF 64-bit ARM aarch64',
    uname: 'aarch64',
    qemu: 'qemu-aarch64',
    triplet: 'aarch64-linux-gnu',
    aliases: ['aarch64'],
  },
});

/** The build machine's own arch: where amd64 binaries run natively (fidelity comparisons, tools). */
/** @type {Readonly<ArchFacts>} */
const HOST_ARCH = Object.freeze({
  debian: 'amd64',
  goarch: 'amd64',
  goarm: undefined,
  platform: 'linux/amd64',
  elfClass: 2,
  elfMachine: 62,
  armEabi5: false,
  elfDescribe: 'ELF 64-bit x86-64',
  uname: 'x86_64',
  qemu: '',
  triplet: 'x86_64-linux-gnu',
  aliases: ['x86_64'],
});

/**
 * e_machine values a wrong build may produce: `name` for error messages, `file` as `file(1)` prints it.
 * @type {Readonly<Record<number, { name: string, file: string }>>}
 */
const ELF_MACHINES = Object.freeze({ 3: { name: 'x86 (i386)', file: 'Intel 80386' }, 40: { name: 'ARM 32-bit', file: 'ARM' }, 62: { name: 'x86-64', file: 'x86-64' }, 183: { name: 'ARM aarch64', file: 'ARM aarch64' } });

/**
 * The cell arch a name stands for (its Debian name or an alias), or undefined.
 * @param {string} name
 * @returns {'armhf' | 'arm64' | undefined}
 */
function cellArchNamed(name) {
  for (const [arch, f] of Object.entries(CELL_ARCHES)) {
    if (arch === name || f.aliases.includes(name)) return /** @type {'armhf' | 'arm64'} */ (arch);
  }
  return undefined;
}

/**
 * The facts of a cell arch; throws naming the known ones.
 * @param {string} arch
 * @returns {CellArchFacts}
 */
function cellArch(arch) {
  const known = cellArchNamed(arch);
  if (!known) throw new Error(`unknown cell arch ${JSON.stringify(arch)} (known: ${Object.keys(CELL_ARCHES).join(', ')})`);
  return CELL_ARCHES[known];
}

/**
 * The GOOS/GOARCH/GOARM environment of a build for this arch.
 * @param {ArchFacts} f
 * @returns {Record<string, string>}
 */
function goEnv(f) {
  return { GOOS: 'linux', GOARCH: f.goarch, ...(f.goarm !== undefined ? { GOARM: String(f.goarm) } : {}) };
}

module.exports = { CELL_ARCHES, HOST_ARCH, ELF_MACHINES, cellArch, cellArchNamed, goEnv };
