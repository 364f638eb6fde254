import { Resolver } from 'node:dns/promises';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from '../support/lab-files';
import { run } from '../support/run';
import {
  agentEnv,
  compileStepId,
  compiledTarball,
  createStepId,
  elfHeaders,
  freePort,
  LabPlan,
  makeCerts,
  RuntimeRelease,
  runPlanStep,
  stepOut,
  synthDefaultLab,
  tcpOpen,
  tempDir,
  TestCerts,
  unpackCompiled,
  waitFor,
} from '../support/runtime-releases';

/** Every container and image this file makes carries this label (value unique to the run); afterAll removes them. */
const LABEL = 'stack-elevator.test=runtime-releases-run';
const RUN_ID = `${process.pid}-${Date.now()}`;
const IMAGE = `stack-elevator-test/runtime-releases-run:${RUN_ID}`;
const PLATFORM = 'linux/arm/v7';

const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const docker = (args: string[], timeoutMs = 600_000) => run('docker', args, { timeoutMs });

/** The compile step's output of a release: reused when the plan's own content-addressed output is there (a deploy would skip the step too), else built by the plan's create and compile steps. */
function compiledRelease(plan: LabPlan, r: RuntimeRelease): string {
  const out = stepOut(plan, compileStepId(r));
  if (existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tgz'))) return compiledTarball(out);
  for (const id of [createStepId(r), compileStepId(r)]) {
    const res = runPlanStep(plan, id);
    if (res.status !== 0) throw new Error(`${id} exited ${res.status}:\n${res.output.split('\n').slice(-20).join('\n')}`);
  }
  return compiledTarball(out);
}

/** Builds the host-arch probe client from a scratch copy of loggregator-agent-release's tree, offline, with its vendored modules. */
function buildAgentProbe(work: string): string {
  const tree = join(work, 'loggregator-agent-src');
  mkdirSync(tree, { recursive: true });
  const x = run('tar', ['-xzf', join(UPSTREAM_FIXTURES, 'loggregator-agent-release-v8.3.0-src.tgz'), '-C', tree, '--strip-components=1', '--wildcards', '*/src/*']);
  if (x.status !== 0) throw new Error(`tar: ${x.stderr}`);
  const src = join(tree, 'src');
  mkdirSync(join(src, 'cmd', 'se-agent-probe'), { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'test', 'support', 'agent-probe', 'main.go'), join(src, 'cmd', 'se-agent-probe', 'main.go'));
  const bin = join(work, 'se-agent-probe');
  const b = run('go', ['build', '-mod=vendor', '-o', bin, './cmd/se-agent-probe'], {
    cwd: src,
    env: { GOPROXY: 'off', GOFLAGS: '-mod=vendor', GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOOS: '', GOARCH: '', GOARM: '' },
    timeoutMs: 1_200_000,
  });
  if (b.status !== 0) throw new Error(`go build of the agent probe failed:\n${b.stdout}${b.stderr}`);
  return bin;
}

/**
 * bosh-dns's config (src/bosh-dns/dns/config/config.go; the job's config.json.erb for the shape) and a
 * records file as the director writes it (record_keys/record_infos, aliases by group id:
 * src/bosh-dns/dns/server/records/record_set.go), for one diego-api instance and the bbs alias.
 */
function boshDnsFiles(dnsPort: number, apiPort: number): Record<string, string> {
  const config = {
    address: '127.0.0.1',
    port: dnsPort,
    log_level: 'DEBUG',
    disable_recursors: true,
    records_file: '/var/vcap/instance/dns/records.json',
    alias_files_glob: '/var/vcap/jobs/*/dns/aliases.json',
    handlers_files_glob: '/var/vcap/jobs/*/dns/handlers.json',
    addresses_files_glob: '/var/vcap/jobs/*/dns/addresses.json',
    recursor_selection: 'smart',
    jobs_dir: '/var/vcap/jobs',
    api: { port: apiPort, certificate_file: '/certs/leaf.crt', private_key_file: '/certs/leaf.key', ca_file: '/certs/ca.crt' },
    health: { enabled: false },
    metrics: { enabled: false },
    cache: { enabled: false },
  };
  const records = {
    record_keys: ['id', 'num_id', 'instance_group', 'group_ids', 'az', 'az_id', 'network', 'network_id', 'deployment', 'ip', 'domain', 'agent_id', 'instance_index'],
    record_infos: [['6a3b1f2e-5d4c-4e8f-9a1b-2c3d4e5f6a7b', '7', 'diego-api', ['3'], 'z1', '1', 'default', '1', 'cf', '10.0.16.23', 'bosh.', 'agent-7', 0]],
    aliases: { 'bbs.service.cf.internal': [{ group_id: '3', root_domain: 'bosh' }] },
    Version: 1,
  };
  return {
    'dns/config.json': `${JSON.stringify(config, null, 2)}\n`,
    'var/vcap/instance/dns/records.json': `${JSON.stringify(records, null, 2)}\n`,
  };
}

interface Container {
  id: string;
  logs(): string;
  running(): boolean;
}

function startContainer(name: string, args: string[]): Container {
  const r = docker(['run', '-d', '--platform', PLATFORM, '--network', 'host', '--label', `${LABEL}`, '--label', `stack-elevator.test.run=${RUN_ID}`, '--name', `se-rr-${name}-${RUN_ID}`, ...args]);
  if (r.status !== 0) throw new Error(`docker run ${name}: ${r.stderr}`);
  const id = r.stdout.trim();
  return {
    id,
    logs: () => {
      const l = docker(['logs', id]);
      return l.stdout + l.stderr;
    },
    running: () => docker(['inspect', '-f', '{{.State.Running}}', id]).stdout.trim() === 'true',
  };
}

/**
 * Issue 19, item 5, the end-to-end part: the loggregator agent and bosh-dns from the Pi compiled
 * packages, in a linux/arm/v7 container under qemu, with a minimal config and certificates made here,
 * each seen to answer.
 */
describe('loggregator-agent and bosh-dns from the compiled packages, in a linux/arm/v7 container', () => {
  const work = tempDir('se-runtime-run-');
  let certs: TestCerts;
  let probe: string;
  /** The image's root filesystem as built (FROM scratch + this dir). */
  let rootfs: string;
  const packaged: Record<string, string> = {};
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    const plan = synthDefaultLab(join(work, 'cdktf.out'));
    const agentPkg = unpackCompiled(compiledRelease(plan, 'loggregator-agent'), join(work, 'unpacked', 'loggregator-agent')).loggregator_agent;
    const dnsPkg = unpackCompiled(compiledRelease(plan, 'bosh-dns'), join(work, 'unpacked', 'bosh-dns'))['bosh-dns'];
    certs = makeCerts(join(work, 'certs'));
    probe = buildAgentProbe(work);
    for (const p of ['agentGrpc', 'agentMetrics', 'agentUdp', 'doppler', 'dns', 'dnsApi']) ports[p] = await freePort();

    // A FROM scratch image: the two static binaries, their configs, the certificates. No registry.
    const ctx = join(work, 'image');
    rootfs = join(ctx, 'rootfs');
    packaged['bin/loggregator-agent'] = join(agentPkg, 'loggregator-agent');
    packaged['bin/bosh-dns'] = join(dnsPkg, 'bin', 'bosh-dns');
    const files: Record<string, string> = {
      ...boshDnsFiles(ports.dns, ports.dnsApi),
      'var/vcap/jobs/.keep': '',
    };
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(join(ctx, 'rootfs', p, '..'), { recursive: true });
      writeFileSync(join(ctx, 'rootfs', p), content);
    }
    mkdirSync(join(ctx, 'rootfs', 'bin'), { recursive: true });
    mkdirSync(join(ctx, 'rootfs', 'certs'), { recursive: true });
    copyFileSync(join(agentPkg, 'loggregator-agent'), join(ctx, 'rootfs', 'bin', 'loggregator-agent'));
    copyFileSync(join(dnsPkg, 'bin', 'bosh-dns'), join(ctx, 'rootfs', 'bin', 'bosh-dns'));
    for (const f of ['ca.crt', 'leaf.crt', 'leaf.key']) copyFileSync(join(certs.dir, f), join(ctx, 'rootfs', 'certs', f));
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\n');
    const b = docker(['build', '--platform', PLATFORM, '--label', LABEL, '--label', `stack-elevator.test.run=${RUN_ID}`, '-t', IMAGE, ctx]);
    if (b.status !== 0) throw new Error(`docker build: ${b.stdout}${b.stderr}`);
  }, 3_600_000);

  afterAll(() => {
    const ids = docker(['ps', '-aq', '--filter', `label=stack-elevator.test.run=${RUN_ID}`]).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) docker(['rm', '-f', ...ids]);
    docker(['image', 'rm', '-f', IMAGE]);
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('the image is linux/arm/v7 and its only binaries are the compiled packages\' (32-bit ARM ELF, same bytes)', () => {
    const i = docker(['image', 'inspect', '-f', '{{.Os}}/{{.Architecture}}/{{.Variant}}', IMAGE]);
    expect(i.stdout.trim()).toBe('linux/arm/v7');
    expect(elfHeaders(rootfs).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'bin/bosh-dns', elfClass: 1, machine: 40 },
      { file: 'bin/loggregator-agent', elfClass: 1, machine: 40 },
    ]);
    for (const [inImage, fromPackage] of Object.entries(packaged)) expect(sha256(join(rootfs, inImage))).toBe(sha256(fromPackage));
  });

  describe('the loggregator agent', () => {
    let agent: Container;
    beforeAll(async () => {
      const env = agentEnv({
        grpcPort: ports.agentGrpc,
        metricsPort: ports.agentMetrics,
        udpPort: ports.agentUdp,
        routerAddr: `127.0.0.1:${ports.doppler}`,
        ca: '/certs/ca.crt',
        cert: '/certs/leaf.crt',
        key: '/certs/leaf.key',
      });
      agent = startContainer('agent', [...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), '--entrypoint', '/bin/loggregator-agent', IMAGE]);
      await waitFor(() => tcpOpen(ports.agentGrpc), { exitCode: () => (agent.running() ? null : 1) });
    }, 300_000);

    it('accepts a v2 envelope batch on its gRPC ingress over mTLS and forwards it to the doppler it is configured with', () => {
      const sourceId = `se-probe-${RUN_ID}`;
      const r = run(probe, ['-agent', `127.0.0.1:${ports.agentGrpc}`, '-doppler', `127.0.0.1:${ports.doppler}`, '-ca', certs.ca, '-cert', certs.cert, '-key', certs.key, '-source-id', sourceId]);
      const logs = agent.logs();
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(r.stdout).toContain(`agent accepted a batch of 1 envelope (source_id ${sourceId})`);
      expect(r.stdout).toContain(`doppler received source_id ${sourceId} log "hello from ${sourceId}" (after `);
      expect(logs).toContain(`agent v2 API started on addr 127.0.0.1:${ports.agentGrpc}`);
      expect(logs).not.toMatch(/panic/);
      expect(agent.running()).toBe(true);
    }, 300_000);

    it('refuses a client without a certificate (mTLS is on)', () => {
      const r = run(probe, ['-agent', `127.0.0.1:${ports.agentGrpc}`, '-ca', certs.ca, '-cert', certs.cert, '-key', certs.key, '-no-client-cert', '-wait', '60s']);
      expect(r.status).not.toBe(0);
      expect(r.stdout).not.toContain('agent accepted');
      // The handshake fails on the agent's side: the client reads its alert ("tls: certificate required")
      // or, when the agent has closed first, a reset/broken pipe. Either way the call is Unavailable.
      expect(r.stderr).toMatch(/^agent Send: rpc error: code = Unavailable desc = .*(certificate required|bad certificate|broken pipe|connection reset)/);
    }, 120_000);
  });

  describe('bosh-dns', () => {
    let dns: Container;
    let resolver: Resolver;
    beforeAll(async () => {
      dns = startContainer('bosh-dns', ['--entrypoint', '/bin/bosh-dns', IMAGE, '--config', '/dns/config.json']);
      await waitFor(() => tcpOpen(ports.dns), { exitCode: () => (dns.running() ? null : 1) });
      resolver = new Resolver({ timeout: 10_000, tries: 3 });
      resolver.setServers([`127.0.0.1:${ports.dns}`]);
    }, 300_000);

    it('answers a query for the alias in its records file (bbs.service.cf.internal -> the diego-api instance)', async () => {
      const answer = await resolver.resolve4('bbs.service.cf.internal').catch((e: Error) => `${e.message}\n${dns.logs()}`);
      expect(answer).toEqual(['10.0.16.23']);
    }, 120_000);

    it('answers a query for the instance\'s own name (<id>.<group>.<network>.<deployment>.bosh)', async () => {
      const answer = await resolver.resolve4('6a3b1f2e-5d4c-4e8f-9a1b-2c3d4e5f6a7b.diego-api.default.cf.bosh').catch((e: Error) => `${e.message}\n${dns.logs()}`);
      expect(answer).toEqual(['10.0.16.23']);
    }, 120_000);

    it('answers NXDOMAIN for an instance its records file does not hold, and refuses a name outside its domains (no recursors)', async () => {
      const code = (name: string) => resolver.resolve4(name).then((a) => `answered ${JSON.stringify(a)}`, (e: NodeJS.ErrnoException) => e.code);
      expect(await code('00000000-0000-0000-0000-000000000000.diego-api.default.cf.bosh')).toBe('ENOTFOUND');
      expect(await code('locket.service.cf.internal')).toBe('EREFUSED');
      expect(dns.running()).toBe(true);
      expect(dns.logs()).not.toMatch(/panic/);
    }, 120_000);
  });
});
