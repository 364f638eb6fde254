import { Construct } from 'constructs';
import { ArtifactStore } from '../plan/artifacts';
import { PlanStep } from '../plan/plan-step';
import { DEFAULT_GOLANG_PACKAGE, DEFAULT_MODULE_DIR, type GoCrossCompiledPackage } from './go-cross-compiled-package';
import { describeTarget } from './go-target';

export interface CrossCompileStepProps {
  /** Packages in dependency order (a package's dependencies come before it); all share one artifact dir. */
  readonly packages: readonly GoCrossCompiledPackage[];
  /** Modules laid in-tree under src/ (their own go.mod removed), module path -> exact version. */
  readonly inTree: Readonly<Record<string, string>>;
  /** Further pinned requirements of the release module (module path -> version). */
  readonly requires?: Readonly<Record<string, string>>;
  /** Pins the lab lacks: the step refuses to run and names them, while the synth still succeeds. */
  readonly missingPins?: { readonly lockFile: string; readonly modules: readonly string[] };
  /** The package whose install dir holds the bundle file, when there is one. */
  readonly bundle?: { readonly package: GoCrossCompiledPackage; readonly file: string };
  /** Artifact path of the build plan JSON. */
  readonly planFile: string;
  /** `go` directive of the release module. */
  readonly goLine?: string;
  /** Extra trigger parameters (e.g. the Go toolchain pin). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * The plan step that builds a set of GoCrossCompiledPackages the way BOSH compile VMs would
 * (pipelines/cross-compile.mjs), from a build plan artifact that carries the module pins, so a changed
 * pin, spec or packaging script re-runs it and nothing else does.
 */
export class CrossCompileStep extends Construct {
  readonly step: PlanStep;
  readonly packagesArtifactDir: string;

  constructor(scope: Construct, id: string, props: CrossCompileStepProps) {
    super(scope, id);
    const dirs = [...new Set(props.packages.map((p) => p.props.artifactDir))];
    if (dirs.length !== 1) throw new Error(`${this.node.path}: packages must share one artifactDir, found ${dirs.join(', ') || 'none'}`);
    const moduleDirs = [...new Set(props.packages.map((p) => p.props.moduleDir ?? DEFAULT_MODULE_DIR))];
    if (moduleDirs.length !== 1) throw new Error(`${this.node.path}: packages must share one moduleDir, found ${moduleDirs.join(', ')}`);
    const seen = new Set<string>();
    for (const p of props.packages) {
      const unmet = p.spec.dependencies.slice(1).filter((d) => !seen.has(d));
      if (unmet.length) throw new Error(`${this.node.path}: package ${p.packageName} depends on ${unmet.join(', ')}, which must come before it`);
      seen.add(p.packageName);
    }
    this.packagesArtifactDir = dirs[0];
    const plan = {
      golangPackage: props.packages[0].spec.dependencies[0] ?? DEFAULT_GOLANG_PACKAGE,
      moduleDir: moduleDirs[0],
      go: props.goLine ?? '1.23',
      inTree: sorted(props.inTree),
      requires: sorted(props.requires ?? {}),
      ...(props.missingPins && props.missingPins.modules.length ? { missingPins: { lockFile: props.missingPins.lockFile, modules: [...props.missingPins.modules].sort() } } : {}),
      packages: props.packages.map((p) => p.planEntry()),
      ...(props.bundle ? { bundle: { package: props.bundle.package.packageName, file: props.bundle.file } } : {}),
    };
    ArtifactStore.of(this).add(props.planFile, `${JSON.stringify(plan, null, 2)}\n`);
    this.step = new PlanStep(this, 'Step', {
      script: 'cross-compile',
      description: `cross-compile ${props.packages.map((p) => p.packageName).join(', ')} for ${describeTarget(props.packages[0].target)}`,
      args: { packages: this.packagesArtifactDir, plan: props.planFile },
      inputs: [this.packagesArtifactDir, props.planFile],
      parameters: props.parameters ?? {},
      needs: ['go'],
    });
  }
}

function sorted(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
