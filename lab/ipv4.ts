/** Minimal IPv4 arithmetic for lab validation: parse, CIDR membership, static ranges. */

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export interface Cidr {
  readonly base: number;
  readonly size: number;
}

export function parseCidr(cidr: string): Cidr | undefined {
  const [ip, bitsText] = cidr.split('/');
  const base = ipToInt(ip);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  if (base % size !== 0) return undefined;
  return { base, size };
}

/** Usable host addresses exclude the network and broadcast addresses. */
export function inCidr(ip: number, c: Cidr): boolean {
  return ip > c.base && ip < c.base + c.size - 1;
}

/** Parses "a-b" or "a" into an inclusive [lo, hi]. */
export function parseRange(range: string): [number, number] | undefined {
  const [a, b] = range.split('-');
  const lo = ipToInt(a);
  const hi = b === undefined ? lo : ipToInt(b);
  if (lo === undefined || hi === undefined || hi < lo) return undefined;
  return [lo, hi];
}
