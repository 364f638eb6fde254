import { Construct } from 'constructs';
import { ROOT_TOKEN } from '../plan/plan-graph';
import { PlanStep } from '../plan/plan-step';

/**
 * Where an overlay's upstream release tree comes from at step time (pipelines/lib/upstream/upstream-tree.mjs).
 * `dir` paths are relative to the project root, so synth output holds no absolute path.
 */
export type UpstreamTreeSource =
  /** Clone the overlay's upstream repo at its pinned tag into build/upstream/ (a real lab). */
  | { readonly kind: 'git' }
  /**
   * The pinned source tree: `<upstreamDir>/<release>-<version>-src.tgz` (sha256 from the lock) or a
   * `<release>-<version>/` tree with sources, else a clone of the tag (pipelines/lib/upstream/upstream-source.mjs).
   */
  | { readonly kind: 'pinned'; readonly upstreamDir: string }
  /** An existing release checkout. */
  | { readonly kind: 'dir'; readonly dir: string }
  /** A spec-only fixture; the step materializes a test tree from it (synth-level tests that ask for it). */
  | { readonly kind: 'fixture'; readonly dir: string };

export type ReleaseSource =
  | {
      readonly kind: 'overlay';
      /** Artifact path of overlay.json. */
      readonly overlay: string;
      readonly upstream: UpstreamTreeSource;
    }
  | {
      readonly kind: 'release-dir';
      /** A release dir among the artifacts, or one a previous step left under the project root. */
      readonly dir: { readonly artifact: string } | { readonly projectPath: string };
    };

export interface CreateReleaseStepProps {
  readonly description: string;
  readonly source: ReleaseSource;
  readonly name: string;
  readonly version: string;
  /** Artifact paths the release is made of (overlay, added package dirs...): their bytes feed the trigger. */
  readonly inputs: readonly string[];
  /**
   * Files (relative to the project root, made by earlier steps) added as blobs with `bosh add-blob`.
   * @default [] (no `--blob`)
   */
  readonly blobs?: ReadonlyArray<{ readonly file: string; readonly blobPath: string }>;
  /**
   * Steps whose output the release consumes (trigger edges, as PlanStepProps.dependsOn).
   * @default []
   */
  readonly dependsOn?: readonly PlanStep[];
  /**
   * Key under which plan.json lists the release tarball for other tools, e.g. `diego-cell-release/armhf`.
   * @default undefined (the tarball is not listed)
   */
  readonly providesKey?: string;
}

/**
 * A plan step running pipelines/create-release.mjs: `bosh create-release --force --tarball` into the
 * step's out dir, which then holds `<name>-<version>.tgz` and release.json (sha256, fingerprints).
 */
export function createReleaseStep(scope: Construct, id: string, props: CreateReleaseStepProps): PlanStep {
  const root = ROOT_TOKEN;
  const args: Record<string, string> = { name: props.name, version: props.version };
  const source = props.source;
  if (source.kind === 'overlay') {
    args.overlay = `artifacts/${source.overlay}`;
    if (source.upstream.kind === 'dir') args.upstream = `${root}/${source.upstream.dir}`;
    if (source.upstream.kind === 'fixture') args['upstream-fixture'] = `${root}/${source.upstream.dir}`;
    if (source.upstream.kind === 'pinned') args['upstream-dir'] = `${root}/${source.upstream.upstreamDir}`;
  } else {
    args['release-dir'] = 'artifact' in source.dir ? `artifacts/${source.dir.artifact}` : `${root}/${source.dir.projectPath}`;
  }
  if (props.blobs && props.blobs.length > 0) args.blob = props.blobs.map((b) => `${root}/${b.file}:${b.blobPath}`).join(',');
  return new PlanStep(scope, id, {
    script: 'create-release',
    description: props.description,
    args,
    // the overlay pins the tree (tag, commit, tarball sha256); where it lies is no input
    locationArgs: ['upstream-dir'],
    inputs: props.inputs,
    dependsOn: props.dependsOn,
    needs: ['bosh'],
    ...(props.providesKey ? { provides: { [props.providesKey]: `${props.name}-${props.version}.tgz` } } : {}),
  });
}

/** Where a create-release step leaves its tarball, relative to the project root. */
export function releaseTarballPath(step: PlanStep, name: string, version: string): string {
  return `${step.outDir}/${name}-${version}.tgz`;
}
