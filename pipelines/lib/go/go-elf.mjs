// Reads just enough of an ELF header to judge a cross-compiled binary: class, endianness, type,
// machine, ARM EABI version, and whether any program header asks for a dynamic loader. `ldd` would
// have to run the binary, which it cannot do for a foreign arch.
import { readFileSync } from 'node:fs';
import { ELF_MACHINES } from '../../../contracts/arches.cjs';

const PT_DYNAMIC = 2;
const PT_INTERP = 3;

/**
 * Parses an ELF header from a buffer; throws on anything that is not a little-endian ELF file.
 * @param {Buffer} buf
 */
export function readElf(buf) {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const elfClass = buf[4];
  if (buf[5] !== 1) throw new Error(`not little-endian (EI_DATA ${buf[5]})`);
  const is32 = elfClass === 1;
  const type = buf.readUInt16LE(16);
  const machine = buf.readUInt16LE(18);
  const flags = buf.readUInt32LE(is32 ? 36 : 48);
  const phoff = is32 ? buf.readUInt32LE(28) : Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(is32 ? 42 : 54);
  const phnum = buf.readUInt16LE(is32 ? 44 : 56);
  /** @type {number[]} */
  const ptypes = [];
  for (let i = 0; i < phnum; i++) ptypes.push(buf.readUInt32LE(phoff + i * phentsize));
  const isStatic = !ptypes.includes(PT_INTERP) && !ptypes.includes(PT_DYNAMIC);
  const armEabi = machine === 40 ? flags >>> 24 : undefined;
  return { elfClass, type, machine, flags, armEabi, isStatic, describe: describeElf({ elfClass, type, machine, armEabi, isStatic }) };
}

/** @param {string} file */
export function readElfFile(file) {
  return readElf(readFileSync(file));
}

/** @param {{ elfClass: number, type: number, machine: number, armEabi: number | undefined, isStatic: boolean }} header */
function describeElf({ elfClass, type, machine, armEabi, isStatic }) {
  const kind = type === 2 ? 'executable' : type === 3 ? 'shared object' : `e_type ${type}`;
  const eabi = armEabi !== undefined ? ` EABI${armEabi}` : '';
  return `ELF ${elfClass === 1 ? 32 : 64}-bit LSB ${kind}, ${ELF_MACHINES[machine]?.file ?? `machine ${machine}`}${eabi}, ${isStatic ? 'statically' : 'dynamically'} linked`;
}

/**
 * Checks a parsed header against a build plan's `elf` expectation; returns a list of problems (empty = fine).
 * @param {ReturnType<typeof readElf>} elf
 * @param {import('../../../contracts/go-build-plan.ts').ElfExpectation} expect
 * @returns {string[]}
 */
export function elfProblems(elf, expect) {
  const problems = [];
  if (elf.elfClass !== expect.elfClass) problems.push(`ELF class ${elf.elfClass}, expected ${expect.elfClass}`);
  if (elf.type !== 2) problems.push(`e_type ${elf.type}, expected 2 (executable)`);
  if (elf.machine !== expect.machine) problems.push(`e_machine ${elf.machine}, expected ${expect.machine}`);
  if (expect.armEabi5 && elf.armEabi !== 5) problems.push(`ARM EABI ${elf.armEabi}, expected 5`);
  if (!elf.isStatic) problems.push('dynamically linked, expected static');
  return problems;
}
