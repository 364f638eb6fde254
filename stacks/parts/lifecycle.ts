import type { Arch } from '../../lab/model';
import type { PlanStep } from '../../constructs/plan/plan-step';
import type { LabContext } from '../context';

/** Per cell arch: the cross-compiled ARM packages. (Owned by the cross-compile work, issue 4.) */
export interface LifecyclePart {
  readonly arch: Arch;
  /** BOSH package names, e.g. buildpack_app_lifecycle_armhf, healthcheck_armhf, diego-sshd_armhf. */
  readonly packages: readonly string[];
  /** The package holding buildpack_app_lifecycle.tgz. */
  readonly bundlePackage: string;
  /** Artifact directory holding one BOSH package dir per package (spec + packaging). */
  readonly packagesArtifactDir: string;
  /** Step that cross-compiles the packages like a compile VM and leaves the bundle in its out dir. */
  readonly compileStep: PlanStep;
}

export function addLifecycle(_ctx: LabContext): ReadonlyMap<Arch, LifecyclePart> {
  return new Map();
}
