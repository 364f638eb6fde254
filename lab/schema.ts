import { z } from 'zod';

/**
 * The lab.yaml document shape (snake_case, as users write it). Strict objects: an unknown key is a typo
 * until proven otherwise. Cross-field rules live in lab/rules.ts.
 */
const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name: letters, digits and dashes, starting with a letter');
const stackName = z.string().regex(/^[a-z][a-z0-9]*$/, 'a stack name: lower-case letters and digits (like cflinuxfs4)');
const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'an IPv4 address like 10.0.0.5');
const cidr = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, 'a CIDR like 10.0.0.0/24');
const ipRange = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(-\d{1,3}(\.\d{1,3}){3})?$/, 'an IP or a range like 10.0.0.10-10.0.0.20');
const arch = z.enum(['armhf', 'arm64']);
const stemcellArch = z.enum(['armhf', 'arm64', 'amd64']);
/** A release the lab supplies, compiled for every cell stemcell: an exact version, never `latest`. */
const suppliedRelease = z.object({ name, version: z.string().regex(/^v?\d+(\.\d+)*$/, 'an exact release version like 1.4.33 (never latest)') }).strict();
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
    cell_releases: z.object({ bpm: suppliedRelease, garden: suppliedRelease, loggregator_agent: suppliedRelease }).strict(),
    cells: z.array(cellSchema).min(1),
  })
  .strict();

export type LabDocument = z.infer<typeof labSchema>;
