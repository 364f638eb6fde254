import { Construct } from 'constructs';
import { ArtifactStore } from '../plan/artifacts';
import { renderPackageSpec, type BoshPackageSpec } from './bosh-package-spec';
import { GoPackageError } from './errors';
import { validateBinaries, type GoBinary } from './go-binary';
import { checkTarget, elfOf, type GoTarget } from './go-target';
import { renderPackagingScript, type Bundle } from './packaging-script';
import type { CompilePlanEntry } from '../../contracts/go-build-plan';
export type { CompilePlanEntry };

export const DEFAULT_GOLANG_PACKAGE = 'golang-1.23-linux';
export const DEFAULT_MODULE_DIR = 'code.cloudfoundry.org';

export interface GoCrossCompiledPackageProps {
  /** BOSH package name, e.g. healthcheck_armhf. */
  readonly name: string;
  readonly target: GoTarget;
  readonly binaries: readonly GoBinary[];
  /**
   * The release tree's submodules the binaries' sources come from, as import paths: they sit at
   * src/<module path> (part of the one module in <moduleDir>); everything else they import is in vendor/.
   */
  readonly sourceModules: readonly string[];
  /** Artifact directory the package dir is written under: `<artifactDir>/<name>/{spec,packaging}`. */
  readonly artifactDir: string;
  /**
   * The Linux Go BOSH package (a compile-time dependency), as named in the release.
   * @default DEFAULT_GOLANG_PACKAGE ('golang-1.23-linux', diego-release's)
   */
  readonly golangPackage?: string;
  /**
   * Directory under src/ holding go.mod and vendor/ (the single Go module of the release).
   * @default DEFAULT_MODULE_DIR ('code.cloudfoundry.org')
   */
  readonly moduleDir?: string;
  /**
   * Other BOSH packages needed at compile time (their install dirs are read by the packaging script).
   * @default [] (only the Go package)
   */
  readonly dependencies?: readonly string[];
  /**
   * Extra spec file globs, relative to src/.
   * @default []
   */
  readonly extraFiles?: readonly string[];
  /**
   * Tar the binaries (and some from dependencies) into one normalized file instead of installing them loose.
   * @default undefined (the binaries are installed loose)
   */
  readonly bundle?: Bundle;
}

/**
 * A BOSH package that cross-compiles Go binaries for a typed target: its spec (golang dependency, file
 * globs relative to src/) and packaging script are generated and added to the stack's artifacts.
 * Invalid targets and binaries fail here, at synth, with the prop path that is wrong.
 */
export class GoCrossCompiledPackage extends Construct {
  readonly packageName: string;
  readonly target: GoTarget;
  readonly spec: BoshPackageSpec;
  readonly specText: string;
  readonly packagingText: string;
  /** Artifact path of the package directory (holds spec and packaging). */
  readonly packageDir: string;
  readonly props: GoCrossCompiledPackageProps;

  constructor(scope: Construct, id: string, props: GoCrossCompiledPackageProps) {
    super(scope, id);
    this.props = props;
    const where = `GoCrossCompiledPackage ${props.name || this.node.path}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(props.name)) {
      throw new GoPackageError(where, 'name', JSON.stringify(props.name), 'a BOSH package name (letters, digits, ".", "_", "-")');
    }
    this.packageName = props.name;
    this.target = checkTarget(where, props.target);
    const moduleDir = props.moduleDir ?? DEFAULT_MODULE_DIR;
    props.sourceModules.forEach((m, i) => {
      if (!m.startsWith(`${moduleDir}/`)) {
        throw new GoPackageError(where, `sourceModules[${i}]`, JSON.stringify(m), `a module path under ${moduleDir}/ (it is laid in-tree at src/${moduleDir}/...)`);
      }
    });
    validateBinaries(where, props.binaries, props.sourceModules);
    const golang = props.golangPackage ?? DEFAULT_GOLANG_PACKAGE;
    const bundled = props.bundle?.include.map((i) => i.fromPackage) ?? [];
    const missing = bundled.filter((p) => !(props.dependencies ?? []).includes(p));
    if (missing.length > 0) {
      throw new GoPackageError(where, 'bundle.include', missing.join(', '), 'packages that are also listed in dependencies (BOSH only mounts dependencies)');
    }

    this.spec = {
      name: props.name,
      dependencies: [golang, ...(props.dependencies ?? [])],
      files: [
        `${moduleDir}/go.mod`,
        `${moduleDir}/go.sum`,
        `${moduleDir}/vendor/modules.txt`,
        `${moduleDir}/vendor/**/*`,
        ...[...props.sourceModules].sort().map((m) => `${m}/**/*.go`),
        ...(props.extraFiles ?? []),
      ],
    };
    this.specText = renderPackageSpec(this.spec);
    this.packagingText = renderPackagingScript({
      packageName: props.name,
      golangPackage: golang,
      moduleDir,
      target: this.target,
      binaries: props.binaries,
      bundle: props.bundle,
    });
    const store = ArtifactStore.of(this);
    this.packageDir = `${props.artifactDir}/${props.name}`;
    store.add(`${this.packageDir}/spec`, this.specText);
    store.add(`${this.packageDir}/packaging`, this.packagingText, 0o755);
  }

  planEntry(): CompilePlanEntry {
    return {
      name: this.packageName,
      dependencies: this.spec.dependencies.slice(1),
      binaries: this.props.binaries,
      target: { goos: this.target.goos, goarch: this.target.goarch, ...(this.target.goarm !== undefined ? { goarm: this.target.goarm } : {}) },
      elf: elfOf(this.target),
      ...(this.props.bundle ? { bundle: this.props.bundle } : {}),
      submodules: [...this.props.sourceModules].sort().map((m) => m.slice((this.props.moduleDir ?? DEFAULT_MODULE_DIR).length + 1)),
    };
  }
}
