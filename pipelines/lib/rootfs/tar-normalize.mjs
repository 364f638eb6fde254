// Rewrites a tar archive (here: `docker export` of a rootfs) into a reproducible one without unpacking
// it, so no root privileges are needed and device nodes, ownership and xattrs survive untouched:
//   - entries sorted bytewise by the name they are written under (directories end in a slash, so a
//     directory still comes before its contents), leading ./ and / stripped;
//   - mtimes clamped to SOURCE_DATE_EPOCH, sub-second times, atime and ctime dropped;
//   - owner names dropped (numeric ids only), uid/gid kept as in the image or forced to 0;
//   - only the pax records that carry meaning kept (long paths, xattrs such as file capabilities);
//   - hardlinks re-pointed at the first member of their group in the new order;
//   - entries the `drop` predicate rejects left out (apt's logs and caches, backup files).
// Names are handled as latin1 strings: a 1:1 mapping of bytes, so comparison is bytewise and any
// non-UTF-8 name survives the round trip.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

const BLOCK = 512;
const CHUNK = 1 << 20;
const NO_DATA_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

/**
 * @param {Buffer} buf
 * @param {number} off
 * @param {number} len
 */
function cstr(buf, off, len) {
  const s = buf.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z === -1 ? s : s.subarray(0, z)).toString('latin1');
}

/**
 * @param {Buffer} buf
 * @param {number} off
 * @param {number} len
 */
function num(buf, off, len) {
  if (buf[off] & 0x80) {
    let v = BigInt(buf[off] & 0x7f);
    for (let i = off + 1; i < off + len; i++) v = (v << 8n) | BigInt(buf[i]);
    return Number(v);
  }
  const s = cstr(buf, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/**
 * @param {number} fd
 * @param {number} pos
 * @param {number} len
 */
function readAt(fd, pos, len) {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, b, got, len - got, pos + got);
    if (n === 0) throw new Error(`unexpected end of tar at byte ${pos + got}`);
    got += n;
  }
  return b;
}

/** @param {Buffer} h */
function checksumOk(h) {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum === num(h, 148, 8);
}

/**
 * Parses pax extended header records (`<len> <key>=<value>\n`).
 * @param {Buffer} buf
 * @returns {Record<string, string>}
 */
export function parsePax(buf) {
  /** @type {Record<string, string>} */
  const out = {};
  let pos = 0;
  while (pos < buf.length) {
    const sp = buf.indexOf(0x20, pos);
    if (sp === -1) break;
    const len = parseInt(buf.toString('latin1', pos, sp), 10);
    if (!(len > 0)) break;
    const rec = buf.toString('latin1', sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

/**
 * One entry of a tar file as read: header fields (pax and GNU long names applied) and where its data starts.
 * @typedef {object} TarEntry
 * @property {string} name
 * @property {string} type ustar type flag ('0' file, '1' hardlink, '2' symlink, '5' dir, ...)
 * @property {number} mode
 * @property {number} uid
 * @property {number} gid
 * @property {number} size
 * @property {number} mtime
 * @property {string} linkname
 * @property {number} devmajor
 * @property {number} devminor
 * @property {Record<string, string>} xattrs
 * @property {number} dataPos
 */
/** @typedef {TarEntry & { path: string }} PlannedEntry an entry under its cleaned path, as planEntries writes it */

/**
 * Lists the entries of a tar file with where their data starts; data itself is not read.
 * @param {number} fd
 * @returns {TarEntry[]}
 */
export function readEntries(fd) {
  const size = fstatSync(fd).size;
  const entries = [];
  let pos = 0;
  /** @type {Record<string, string>} pax records of the next entry */
  let pax = {};
  /** @type {Record<string, string>} */
  let globalPax = {};
  let longName;
  let longLink;
  while (pos + BLOCK <= size) {
    const h = readAt(fd, pos, BLOCK);
    if (h.every((b) => b === 0)) break;
    if (!checksumOk(h)) throw new Error(`bad tar header checksum at byte ${pos}`);
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]);
    const hsize = num(h, 124, 12);
    const dataPos = pos + BLOCK;
    const skip = (/** @type {number} */ n) => dataPos + Math.ceil(n / BLOCK) * BLOCK;
    if (type === 'x' || type === 'g') {
      const recs = parsePax(readAt(fd, dataPos, hsize));
      if (type === 'x') pax = { ...pax, ...recs };
      else globalPax = { ...globalPax, ...recs };
      pos = skip(hsize);
      continue;
    }
    if (type === 'L' || type === 'K') {
      const v = cstr(readAt(fd, dataPos, hsize), 0, hsize);
      if (type === 'L') longName = v;
      else longLink = v;
      pos = skip(hsize);
      continue;
    }
    if (type === 'S' || Object.keys(pax).some((k) => k.startsWith('GNU.sparse'))) {
      throw new Error(`sparse tar entries are not supported (at byte ${pos})`);
    }
    const entry = entryOf(h, type, { ...globalPax, ...pax }, { longName, longLink, hsize, dataPos });
    entries.push(entry);
    pos = skip(entry.size);
    pax = {};
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}

/**
 * One entry from its ustar header, with its pax records (global ones overridden by the entry's own) and
 * GNU long name or link taking precedence over the header's fields.
 * @param {Buffer} h the header block
 * @param {string} type the header's type flag
 * @param {Record<string, string>} attrs
 * @param {{ longName: string | undefined, longLink: string | undefined, hsize: number, dataPos: number }} o
 * @returns {TarEntry}
 */
function entryOf(h, type, attrs, { longName, longLink, hsize, dataPos }) {
  const ustar = h.toString('latin1', 257, 263) === 'ustar\0';
  const prefix = ustar ? cstr(h, 345, 155) : '';
  const shortName = cstr(h, 0, 100);
  const name = attrs.path ?? longName ?? (prefix ? `${prefix}/${shortName}` : shortName);
  const dataSize = NO_DATA_TYPES.has(type) ? 0 : attrs.size !== undefined ? Number(attrs.size) : hsize;
  /** @type {Record<string, string>} */
  const xattrs = {};
  for (const [k, v] of Object.entries(attrs)) if (k.startsWith('SCHILY.xattr.')) xattrs[k] = v;
  return {
    name,
    type: type === '7' ? '0' : type,
    mode: num(h, 100, 8) & 0o7777,
    uid: attrs.uid !== undefined ? Number(attrs.uid) : num(h, 108, 8),
    gid: attrs.gid !== undefined ? Number(attrs.gid) : num(h, 116, 8),
    size: dataSize,
    mtime: Math.floor(attrs.mtime !== undefined ? Number(attrs.mtime) : num(h, 136, 12)),
    linkname: attrs.linkpath ?? longLink ?? cstr(h, 157, 100),
    devmajor: num(h, 329, 8),
    devminor: num(h, 337, 8),
    xattrs,
    dataPos,
  };
}

/**
 * `./a/b/` -> `a/b`; the archive root itself becomes ''.
 * @param {string} p
 */
export function cleanPath(p) {
  let s = p;
  while (s.startsWith('./') || s.startsWith('/')) s = s.startsWith('./') ? s.slice(2) : s.slice(1);
  if (s === '.') s = '';
  return s.replace(/\/+$/, '');
}

/**
 * @param {Buffer} buf
 * @param {number} off
 * @param {number} len
 * @param {number} value
 * @param {string} what
 */
function octal(buf, off, len, value, what) {
  const s = value.toString(8).padStart(len - 1, '0');
  if (s.length > len - 1) throw new Error(`${what} ${value} does not fit a ustar field`);
  buf.write(`${s}\0`, off, 'latin1');
}

/**
 * @param {string} key
 * @param {string} value
 */
function paxRecord(key, value) {
  // The length prefix counts its own digits, which can tip it over into one more digit.
  const body = ` ${key}=${value}\n`;
  const n = Buffer.byteLength(body, 'latin1');
  let total = n + String(n).length;
  if (String(total).length !== String(n).length) total = n + String(total).length;
  return `${total}${body}`;
}

/**
 * @param {{ mode: number, uid: number, gid: number, mtime: number, devmajor?: number, devminor?: number }} e
 * @param {string} name
 * @param {string} linkname
 * @param {number} size
 * @param {string} type
 */
function ustarHeader(e, name, linkname, size, type) {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 100), 0, 'latin1');
  octal(h, 100, 8, e.mode, 'mode');
  octal(h, 108, 8, Math.min(e.uid, 0o7777777), 'uid');
  octal(h, 116, 8, Math.min(e.gid, 0o7777777), 'gid');
  octal(h, 124, 12, Math.min(size, 0o77777777777), 'size');
  octal(h, 136, 12, e.mtime, 'mtime');
  h[156] = type.charCodeAt(0);
  h.write(linkname.slice(0, 100), 157, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  octal(h, 329, 8, e.devmajor ?? 0, 'devmajor');
  octal(h, 337, 8, e.devminor ?? 0, 'devminor');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/**
 * Header block(s) of one output entry: a pax header first only when ustar cannot say it all.
 * @param {PlannedEntry} e
 */
export function entryHeaders(e) {
  const name = entryName(e);
  /** @type {[string, string][]} */
  const recs = [];
  if (Buffer.byteLength(name, 'latin1') > 100) recs.push(['path', name]);
  if (Buffer.byteLength(e.linkname, 'latin1') > 100) recs.push(['linkpath', e.linkname]);
  if (e.size > 0o77777777777) recs.push(['size', String(e.size)]);
  if (e.uid > 0o7777777) recs.push(['uid', String(e.uid)]);
  if (e.gid > 0o7777777) recs.push(['gid', String(e.gid)]);
  for (const k of Object.keys(e.xattrs).sort()) recs.push([k, e.xattrs[k]]);
  const blocks = [];
  if (recs.length > 0) {
    const body = Buffer.from(recs.map(([k, v]) => paxRecord(k, v)).join(''), 'latin1');
    blocks.push(ustarHeader({ mode: 0o644, uid: 0, gid: 0, mtime: e.mtime }, '././@PaxHeader', '', body.length, 'x'));
    blocks.push(Buffer.concat([body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK)]));
  }
  blocks.push(ustarHeader(e, name, e.linkname, e.size, e.type));
  return Buffer.concat(blocks);
}

/**
 * Plans the output: cleaned, filtered, sorted entries with hardlinks regrouped. Pure (no I/O), so the
 * rules are unit-testable on made-up entry lists.
 * @param {TarEntry[]} entries as readEntries returns them
 * @param {{ epoch: number, ownership?: string, drop?: (path: string, entry: TarEntry & { path: string }) => boolean }} options
 */
export function planEntries(entries, { epoch, ownership = 'keep', drop = () => false }) {
  /** @type {Map<string, PlannedEntry>} */
  const byPath = new Map();
  for (const raw of entries) {
    const path = cleanPath(raw.name);
    if (path === '') continue;
    byPath.set(path, { ...raw, path, linkname: raw.type === '1' ? cleanPath(raw.linkname) : raw.linkname });
  }
  const dropped = [];
  /** @type {Map<string, PlannedEntry>} */
  const kept = new Map();
  for (const [path, e] of byPath) {
    if (drop(path, e)) dropped.push(path);
    else kept.set(path, e);
  }
  // Hardlink groups keyed by the original data holder; its data goes to the group's first kept member.
  /** @type {Map<string, PlannedEntry[]>} */
  const groups = new Map();
  for (const e of byPath.values()) {
    if (e.type !== '1') continue;
    const holder = byPath.get(e.linkname);
    if (!holder || holder.type !== '0') throw new Error(`hardlink ${e.path} -> ${e.linkname}: target is not a regular file in the archive`);
    if (!groups.has(holder.path)) groups.set(holder.path, [holder]);
    /** @type {PlannedEntry[]} */ (groups.get(holder.path)).push(e);
  }
  for (const members of groups.values()) {
    const holder = members[0];
    const alive = members.filter((m) => kept.has(m.path)).map((m) => m.path).sort(bytewise);
    if (alive.length === 0) continue;
    const [first, ...rest] = alive;
    kept.set(first, { ...holder, path: first, type: '0', linkname: '' });
    for (const p of rest) kept.set(p, { ...holder, path: p, type: '1', linkname: first, size: 0 });
  }
  const out = [...kept.values()].sort((a, b) => bytewise(entryName(a), entryName(b)));
  for (const e of out) {
    e.mtime = Math.min(e.mtime, epoch);
    if (ownership === 'root') {
      e.uid = 0;
      e.gid = 0;
    }
    if (e.type !== '2' && e.type !== '1') e.linkname = '';
    if (e.type !== '0') e.size = 0;
  }
  return { entries: out, dropped: dropped.sort(bytewise) };
}

/**
 * The name an entry is written under: directories carry a trailing slash.
 * @param {{ type: string, path: string }} e
 */
export function entryName(e) {
  return e.type === '5' ? `${e.path}/` : e.path;
}

/**
 * @param {string} a
 * @param {string} b
 */
export function bytewise(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Normalizes `inPath` into `outPath` (an uncompressed tar). `capture` names paths whose contents are
 * returned (for receipts). Returns { sha256, entries, dropped, captured, bytes }.
 * @param {string} inPath
 * @param {string} outPath
 * @param {{ epoch?: number, ownership?: string, drop?: (path: string, entry: TarEntry & { path: string }) => boolean, capture?: string[], onProgress?: (done: number, total: number, bytes: number) => void }} [options]
 */
export function normalizeTar(inPath, outPath, { epoch, ownership = 'keep', drop, capture = [], onProgress } = {}) {
  if (!Number.isInteger(epoch)) throw new Error('normalizeTar needs an integer epoch (SOURCE_DATE_EPOCH)');
  const inFd = openSync(inPath, 'r');
  const outFd = openSync(outPath, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  const write = (/** @type {Buffer} */ buf) => {
    writeSync(outFd, buf);
    hash.update(buf);
    bytes += buf.length;
  };
  /** @type {Record<string, Buffer>} */
  const captured = {};
  try {
    const plan = planEntries(readEntries(inFd), { epoch: /** @type {number} */ (epoch), ownership, drop });
    const chunk = Buffer.alloc(CHUNK);
    let done = 0;
    for (const e of plan.entries) {
      write(entryHeaders(e));
      if (e.type === '0' && e.size > 0) {
        const keep = capture.includes(e.path) ? /** @type {Buffer[]} */ ([]) : undefined;
        for (let off = 0; off < e.size; off += CHUNK) {
          const n = Math.min(CHUNK, e.size - off);
          const got = readSync(inFd, chunk, 0, n, e.dataPos + off);
          if (got !== n) throw new Error(`short read in ${e.path}`);
          const piece = chunk.subarray(0, n);
          write(piece);
          keep?.push(Buffer.from(piece));
        }
        if (keep) captured[e.path] = Buffer.concat(keep);
        const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
        if (pad > 0) write(Buffer.alloc(pad));
      } else if (e.type === '0' && capture.includes(e.path)) {
        captured[e.path] = Buffer.alloc(0);
      }
      done++;
      onProgress?.(done, plan.entries.length, bytes);
    }
    write(Buffer.alloc(BLOCK * 2));
    return { sha256: hash.digest('hex'), entries: plan.entries.length, dropped: plan.dropped, captured, bytes };
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
}
