import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { LabError } from './errors';
import { displayPath } from './load';
import { formatPath, lineOf, valueAt } from './locate';
import type { LabLock } from './lock';
import { issueWording } from './schema-wording';

const lockSchema = z
  .object({
    lockVersion: z.literal(1),
    upstream: z.record(
      z.string(),
      z
        .object({
          version: z.string(),
          sha: z.string().optional(),
          tarballSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 of 64 lower-case hex digits').optional(),
          go: z.string().optional(),
          submodules: z.record(z.string(), z.string().regex(/^[0-9a-f]{40}$/, 'a git commit of 40 lower-case hex digits')).optional(),
        })
        .strict(),
    ),
    tools: z.record(z.string(), z.string()),
    rootfs: z.record(z.string(), z.record(z.string(), z.unknown())),
    stemcells: z.record(z.string(), z.string()),
  })
  .strict();

/** The lock file beside a lab file: lab.yaml -> lab.lock.json. */
export function lockFileFor(labFile: string): string {
  return `${labFile.replace(/\.ya?ml$/, '')}.lock.json`;
}

/** Reads lab.lock.json beside the lab; its absence or a malformed lock is a LabError like any bad input. */
export function loadLock(absLockFile: string, projectRoot: string): LabLock {
  const file = displayPath(absLockFile, projectRoot);
  if (!existsSync(absLockFile)) {
    throw new LabError(file, '', 'no such file', 'the lab lock file beside the lab', undefined, 'restore it from git: every lab needs its lock (see the lab.lock.json of the default lab for the shape)');
  }
  const text = readFileSync(absLockFile, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new LabError(file, '', `invalid JSON (${(err as Error).message})`, 'a JSON lock file');
  }
  const parsed = lockSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const { found, expected } = issueWording(issue, valueAt(raw, issue.path));
    // JSON is YAML, so the lab's line lookup finds the lock's lines too
    throw new LabError(file, formatPath(path), found, `${expected} (lab lock schema, lockVersion 1)`, lineOf(text, path), 'restore the entry from git or correct it as the schema says');
  }
  return parsed.data;
}
