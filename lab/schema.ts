import { z } from 'zod';

/**
 * The lab.yaml document shape (snake_case, as users write it). Strict objects: an unknown key is a typo
 * until proven otherwise. Cross-field rules live in lab/rules.ts.
 */
const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name: letters, digits and dashes, starting with a letter');
const stackName = z.string().regex(/^[a-z][a-z0-9]*$/, 'a stack name: lower-case letters and digits (like cflinuxfs4); it also names BOSH packages (binary-buildpack-<stack>)');
/** A BOSH package (and release, job) name as bosh create-release accepts it. */
export const BOSH_PACKAGE_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const boshPackageName = z.string().regex(BOSH_PACKAGE_NAME, 'a BOSH package name: lower-case letters, digits, -, _ and . (like binary-buildpack-rpifs)');
/** A Cloud Foundry org, space or isolation segment name as the lab names it (no slashes, no spaces). */
const cfName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a Cloud Foundry name: letters, digits, -, _ and .');
const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'an IPv4 address like 10.0.0.5');
const cidr = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, 'a CIDR like 10.0.0.0/24');
const ipRange = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(-\d{1,3}(\.\d{1,3}){3})?$/, 'an IP or a range like 10.0.0.10-10.0.0.20');
const arch = z.enum(['armhf', 'arm64']);
const stemcellArch = z.enum(['armhf', 'arm64', 'amd64']);
const exactVersion = z.string().regex(/^\d+(\.\d+)*$/, 'an exact release version like 1.58.0 (never latest)');

/**
 * What a lab says about one release the cells run beside the rep: by default nothing (the version
 * follows cf-deployment, or the DNS runtime config for bosh-dns, and the plan builds it). A version other
 * than that needs a reason; `supplied: true` means the lab puts that release, compiled for every cell
 * stemcell, on the director itself (at `version`, or the paired one).
 */
const cellRelease = z
  .object({
    version: exactVersion.optional(),
    reason: z.string().trim().min(1, 'a one-line reason').optional(),
    supplied: z.boolean().default(false),
  })
  .strict();

/** The releases a cell runs beside the rep, by BOSH release name. */
export const CELL_RUNTIME_RELEASES = ['bosh-dns', 'bpm', 'garden-runc', 'loggregator-agent'] as const;
const version = z.string().regex(/^v?\d+(\.\d+)*$/, 'a release version like v2.105.0');

const mmdebstrapBase = z
  .object({
    mmdebstrap: z
      .object({
        suite: z.string().regex(/^[a-z]+$/, 'a Debian suite like bookworm'),
        variant: z.enum(['minbase', 'buildd', 'essential', 'apt', 'required', 'important', 'standard']).default('minbase'),
        include: z.array(z.string()).default([]),
      })
      .strict(),
  })
  .strict();
const imageBase = z.object({ image: z.string().min(1) }).strict();

export const stackSchema = z
  .object({
    name: stackName,
    description: z.string().min(1),
    arch,
    base: z.union([mmdebstrapBase, imageBase]),
    packages: z.union([z.string().min(1), z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'a Debian package name')).min(1)]),
    locales: z.array(z.string().min(1)).min(1).default(['en_US.UTF-8']),
    lifecycle_bundle: z.string().regex(/^[a-z0-9_-]+\/[a-z0-9_.-]+\.tgz$/, 'a file-server path like <package>/buildpack_app_lifecycle.tgz').optional(),
    /** Release, package and job name of the stack's ARM binary buildpack (default binary-buildpack-<stack>). */
    buildpack_package: boshPackageName.optional(),
  })
  .strict();

export const networkSchema = z
  .object({
    name,
    cidr,
    gateway: ipv4,
    dns: z.array(ipv4).default([]),
    static: z.array(ipRange).default([]),
    cloud_properties: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const cellSchema = z
  .object({
    name,
    arch,
    goarm: z.union([z.literal(6), z.literal(7)]).optional(),
    stack: stackName,
    network: name,
    ip: ipv4,
    az: name,
    vm_type: name,
    stemcell: name,
    placement_tags: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const isolationSegmentSchema = z
  .object({
    name: cfName,
    orgs: z.array(cfName).min(1),
    spaces: z.array(z.object({ org: cfName, space: cfName }).strict()).default([]),
  })
  .strict();

export const labSchema = z
  .object({
    name,
    director: z.object({ name, variables: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a BOSH variable name like system_domain')).default([]) }).strict(),
    upstream: z.object({ cf_deployment: version, diego_release: version, cflinuxfs4_release: version }).strict(),
    networks: z.array(networkSchema).min(1),
    stemcells: z.array(z.object({ alias: name, os: z.string().min(1), version: z.string().min(1), arch: stemcellArch.optional() }).strict()).min(1),
    stacks: z.array(stackSchema).min(1),
    control_plane: z
      .object({
        deployment: name,
        mode: z.enum(['cf-deployment', 'interpolated']).default('cf-deployment'),
        network: name,
        az: name,
        stemcell: name,
        system_domain: z.string().min(1),
      })
      .strict(),
    cells_deployment: name,
    cell_releases: z.object(Object.fromEntries(CELL_RUNTIME_RELEASES.map((r) => [r, cellRelease.optional()])) as Record<(typeof CELL_RUNTIME_RELEASES)[number], z.ZodOptional<typeof cellRelease>>).strict().default({}),
    // The director's DNS runtime config (bosh-deployment runtime-configs/dns.yml): the bosh-dns it puts on every VM.
    dns_runtime_config: z.object({ bosh_dns: exactVersion }).strict().optional(),
    cells: z.array(cellSchema).min(1),
    /**
     * Isolation segments the plan makes exist through the CF API after the control-plane deploy: one per
     * placement tag the cells carry, with the orgs entitled to it and the spaces assigned to it.
     */
    isolation_segments: z.array(isolationSegmentSchema).default([]),
  })
  .strict();

export type LabDocument = z.infer<typeof labSchema>;
