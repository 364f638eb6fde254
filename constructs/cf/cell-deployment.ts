import type { BoshManifest, InstanceGroup, ManifestJob, ManifestRelease, ManifestStemcell } from '../bosh/manifest';
import { varRef } from '../bosh/variables';
import type { CellGroup } from './cell-groups';

/** Releases one cell instance group takes its jobs from (ARM builds where the jobs run binaries). */
export interface CellReleases {
  readonly diego: string;
  readonly rootfs: string;
  readonly garden: string;
  readonly bpm: string;
  readonly loggregatorAgent: string;
}

/** A cell group (cell-groups.ts) as its instance group needs it: where its rootfs goes, its IPs and releases. */
export interface CellGroupSpec extends Pick<CellGroup, 'name' | 'stack' | 'azs' | 'network' | 'vmType' | 'stemcell' | 'placementTags'> {
  /** Where the rootfs-setup job installs the stack's rootfs on the cell (what the rep advertises). */
  readonly rootfsPath: string;
  readonly rootfsSetupJob: string;
  readonly staticIps: readonly string[];
  readonly releases: CellReleases;
}

export interface CellDeploymentProps {
  readonly name: string;
  /** Deployment whose shared links (nats-tls) and credentials the cells use. */
  readonly controlPlaneDeployment: string;
  readonly releases: readonly ManifestRelease[];
  readonly stemcells: readonly ManifestStemcell[];
  readonly groups: readonly CellGroupSpec[];
  /** Release of the templates-only bosh-dns-aliases job (arch-independent, so upstream's works). */
  readonly dnsAliasesRelease: string;
  /** bosh-dns alias entries that resolve the control plane's services (see aliasesFrom). */
  readonly aliases: ReadonlyArray<Record<string, unknown>>;
  /** Turns a control-plane credential name into the name this deployment must reference. */
  readonly credential: (name: string) => string;
}

/** Control-plane credentials a cell uses; the Lab's director.variables must provide each of them. */
export const CELL_CREDENTIALS = [
  'credhub_tls',
  'diego_bbs_client',
  'diego_instance_identity_ca',
  'diego_rep_agent_v2',
  'loggregator_agent_metrics_tls',
  'loggregator_tls_agent',
  'nats_client_cert',
  'uaa_ssl',
] as const;

export type CellCredential = (typeof CELL_CREDENTIALS)[number];

/**
 * The Pi cells as their own deployment: per instance group the rootfs-setup job, garden, the cell Diego
 * variant's rep (advertising exactly its stack) and route_emitter, and a loggregator agent. The jobs
 * mirror cf-deployment's diego-cell, minus what has no ARM build or needs the control plane's network
 * (silk/cf-networking: apps on the Pi use garden's own bridge networking).
 */
export function cellDeployment(p: CellDeploymentProps): BoshManifest {
  const creds = cellCredentials(p);
  return {
    name: p.name,
    releases: [...p.releases],
    stemcells: [...p.stemcells],
    // Pis boot and compile slowly: one canary, one at a time, generous watch times (cf-deployment's).
    update: { canaries: 1, max_in_flight: 1, canary_watch_time: '30000-1200000', update_watch_time: '5000-1200000', serial: false },
    addons: [
      {
        name: 'bosh-dns-aliases',
        jobs: [{ name: 'bosh-dns-aliases', release: p.dnsAliasesRelease, properties: { aliases: p.aliases.map((a) => structuredClone(a)) } }],
      },
    ],
    instance_groups: p.groups.map((g) => cellGroup(g, creds, p.controlPlaneDeployment)),
  };
}

/** The credential references the cell jobs share, resolved once per deployment. */
interface CellCreds {
  readonly ref: (name: CellCredential, field?: string) => string;
  readonly trustedCas: readonly string[];
  readonly loggregatorClient: Record<string, unknown>;
  readonly bbsClient: Record<string, unknown>;
}

function cellCredentials(p: CellDeploymentProps): CellCreds {
  const c = (name: CellCredential, field?: string): string => varRef(p.credential(name), field);
  return {
    ref: c,
    trustedCas: [c('diego_instance_identity_ca', 'ca'), c('credhub_tls', 'ca'), c('uaa_ssl', 'ca')],
    loggregatorClient: { ca_cert: c('loggregator_tls_agent', 'ca'), cert: c('loggregator_tls_agent', 'certificate'), key: c('loggregator_tls_agent', 'private_key'), use_v2_api: true },
    bbsClient: { ca_cert: c('diego_bbs_client', 'ca'), client_cert: c('diego_bbs_client', 'certificate'), client_key: c('diego_bbs_client', 'private_key') },
  };
}

function cellGroup(g: CellGroupSpec, creds: CellCreds, controlPlaneDeployment: string): InstanceGroup {
  const jobs: ManifestJob[] = [
    { name: 'bpm', release: g.releases.bpm },
    {
      name: g.rootfsSetupJob,
      release: g.releases.rootfs,
      // Mirrors cflinuxfs4-rootfs-setup's `cflinuxfs4-rootfs.trusted_certs`, renamed with the stack.
      properties: { [`${g.stack}-rootfs`]: { trusted_certs: creds.trustedCas } },
    },
    {
      name: 'garden',
      release: g.releases.garden,
      properties: { garden: { cleanup_process_dirs_on_wait: true, containerd_mode: true, default_container_grace_time: 0 } },
    },
    repJob(g, creds),
    routeEmitterJob(g, creds, controlPlaneDeployment),
    loggregatorAgentJob(g, creds),
  ];
  return {
    name: g.name,
    azs: [...g.azs],
    instances: g.staticIps.length,
    vm_type: g.vmType,
    stemcell: g.stemcell,
    networks: [{ name: g.network, static_ips: [...g.staticIps] }],
    jobs,
  };
}

function repJob(g: CellGroupSpec, { ref: c, trustedCas, loggregatorClient }: CellCreds): ManifestJob {
  return {
    name: 'rep',
    release: g.releases.diego,
    properties: {
      bpm: { enabled: true },
      // Envoy (the per-container proxy) has no ARM build in the cell variant; without it the
      // router reaches apps on their unproxied port mappings.
      containers: { proxy: { enabled: false }, trusted_ca_certificates: trustedCas },
      diego: {
        executor: { instance_identity_ca_cert: c('diego_instance_identity_ca', 'certificate'), instance_identity_key: c('diego_instance_identity_ca', 'private_key') },
        rep: {
          // Exactly one stack per cell: this is what keeps x86 apps off the Pi and ARM apps on it.
          preloaded_rootfses: [`${g.stack}:${g.rootfsPath}`],
          // Placement tags make the cells an isolation segment: only apps in spaces of a matching
          // segment are placed here. Empty means "any app of this stack".
          placement_tags: [...g.placementTags],
        },
      },
      loggregator: loggregatorClient,
      tls: { ca_cert: c('diego_rep_agent_v2', 'ca'), cert: c('diego_rep_agent_v2', 'certificate'), key: c('diego_rep_agent_v2', 'private_key') },
    },
  };
}

function routeEmitterJob(g: CellGroupSpec, { ref: c, bbsClient, loggregatorClient }: CellCreds, controlPlaneDeployment: string): ManifestJob {
  return {
    name: 'route_emitter',
    release: g.releases.diego,
    // nats-tls is a shared link of the control plane (cf-deployment: nats/nats-tls, shared: true).
    consumes: { 'nats-tls': { deployment: controlPlaneDeployment, from: 'nats-tls' } },
    properties: {
      bpm: { enabled: true },
      diego: {
        route_emitter: {
          bbs: bbsClient,
          local_mode: true,
          nats: { tls: { client_cert: c('nats_client_cert', 'certificate'), client_key: c('nats_client_cert', 'private_key'), enabled: true } },
        },
      },
      internal_routes: { enabled: true },
      loggregator: loggregatorClient,
      tcp: { enabled: false },
    },
  };
}

function loggregatorAgentJob(g: CellGroupSpec, { ref: c }: CellCreds): ManifestJob {
  return {
    name: 'loggregator_agent',
    release: g.releases.loggregatorAgent,
    properties: {
      disable_udp: true,
      // The rep and route_emitter send v2 envelopes to 3458; with no forwarder agent on the Pi,
      // the agent listens there itself.
      grpc_port: 3458,
      loggregator: { tls: { agent: { cert: c('loggregator_tls_agent', 'certificate'), key: c('loggregator_tls_agent', 'private_key') }, ca_cert: c('loggregator_tls_agent', 'ca') } },
      metrics: {
        ca_cert: c('loggregator_agent_metrics_tls', 'ca'),
        cert: c('loggregator_agent_metrics_tls', 'certificate'),
        key: c('loggregator_agent_metrics_tls', 'private_key'),
        server_name: 'loggregator_agent_metrics',
      },
    },
  };
}
