// The smallest static ARM programs: `exit(42)` as an ELF for 32-bit ARM (EABI5) and for AArch64.
// Setup runs them to prove that the kernel hands ARM binaries to qemu (binfmt) and that the Docker
// Engine can run an ARM container; 42 rather than 0 so that "ran" cannot be mistaken for "did nothing".

import { CELL_ARCHES } from '../../../contracts/arches.cjs';

export const PROBE_EXIT_CODE = 42;
const LOAD_ADDRESS = 0x10000;

/** ARM mode: mov r0, #42; mov r7, #1 (exit); svc #0. */
function arm32() {
  const code = [0xe3a0002a, 0xe3a07001, 0xef000000];
  const size = 52 + 32 + code.length * 4;
  const b = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]).copy(b, 0); // ELF, 32-bit, little endian, v1, SYSV
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x28, 18); // EM_ARM
  b.writeUInt32LE(1, 20);
  b.writeUInt32LE(LOAD_ADDRESS + 84, 24); // entry: right after the headers
  b.writeUInt32LE(52, 28); // program headers
  b.writeUInt32LE(0x05000000, 36); // EABI version 5
  b.writeUInt16LE(52, 40);
  b.writeUInt16LE(32, 42);
  b.writeUInt16LE(1, 44);
  b.writeUInt32LE(1, 52); // PT_LOAD of the whole file
  b.writeUInt32LE(0, 56);
  b.writeUInt32LE(LOAD_ADDRESS, 60);
  b.writeUInt32LE(LOAD_ADDRESS, 64);
  b.writeUInt32LE(size, 68);
  b.writeUInt32LE(size, 72);
  b.writeUInt32LE(5, 76); // R+X
  b.writeUInt32LE(0x1000, 80);
  code.forEach((w, i) => b.writeUInt32LE(w, 84 + i * 4));
  return b;
}

/** mov x0, #42; mov x8, #93 (exit); svc #0. */
function arm64() {
  const code = [0xd2800540, 0xd2800ba8, 0xd4000001];
  const size = 64 + 56 + code.length * 4;
  const b = Buffer.alloc(size);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(b, 0); // ELF, 64-bit, little endian, v1, SYSV
  b.writeUInt16LE(2, 16);
  b.writeUInt16LE(0xb7, 18); // EM_AARCH64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BigInt(LOAD_ADDRESS + 120), 24);
  b.writeBigUInt64LE(64n, 32);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(1, 56);
  b.writeUInt32LE(1, 64); // PT_LOAD
  b.writeUInt32LE(5, 68); // R+X
  b.writeBigUInt64LE(0n, 72);
  b.writeBigUInt64LE(BigInt(LOAD_ADDRESS), 80);
  b.writeBigUInt64LE(BigInt(LOAD_ADDRESS), 88);
  b.writeBigUInt64LE(BigInt(size), 96);
  b.writeBigUInt64LE(BigInt(size), 104);
  b.writeBigUInt64LE(0x1000n, 112);
  code.forEach((w, i) => b.writeUInt32LE(w, 120 + i * 4));
  return b;
}

/** binfmt handler name -> the probe binary it must run. */
export const PROBE_ELVES = { [CELL_ARCHES.armhf.qemu]: arm32, [CELL_ARCHES.arm64.qemu]: arm64 };

/** @param {string} handler */
export function probeElf(handler) {
  const make = PROBE_ELVES[handler];
  if (!make) throw new Error(`no probe binary for binfmt handler ${handler}`);
  return make();
}
