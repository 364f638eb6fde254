/**
 * Front door of the BOSH module: manifests, go-patch ops-files, the release and director plan steps.
 * See README.md. Files inside constructs/ import each other by path; code outside imports from here.
 */
export * from './compiled-release-step';
export * from './deployment-summary';
export * from './director-steps';
export * from './go-patch';
export * from './manifest';
export * from './ops-file';
export * from './release-step';
export * from './secrets';
export * from './variables';
export * from './yaml';
