/**
 * Front door of the rootfs module: the ARM stack's Docker image and its BOSH release. See README.md.
 * (image-files.ts is internal: it reads the image's static files.)
 */
export * from './base-recipe';
export * from './image-context';
export * from './locales';
export * from './package-pins';
export * from './release-files';
export * from './rootfs-image';
export * from './rootfs-release';
