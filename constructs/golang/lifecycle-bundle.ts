import { Construct } from 'constructs';
import { GoCrossCompiledPackage, type GoCrossCompiledPackageProps } from './go-cross-compiled-package';
import type { GoTarget } from './go-target';

export const BUILDPACK_LIFECYCLE_MODULE = 'code.cloudfoundry.org/buildpackapplifecycle';
export const BUNDLE_FILE = 'buildpack_app_lifecycle.tgz';

export interface LifecycleBundleProps {
  /** BOSH package name, e.g. buildpack_app_lifecycle_armhf. */
  readonly name: string;
  readonly target: GoTarget;
  readonly artifactDir: string;
  /** The package that installs `healthcheck` for the same target. */
  readonly healthcheckPackage: string;
  /** The package that installs `diego-sshd` for the same target. */
  readonly sshdPackage: string;
  /**
   * The Linux Go BOSH package, as named in the release.
   * @default DEFAULT_GOLANG_PACKAGE ('golang-1.23-linux'), via GoCrossCompiledPackage
   */
  readonly golangPackage?: string;
  /**
   * Directory under src/ holding go.mod and vendor/.
   * @default DEFAULT_MODULE_DIR ('code.cloudfoundry.org'), via GoCrossCompiledPackage
   */
  readonly moduleDir?: string;
}

/**
 * The buildpack app lifecycle for one target: builder, launcher and shell built from
 * buildpackapplifecycle, plus healthcheck and diego-sshd from their packages, in one normalized
 * buildpack_app_lifecycle.tgz — what the file server hands to cells as the lifecycle bundle.
 */
export class LifecycleBundle extends Construct {
  readonly package: GoCrossCompiledPackage;
  /** Path of the bundle inside the package's install dir (and in the file server's URL). */
  readonly bundleFile = BUNDLE_FILE;

  constructor(scope: Construct, id: string, props: LifecycleBundleProps) {
    super(scope, id);
    const pkg: GoCrossCompiledPackageProps = {
      name: props.name,
      target: props.target,
      artifactDir: props.artifactDir,
      golangPackage: props.golangPackage,
      moduleDir: props.moduleDir,
      sourceModules: [BUILDPACK_LIFECYCLE_MODULE],
      binaries: [
        { name: 'builder', importPath: `${BUILDPACK_LIFECYCLE_MODULE}/builder` },
        { name: 'launcher', importPath: `${BUILDPACK_LIFECYCLE_MODULE}/launcher` },
        { name: 'shell', importPath: `${BUILDPACK_LIFECYCLE_MODULE}/shell/shell` },
      ],
      dependencies: [props.healthcheckPackage, props.sshdPackage],
      bundle: {
        file: BUNDLE_FILE,
        include: [
          { fromPackage: props.healthcheckPackage, binary: 'healthcheck' },
          { fromPackage: props.sshdPackage, binary: 'diego-sshd' },
        ],
      },
    };
    this.package = new GoCrossCompiledPackage(this, 'Package', pkg);
  }
}
