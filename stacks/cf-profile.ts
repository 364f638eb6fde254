import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { profileOf } from '../constructs/cf/cf-deployment-profile';
import { checkProfile, profileFileOf } from '../constructs/cf/profiles';
import { InputError } from '../lab/errors';
import { runCli } from './cli';
import { findProjectRoot } from './project-root';

/** The profile file's text for a cf-deployment manifest: profileOf as JSON, two-space indent, final newline. */
export function profileJsonText(manifest: unknown): string {
  return `${JSON.stringify(profileOf(manifest), null, 2)}\n`;
}

/**
 * Reads a cf-deployment.yml and writes its profile to <projectRoot>/constructs/cf/profiles/cf-deployment-<tag>.json,
 * the tag read from the manifest's own manifest_version. Written to a temp file and renamed: an
 * interrupted run leaves the old profile whole. Returns the written file, relative to the project root.
 */
export function writeProfile(manifestFile: string, projectRoot: string): string {
  if (!existsSync(manifestFile)) throw InputError.at({ file: manifestFile, path: '', found: 'no such file', expected: 'a cf-deployment.yml', fix: 'pass the cf-deployment.yml of a cf-deployment checkout at the tag to profile' });
  const manifest = load(readFileSync(manifestFile, 'utf8')) as { manifest_version?: unknown } | null;
  const tag = manifest?.manifest_version;
  if (typeof tag !== 'string' || !/^v\d+\.\d+\.\d+$/.test(tag)) {
    throw InputError.at({ file: manifestFile, path: 'manifest_version', found: tag === undefined ? 'nothing' : `'${String(tag)}'`, expected: 'a cf-deployment tag like v58.0.0', fix: 'profile the cf-deployment.yml of a tagged cf-deployment checkout' });
  }
  const rel = profileFileOf(tag);
  const text = profileJsonText(manifest);
  checkProfile(manifestFile, JSON.parse(text));
  const target = join(projectRoot, rel);
  const temp = `${target}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, target);
  return rel;
}

/** `npm run profile -- <cf-deployment.yml>`: (re)writes the checked-in profile of that cf-deployment tag. */
function main(): void {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0].startsWith('-')) {
    throw InputError.at({ file: 'command line', path: args.join(' ') || '(no arguments)', found: `${args.length} argument(s)`, expected: 'one argument: the path of a cf-deployment.yml', fix: 'npm run profile -- upstream/cf-deployment-v58.0.0/cf-deployment.yml' });
  }
  // npm runs scripts from the project root; a relative path means the directory the user typed it in
  const manifestFile = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]);
  const written = writeProfile(manifestFile, findProjectRoot(__dirname));
  process.stdout.write(`wrote ${written} (register it in constructs/cf/profiles/index.ts if it is new)\n`);
}

if (require.main === module) runCli(main);
