import { z } from 'zod';
import { InputError } from '../../../lab/errors';
import { formatPath, valueAt } from '../../../lab/locate';
import { issueWording } from '../../../lab/schema-wording';

/**
 * The shape profileOf writes (cf-deployment-profile.ts): strict where profileOf picks the keys, open
 * where it copies upstream entries whole (releases, stemcells, networks, the kept properties).
 */
const job = z.object({ name: z.string().min(1), release: z.string().min(1), properties: z.record(z.string(), z.unknown()).optional() }).strict();
const group = z
  .object({
    name: z.string().min(1),
    azs: z.array(z.string()).optional(),
    instances: z.number().int().nonnegative().optional(),
    networks: z.array(z.object({ name: z.string().min(1) }).passthrough()).optional(),
    stemcell: z.string().optional(),
    jobs: z.array(job),
  })
  .strict();
const version = z.union([z.string().min(1), z.number()]);
export const cfDeploymentProfileSchema = z
  .object({
    name: z.string().min(1),
    releases: z.array(z.object({ name: z.string().min(1), version }).passthrough()).min(1),
    stemcells: z.array(z.object({ alias: z.string().min(1), os: z.string().min(1), version }).passthrough()).min(1),
    addons: z.array(group).optional(),
    instance_groups: z.array(group).min(1),
  })
  .strict();

export type CfDeploymentProfile = z.infer<typeof cfDeploymentProfileSchema>;

/**
 * Checks a profile read from `file` and returns it as it was read (key order kept: the ops and the
 * upstream comparison depend on it). A corrupt file fails with the file, the path and how to regenerate it.
 */
export function checkProfile(file: string, data: unknown): CfDeploymentProfile {
  const parsed = cfDeploymentProfileSchema.safeParse(data);
  if (parsed.success) return data as CfDeploymentProfile;
  const issue = parsed.error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const { found, expected } = issueWording(issue, valueAt(data, issue.path));
  throw InputError.at({ file, path: formatPath(path), found, expected: `${expected} (a cf-deployment profile as profileOf writes it)`, fix: `regenerate it: npm run profile -- <cf-deployment checkout>/cf-deployment.yml` });
}
