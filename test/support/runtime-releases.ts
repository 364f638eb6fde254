import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from './lab-files';
import { run, RunResult } from './run';

/**
 * Helpers for the runtime-release e2e tests (bpm, loggregator-agent, bosh-dns): the default lab's plan,
 * its steps run through their own commands, the compiled packages unpacked, ELF headers, certificates.
 */

export const RUNTIME_RELEASES = ['bpm', 'loggregator-agent', 'bosh-dns'] as const;
export type RuntimeRelease = (typeof RUNTIME_RELEASES)[number];

export interface PlanStep {
  id: string;
  out: string;
  command: string;
  args: Record<string, string>;
}

export interface LabPlan {
  stackDir: string;
  steps: PlanStep[];
  step(id: string): PlanStep;
}

/** The default lab (artifact steps only), synthesized into `outdir` against the upstream fixtures. */
export function synthDefaultLab(outdir: string): LabPlan {
  const res = synthLab({ projectRoot: PROJECT_ROOT, labFile: 'lab.yaml', outdir, upstreamDir: relative(PROJECT_ROOT, UPSTREAM_FIXTURES), artifactsOnly: true });
  const plan = JSON.parse(readFileSync(join(res.stackDir, 'plan.json'), 'utf8')) as { steps: PlanStep[] };
  return {
    stackDir: res.stackDir,
    steps: plan.steps,
    step(id) {
      const s = plan.steps.find((x) => x.id === id);
      if (!s) throw new Error(`the plan has no step ${id} (it has ${plan.steps.map((x) => x.id).join(', ')})`);
      return s;
    },
  };
}

export const createStepId = (r: RuntimeRelease): string => `lab-runtime-${r}-armhf-create`;
export const compileStepId = (r: RuntimeRelease): string => `lab-compiled-runtime-${r}-armhf-rpi-compile`;

export interface PlanStepRun extends RunResult {
  readonly output: string;
  readonly seconds: number;
}

/**
 * Runs a plan step's own `command` from the stack dir, as the deploy's local-exec does. `edit` may
 * rewrite the command's arguments (e.g. another --upstream-dir or --out) for the bad-input cases.
 */
export function runPlanStep(plan: LabPlan, id: string, edit: (command: string) => string = (c) => c): PlanStepRun {
  const command = edit(plan.step(id).command);
  const t0 = Date.now();
  const r = run('bash', ['-c', command], { cwd: plan.stackDir, env: { STACK_ELEVATOR_STEP: id }, timeoutMs: 1_200_000 });
  return { ...r, output: r.stdout + r.stderr, seconds: (Date.now() - t0) / 1000 };
}

/** Absolute output dir of a plan step (build/<id>/<hash>). */
export const stepOut = (plan: LabPlan, id: string): string => join(PROJECT_ROOT, plan.step(id).out);

/** Replaces one `--name=value` argument of a step command. */
export function withArg(command: string, name: string, value: string): string {
  const re = new RegExp(`--${name}=\\S+`);
  if (!re.test(command)) throw new Error(`command has no --${name}: ${command}`);
  return command.replace(re, `--${name}=${value}`);
}

/** The compiled release tarball of a compile step's output dir (exactly one .tgz). */
export function compiledTarball(outDir: string): string {
  const tgz = readdirSync(outDir).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new Error(`${outDir}: expected one .tgz, found ${tgz.join(', ') || 'none'}`);
  return join(outDir, tgz[0]);
}

/** Unpacks a compiled release and each of its compiled packages: { <package>: <dir> }. */
export function unpackCompiled(tarball: string, into: string): Record<string, string> {
  const rel = join(into, 'release');
  mkdirSync(rel, { recursive: true });
  untarInto(tarball, rel);
  const pkgs: Record<string, string> = {};
  for (const f of readdirSync(join(rel, 'compiled_packages')).filter((x) => x.endsWith('.tgz')).sort()) {
    const name = f.replace(/\.tgz$/, '');
    const dir = join(into, 'packages', name);
    mkdirSync(dir, { recursive: true });
    untarInto(join(rel, 'compiled_packages', f), dir);
    pkgs[name] = dir;
  }
  return pkgs;
}

function untarInto(tgz: string, dir: string): void {
  const r = spawnSync('tar', ['-xzf', tgz, '-C', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -xzf ${tgz}: ${r.stderr}`);
}

export interface ElfHeader {
  file: string;
  /** 1 = 32-bit, 2 = 64-bit */
  elfClass: number;
  /** e_machine: 40 = ARM, 183 = AArch64, 62 = x86-64, 3 = i386 */
  machine: number;
}

/** Every ELF file under dir, read from its header bytes (e_ident[EI_CLASS], e_machine little-endian). */
export function elfHeaders(dir: string): ElfHeader[] {
  const found: ElfHeader[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size >= 20) {
        const buf = Buffer.alloc(20);
        const fd = openSync(p, 'r');
        readSync(fd, buf, 0, 20, 0);
        closeSync(fd);
        if (buf.readUInt32BE(0) === 0x7f454c46) {
          const le = buf[5] === 1;
          found.push({ file: relative(dir, p), elfClass: buf[4], machine: le ? buf.readUInt16LE(18) : buf.readUInt16BE(18) });
        }
      }
    }
  };
  walk(dir);
  return found;
}

/** Runs an ARM binary under qemu user emulation (exit status and output kept apart). */
export function qemuArm(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync('qemu-arm-static', [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { PATH: process.env.PATH, ...env } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * A copy of the upstream fixtures dir (symlinks) in which `file` is a real copy with one byte changed.
 * Returns the dir and the tampered file's path.
 */
export function tamperedUpstream(into: string, file: string): { dir: string; tampered: string } {
  const dir = join(into, 'upstream');
  mkdirSync(dir, { recursive: true });
  for (const e of readdirSync(UPSTREAM_FIXTURES)) {
    if (e !== file) symlinkSync(join(UPSTREAM_FIXTURES, e), join(dir, e));
  }
  const tampered = join(dir, file);
  copyFileSync(join(UPSTREAM_FIXTURES, file), tampered);
  const bytes = readFileSync(tampered);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at] ^ 0x01;
  writeFileSync(tampered, bytes);
  return { dir, tampered };
}

export interface TestCerts {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

/**
 * A throwaway CA and one RSA leaf certificate for both ends of every mTLS link in the tests (server and
 * client auth; names metron, doppler, api.bosh-dns, health.bosh-dns, 127.0.0.1). RSA because the
 * releases' tlsconfig internal-service defaults offer ECDHE-RSA suites only on TLS 1.2.
 */
export function makeCerts(dir: string): TestCerts {
  mkdirSync(dir, { recursive: true });
  const ossl = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=stack-elevator test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ossl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=metron']);
  writeFileSync(
    join(dir, 'leaf.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:metron,DNS:doppler,DNS:api.bosh-dns,DNS:health.bosh-dns,DNS:localhost,IP:127.0.0.1\n',
  );
  ossl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '2', '-extfile', 'leaf.ext']);
  return { dir, ca: join(dir, 'ca.crt'), cert: join(dir, 'leaf.crt'), key: join(dir, 'leaf.key') };
}

/** A TCP port free on 127.0.0.1 just now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The loggregator agent's environment (src/cmd/loggregator-agent/app/config.go, pkg/config): mTLS on its
 * v2 gRPC ingress and its metrics server, the router (doppler) it forwards to, UDP (v1) off.
 */
export function agentEnv(o: { grpcPort: number; metricsPort: number; udpPort: number; routerAddr: string; ca: string; cert: string; key: string }): Record<string, string> {
  return {
    AGENT_PORT: String(o.grpcPort),
    AGENT_CA_FILE: o.ca,
    AGENT_CERT_FILE: o.cert,
    AGENT_KEY_FILE: o.key,
    AGENT_DEPLOYMENT: 'pi-lab',
    AGENT_JOB: 'rpi-cell',
    AGENT_INDEX: '0',
    AGENT_IP: '127.0.0.1',
    AGENT_DISABLE_UDP: 'true',
    AGENT_INCOMING_UDP_PORT: String(o.udpPort),
    ROUTER_ADDR: o.routerAddr,
    METRICS_PORT: String(o.metricsPort),
    METRICS_CA_FILE_PATH: o.ca,
    METRICS_CERT_FILE_PATH: o.cert,
    METRICS_KEY_FILE_PATH: o.key,
  };
}

export interface Started {
  /** Output so far (stdout and stderr). */
  output(): string;
  /** Exit code, or null while it runs. */
  exitCode(): number | null;
  stop(): Promise<void>;
}

/** Starts a long-running process (e.g. an ARM binary under qemu) and collects its output. */
export function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let code: number | null = null;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', (c, sig) => ((code = c ?? (sig ? 128 : -1)), resolve())));
  return {
    output: () => out,
    exitCode: () => code,
    stop: async () => {
      if (code === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Waits until `ready` holds or the process exits; the deadline only bounds a hang (the assertion is
 * on what happened, never on how long it took).
 */
export async function waitFor(ready: () => boolean | Promise<boolean>, p: Pick<Started, 'exitCode'> | undefined, deadlineMs = 180_000): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await ready()) return true;
    if (p && p.exitCode() !== null) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A scratch dir under the OS temp dir. */
export function tempDir(prefix: string): string {
  const d = join(tmpdir(), `${prefix}${process.pid}-${Date.now()}`);
  mkdirSync(d, { recursive: true });
  return d;
}
