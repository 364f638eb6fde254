import { Construct } from 'constructs';
import { ArtifactStore } from '../plan/artifacts';
import { ROOT_TOKEN } from '../plan/plan-graph';
import type { CrossCompilePlan } from '../../contracts/go-build-plan';
import { PlanStep } from '../plan/plan-step';
import { DEFAULT_GOLANG_PACKAGE, DEFAULT_MODULE_DIR, type GoCrossCompiledPackage } from './go-cross-compiled-package';
import { describeTarget } from './go-target';
import { GoPackageError } from './errors';
import type { SourcePin } from '../../contracts/go-build-plan';
export type { SourcePin };

export interface CrossCompileStepProps {
  /** Packages in dependency order (a package's dependencies come before it or from `after`); all share one artifact dir. */
  readonly packages: readonly GoCrossCompiledPackage[];
  /** The release tree every source comes from. */
  readonly upstream: SourcePin;
  /**
   * Where the step looks for `<release>-<version>-src.tgz` or a `<release>-<version>/` tree, relative to
   * the project root (STACK_ELEVATOR_UPSTREAM at synth); without one, or when neither is there, it clones the tag.
   * @default undefined (no `--upstream-dir`: the step clones the pinned tag)
   */
  readonly upstreamDir?: string;
  /**
   * Earlier steps whose packages this step's packages depend on. On a compile VM BOSH mounts a
   * dependency's compiled package under /var/vcap/packages; here that is the earlier step's install
   * dir, so a package that can be built is built (and checked) even when a later one cannot.
   * @default [] (every dependency beyond the Go package is among `packages`)
   */
  readonly after?: readonly CrossCompileStep[];
  /**
   * The package whose install dir holds the bundle file, when there is one.
   * @default undefined (the build plan names no bundle)
   */
  readonly bundle?: { readonly package: GoCrossCompiledPackage; readonly file: string };
  /** Artifact path of the build plan JSON. */
  readonly planFile: string;
  /**
   * Cell arch name recorded in the plan and manifest, e.g. armhf.
   * @default undefined (the build plan has no `arch`)
   */
  readonly arch?: string;
  /**
   * Listed in plan.json for other tools (PlanStepProps.provides).
   * @default undefined (the step provides nothing)
   */
  readonly provides?: Readonly<Record<string, string>>;
  /**
   * Extra trigger parameters (e.g. the Go toolchain pin).
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * The plan step that builds a set of GoCrossCompiledPackages the way BOSH compile VMs would
 * (pipelines/cross-compile.mjs) from the pinned release tree, with a build plan artifact that carries the
 * pin, so a changed pin, spec or packaging script re-runs it (and the steps after it) and nothing else does.
 */
export class CrossCompileStep extends Construct {
  readonly step: PlanStep;
  readonly packagesArtifactDir: string;
  /** BOSH package names this step builds, in build order. */
  readonly packageNames: readonly string[];

  constructor(scope: Construct, id: string, props: CrossCompileStepProps) {
    super(scope, id);
    if (props.packages.length === 0) throw new GoPackageError(this.node.path, 'packages', 'an empty list', 'at least one package');
    const dirs = [...new Set(props.packages.map((p) => p.props.artifactDir))];
    if (dirs.length !== 1) throw new GoPackageError(this.node.path, 'packages[].artifactDir', dirs.join(', '), 'one artifactDir shared by every package', 'build packages with other artifact dirs in steps of their own');
    const moduleDirs = [...new Set(props.packages.map((p) => p.props.moduleDir ?? DEFAULT_MODULE_DIR))];
    if (moduleDirs.length !== 1) throw new GoPackageError(this.node.path, 'packages[].moduleDir', moduleDirs.join(', '), 'one moduleDir shared by every package', 'build packages from other modules in steps of their own');
    const after = props.after ?? [];
    const fromStep = new Map<string, CrossCompileStep>();
    for (const s of after) for (const n of s.packageNames) fromStep.set(n, s);
    const seen = new Set<string>();
    const used = new Map<CrossCompileStep, Set<string>>();
    for (const p of props.packages) {
      const unmet = p.spec.dependencies.slice(1).filter((d) => !seen.has(d) && !fromStep.has(d));
      if (unmet.length) {
        throw new GoPackageError(this.node.path, `packages[${p.packageName}].dependencies`, unmet.join(', '), 'packages built earlier in this step or by a step in `after`', `list ${unmet.join(', ')} before ${p.packageName}, or add the step that builds it to \`after\``);
      }
      for (const d of p.spec.dependencies.slice(1).filter((x) => !seen.has(x))) {
        const s = fromStep.get(d) as CrossCompileStep;
        used.set(s, (used.get(s) ?? new Set<string>()).add(d));
      }
      seen.add(p.packageName);
    }
    this.packagesArtifactDir = dirs[0];
    this.packageNames = props.packages.map((p) => p.packageName);
    const plan: CrossCompilePlan = {
      arch: props.arch,
      golangPackage: props.packages[0].spec.dependencies[0] ?? DEFAULT_GOLANG_PACKAGE,
      moduleDir: moduleDirs[0],
      // Only the submodule commits this step's packages build from: another submodule's pin is not its input.
      upstream: sortKeys({ ...props.upstream, submodules: pick(props.upstream.submodules, props.packages.flatMap((p) => p.planEntry().submodules)) }),
      // Output dirs are content-addressed by the earlier steps' triggers, so they are stable across synths.
      ...(used.size > 0
        ? { fromSteps: [...used].map(([s, names]) => ({ step: s.step.stepId, out: s.step.outDir, packages: [...names].sort() })).sort((a, b) => (a.step < b.step ? -1 : 1)) }
        : {}),
      packages: props.packages.map((p) => p.planEntry()),
      ...(props.bundle ? { bundle: { package: props.bundle.package.packageName, file: props.bundle.file } } : {}),
    };
    ArtifactStore.of(this).add(props.planFile, `${JSON.stringify(plan, null, 2)}\n`);
    this.step = new PlanStep(this, 'compile', {
      script: 'cross-compile',
      description: `cross-compile ${this.packageNames.join(', ')} for ${describeTarget(props.packages[0].target)}`,
      args: { packages: this.packagesArtifactDir, plan: props.planFile, ...(props.upstreamDir !== undefined ? { 'upstream-dir': `${ROOT_TOKEN}/${props.upstreamDir}` } : {}) },
      // the plan file pins the tree (tag, commit, tarball sha256, submodules); where it lies is no input
      locationArgs: ['upstream-dir'],
      // Only this step's own package dirs: editing another package's spec must not re-run this build.
      inputs: [...props.packages.map((p) => p.packageDir), props.planFile],
      parameters: props.parameters ?? {},
      dependsOn: [...used.keys()].map((s) => s.step),
      needs: ['go'],
      ...(props.provides ? { provides: props.provides } : {}),
    });
  }
}

function pick(all: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> | undefined {
  if (all === undefined) return undefined;
  return Object.fromEntries(keys.filter((k) => all[k] !== undefined).map((k) => [k, all[k]]));
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, v !== null && typeof v === 'object' && !Array.isArray(v) ? sortKeys(v as object) : v]),
  ) as T;
}
