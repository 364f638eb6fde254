import { createHash } from 'node:crypto';
import type { Arch, RootfsBase } from '../../lab/model';
import { debianArchFor, dockerPlatformFor } from '../../lab/model';
import type { BaseRecipe } from '../../contracts/rootfs-base-recipe';

export type { BaseRecipe } from '../../contracts/rootfs-base-recipe';

export function baseRecipeOf(base: RootfsBase, arch: Arch, sourceDateEpoch: number): BaseRecipe {
  const platform = dockerPlatformFor(arch);
  if (base.kind === 'image') {
    // A registry image is used as it is: the reference (pinned by digest in real labs) is the tag.
    return { kind: 'image', ref: base.ref, platform, tag: base.ref };
  }
  const recipe = {
    kind: 'mmdebstrap' as const,
    suite: base.suite,
    variant: base.variant,
    arch: debianArchFor(arch),
    platform,
    include: [...base.include].sort(),
  };
  // The epoch is part of the identity: mmdebstrap stamps it into the base tarball.
  const digest = createHash('sha256').update(JSON.stringify({ ...recipe, sourceDateEpoch })).digest('hex');
  return { ...recipe, tag: `stack-elevator/base-${recipe.suite}-${recipe.arch}:${digest.slice(0, 16)}` };
}
