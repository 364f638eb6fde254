import type { LabDocument } from './schema';
import type { DocPath } from './locate';
import { inCidr, ipToInt, parseCidr, parseRange } from './ipv4';
import { stemcellArchOf } from './model';
import { checkBuildpackPackages } from './buildpack-rules';
import { checkPlacementSegments } from './segment-rules';

export interface RuleViolation {
  readonly path: DocPath;
  readonly found: string;
  readonly expected: string;
  readonly fix?: string;
}

/** Stacks that upstream Cloud Foundry already defines for x86 cells; an ARM stack must not reuse them. */
const UPSTREAM_STACKS = new Set(['cflinuxfs3', 'cflinuxfs4', 'windows', 'windows2016', 'windows2012R2']);

/** Cross-field rules the schema cannot express. Returns every violation, in document order. */
export function checkLabRules(doc: LabDocument): RuleViolation[] {
  const out: RuleViolation[] = [];
  unique(doc.stacks.map((s) => s.name), ['stacks'], 'stack name', out);
  unique(doc.networks.map((n) => n.name), ['networks'], 'network name', out);
  unique(doc.stemcells.map((s) => s.alias), ['stemcells'], 'stemcell alias', out);
  unique(doc.cells.map((c) => c.name), ['cells'], 'cell name', out);
  unique(doc.cells.map((c) => c.ip), ['cells'], 'cell ip', out, 'ip');
  unique(doc.isolation_segments.map((g) => g.name), ['isolation_segments'], 'isolation segment name', out);
  checkBuildpackPackages(doc, out);
  checkPlacementSegments(doc, out);

  checkStackNames(doc, out);
  checkNetworks(doc, out);
  checkStemcellArchs(doc, out);
  doc.cells.forEach((cell, i) => checkCell(doc, cell, i, out));
  checkControlPlane(doc, out);
  return out;
}

/** An ARM stack under a name upstream already gives an x86 stack would be confused with it. */
function checkStackNames(doc: LabDocument, out: RuleViolation[]): void {
  doc.stacks.forEach((s, i) => {
    if (UPSTREAM_STACKS.has(s.name)) {
      out.push({ path: ['stacks', i, 'name'], found: `'${s.name}'`, expected: 'a name upstream Cloud Foundry does not already use for x86 cells', fix: 'pick a new name such as rpifs' });
    }
  });
}

/** Each network's CIDR is valid, and its gateway and static ranges lie inside it. */
function checkNetworks(doc: LabDocument, out: RuleViolation[]): void {
  doc.networks.forEach((n, i) => {
    const c = parseCidr(n.cidr);
    if (!c) {
      out.push({ path: ['networks', i, 'cidr'], found: `'${n.cidr}'`, expected: 'a network CIDR with octets 0-255, a prefix between /8 and /30, and no host bits set' });
      return;
    }
    const gw = ipToInt(n.gateway);
    if (gw === undefined || !inCidr(gw, c)) {
      out.push({ path: ['networks', i, 'gateway'], found: `'${n.gateway}'`, expected: `a host address inside ${n.cidr}` });
    }
    n.static.forEach((r, j) => {
      const range = parseRange(r);
      if (!range || !inCidr(range[0], c) || !inCidr(range[1], c)) {
        out.push({ path: ['networks', i, 'static', j], found: `'${r}'`, expected: `an ascending range of host addresses inside ${n.cidr}` });
      }
    });
  });
}

/** A stemcell's arch, when given, must agree with the one its os name states. */
function checkStemcellArchs(doc: LabDocument, out: RuleViolation[]): void {
  doc.stemcells.forEach((s, i) => {
    const told = stemcellArchOf(s.os);
    if (s.arch !== undefined && told !== undefined && told !== s.arch) {
      out.push({ path: ['stemcells', i, 'arch'], found: `'${s.arch}'`, expected: `'${told}', the arch its os name ${s.os} states`, fix: 'correct arch or os' });
    }
  });
}

/** A cell names a stack, stemcell and network of the lab, all fit for its arch, and an address the network can give it. */
function checkCell(doc: LabDocument, cell: LabDocument['cells'][number], i: number, out: RuleViolation[]): void {
  const stacks = new Map(doc.stacks.map((s) => [s.name, s]));
  const stack = stacks.get(cell.stack);
  if (!stack) {
    out.push({ path: ['cells', i, 'stack'], found: `'${cell.stack}'`, expected: `one of the lab's stacks (${[...stacks.keys()].join(', ')})`, fix: `add a stack named ${cell.stack} under stacks: or correct the name` });
  } else if (stack.arch !== cell.arch) {
    out.push({ path: ['cells', i, 'arch'], found: `'${cell.arch}'`, expected: `'${stack.arch}', the arch of stack ${stack.name}`, fix: 'a cell can only run a stack built for its own arch' });
  }
  if (cell.arch === 'armhf' && cell.goarm === undefined) {
    out.push({ path: ['cells', i, 'goarm'], found: 'nothing', expected: 'goarm 6 or 7 for an armhf cell (7 for Raspberry Pi 2 and later, 6 for Pi 1/Zero)' });
  }
  if (cell.arch === 'arm64' && cell.goarm !== undefined) {
    out.push({ path: ['cells', i, 'goarm'], found: String(cell.goarm), expected: 'no goarm on an arm64 cell (GOARM only applies to GOARCH=arm)', fix: 'remove goarm, or set arch: armhf' });
  }
  const stemcells = new Set(doc.stemcells.map((s) => s.alias));
  if (!stemcells.has(cell.stemcell)) {
    out.push({ path: ['cells', i, 'stemcell'], found: `'${cell.stemcell}'`, expected: `one of the stemcell aliases (${[...stemcells].join(', ')})` });
  }
  checkCellStemcellArch(doc, cell, i, out);
  const networks = new Map(doc.networks.map((n) => [n.name, n]));
  const net = networks.get(cell.network);
  if (!net) {
    out.push({ path: ['cells', i, 'network'], found: `'${cell.network}'`, expected: `one of the lab's networks (${[...networks.keys()].join(', ')})` });
    return;
  }
  checkCellIp(cell.ip, net, ['cells', i, 'ip'], out);
}

/** The control plane names a network and stemcell of the lab, and deploys under another name than the cells. */
function checkControlPlane(doc: LabDocument, out: RuleViolation[]): void {
  const cp = doc.control_plane;
  const networks = new Set(doc.networks.map((n) => n.name));
  const stemcells = new Set(doc.stemcells.map((s) => s.alias));
  if (!networks.has(cp.network)) out.push({ path: ['control_plane', 'network'], found: `'${cp.network}'`, expected: `one of the lab's networks (${[...networks].join(', ')})` });
  if (!stemcells.has(cp.stemcell)) out.push({ path: ['control_plane', 'stemcell'], found: `'${cp.stemcell}'`, expected: `one of the stemcell aliases (${[...stemcells].join(', ')})` });
  if (cp.deployment === doc.cells_deployment) out.push({ path: ['cells_deployment'], found: `'${doc.cells_deployment}'`, expected: `a deployment name different from control_plane.deployment` });
}

/**
 * Packages are compiled for a cell's stemcell (compiled releases), so the stemcell must be for the
 * cell's arch, and the lab must say which arch that is when the os name does not.
 */
function checkCellStemcellArch(doc: LabDocument, cell: LabDocument['cells'][number], i: number, out: RuleViolation[]): void {
  const s = doc.stemcells.find((x) => x.alias === cell.stemcell);
  if (!s) return; // an unknown alias has its own violation
  const arch = s.arch ?? stemcellArchOf(s.os);
  if (arch === undefined) {
    out.push({ path: ['cells', i, 'stemcell'], found: `'${s.alias}' (os ${s.os}), whose arch cannot be told from its os name`, expected: `a stemcell for cell ${cell.name}'s arch ${cell.arch}`, fix: `add arch: ${cell.arch} to the stemcell ${s.alias} if it is built for ${cell.arch}` });
  } else if (arch !== cell.arch) {
    out.push({ path: ['cells', i, 'stemcell'], found: `'${s.alias}' (os ${s.os}, arch ${arch})`, expected: `a stemcell for cell ${cell.name}'s arch ${cell.arch}`, fix: 'packages are compiled for the stemcell: give the cell a stemcell of its own arch' });
  }
}

function checkCellIp(ip: string, net: LabDocument['networks'][number], path: DocPath, out: RuleViolation[]): void {
  const c = parseCidr(net.cidr);
  const addr = ipToInt(ip);
  if (!c) return; // the network's own violation already names the bad CIDR
  if (addr === undefined || !inCidr(addr, c)) {
    out.push({ path, found: `'${ip}'`, expected: `a host address inside network ${net.name} (${net.cidr})` });
    return;
  }
  const inStatic = net.static.some((r) => {
    const range = parseRange(r);
    return range !== undefined && addr >= range[0] && addr <= range[1];
  });
  if (!inStatic) {
    out.push({ path, found: `'${ip}'`, expected: `an address in network ${net.name}'s static ranges (${net.static.join(', ') || 'none declared'})`, fix: `add it to networks[name=${net.name}].static` });
  }
}

function unique(values: readonly string[], base: DocPath, what: string, out: RuleViolation[], key = 'name'): void {
  const first = new Map<string, number>();
  values.forEach((v, i) => {
    const prev = first.get(v);
    if (prev === undefined) first.set(v, i);
    else out.push({ path: [...base, i, key], found: `'${v}' again`, expected: `a unique ${what} (already used at ${base.join('.')}[${prev}])` });
  });
}
