/**
 * Front door of the Cloud Foundry module: the ops-files that wire ARM stacks into cf-deployment, the Pi
 * cells deployment, placement and the consistency check. See README.md.
 */
export * from './buildpack-release';
export * from './buildpack-release-files';
export * from './cell-deployment';
export * from './cell-dns';
export * from './cell-groups';
export * from './cf-deployment-profile';
export * from './consistency';
export * from './control-plane';
export * from './control-plane-placement';
export * from './diego-swap';
export * from './install-buildpacks';
export * from './manifest-scan';
export * from './placement';
export * from './profiles';
export * from './stack-wiring';
