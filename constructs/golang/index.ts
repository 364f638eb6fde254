/**
 * Front door of the Go module: BOSH packages that cross-compile Go for an ARM target, the lifecycle
 * bundle, and the plan step that builds them. See README.md.
 */
export * from './bosh-package-spec';
export type { CompilePlanStepInput, CrossCompilePlan } from '../../contracts/go-build-plan';
export * from './cross-compile-step';
export * from './errors';
export * from './go-binary';
export * from './go-cross-compiled-package';
export * from './go-target';
export * from './lifecycle-bundle';
export * from './packaging-script';
export * from './fidelity-gate';
