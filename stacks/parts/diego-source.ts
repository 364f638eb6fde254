import { relative } from 'node:path';
import type { SourcePin } from '../../constructs/golang';
import type { LabContext } from '../context';
import { diegoVersionOf } from './diego-version';

export const DIEGO_REPO = 'https://github.com/cloudfoundry/diego-release';

/**
 * The diego-release tree every Go package and both Diego variants come from: the tag cf-deployment
 * pins (diego-version.ts), with what lab.lock.json records about it (commit, tarball sha256, Go version,
 * submodule commits).
 */
export function diegoSourcePin(ctx: LabContext): SourcePin {
  const { tag } = diegoVersionOf(ctx);
  const lock = ctx.lock.upstream['diego-release'];
  return {
    release: 'diego-release',
    version: tag,
    repo: DIEGO_REPO,
    ...(lock?.sha ? { sha: lock.sha } : {}),
    ...(lock?.tarballSha256 ? { tarballSha256: lock.tarballSha256 } : {}),
    ...(lock?.go ? { go: lock.go } : {}),
    ...(lock?.submodules ? { submodules: lock.submodules } : {}),
  };
}

/** The upstream directory (STACK_ELEVATOR_UPSTREAM, default upstream/) relative to the project root, for step args. */
export function upstreamDirOf(ctx: LabContext): string {
  return relative(ctx.projectRoot, ctx.upstreamDir).split('\\').join('/') || '.';
}
