/**
 * Front door of the Diego module: the cell and control-plane release variants as overlays on the pinned
 * diego-release. See README.md. (prebuilt-package.ts is internal to the control-plane variant.)
 */
export * from './cell-variant';
export * from './control-plane-variant';
export * from './go-packaging';
export * from './overlay';
export * from './cell-patches';
