// The base.json shape (constructs/rootfs/base-recipe.ts writes it into the image's build context,
// pipelines/lib/rootfs/rootfs-base.mjs reads it): types only, shared by both sides. docs/contracts.md.

/** The base image from Debian packages: mmdebstrap, then `docker import`. */
export interface MmdebstrapRecipe {
  readonly kind: 'mmdebstrap';
  readonly suite: string;
  readonly variant: string;
  readonly arch: string;
  readonly platform: string;
  readonly include: readonly string[];
  /** Local tag build-rootfs gives the base image (content-addressed by this recipe). */
  readonly tag: string;
}

/** A base image the engine already holds, retagged. */
export interface ImageRecipe {
  readonly kind: 'image';
  readonly ref: string;
  readonly platform: string;
  readonly tag: string;
}

/**
 * What build-rootfs needs to produce the base image, written into the build context as base.json.
 * The Debian mirror is deliberately absent: it is read from the building machine's apt sources at build
 * time, so no mirror host is ever written into the repository or the synth output.
 */
export type BaseRecipe = MmdebstrapRecipe | ImageRecipe;
