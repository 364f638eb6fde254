/**
 * A release a Pi cell runs beside the rep (bpm, the loggregator agent, BOSH DNS, garden-runc), built
 * from its pinned upstream tree as an overlay, never a fork: only the jobs the cells use, the ARM fixes
 * as patches, and the packages whose upstream packaging cannot build for ARM replaced by a declared,
 * pinned means. The source release it makes is then compiled for each cell stemcell
 * (constructs/bosh/compiled-release-step.ts), like the cell Diego variant.
 *
 * Version: upstream's exactly when nothing but the job selection changes (the packages are upstream's
 * own, fingerprint for fingerprint, so a director holds the ARM compiled packages beside the x86 ones);
 * `<version>+arm.<hash>` as soon as a patch or a replaced package makes them differ.
 */
import { Construct } from 'constructs';
import { InputError } from '../../lab/errors';
import type { Arch } from '../../lab/model';
import { createReleaseStep, type UpstreamTreeSource } from '../bosh/release-step';
import { createHash } from 'node:crypto';
import { type AddBlob, type OverlayEdit, type OverlayUpstream, renderOverlay, type ReleaseOverlay } from '../diego/overlay';
import { ArtifactStore } from '../plan/artifacts';
import type { PlanStep } from '../plan/plan-step';
import type { RecipeBlob, RuntimeReleaseRecipe } from './recipe';
import { recipeFile } from './recipe-files';

export interface RuntimeReleaseProps {
  readonly recipe: RuntimeReleaseRecipe;
  /** The upstream tree (tag, commit, tarball sha256 from lab.lock.json). */
  readonly upstream: OverlayUpstream;
  readonly upstreamTree: UpstreamTreeSource;
  readonly arch: Arch;
  /** Each upstream-kind blob's pinned source tarball, by lock key. */
  readonly blobPins: Readonly<Record<string, { readonly file: string; readonly sha256: string }>>;
}

export class RuntimeRelease extends Construct {
  readonly name: string;
  readonly version: string;
  /** Upstream's version (no `v`), e.g. 1.4.3: what the control plane's version is compared with. */
  readonly upstreamVersion: string;
  readonly arch: Arch;
  readonly overlay: ReleaseOverlay;
  readonly step: PlanStep;

  constructor(scope: Construct, id: string, props: RuntimeReleaseProps) {
    super(scope, id);
    const { recipe, arch } = props;
    const store = ArtifactStore.of(this);
    const base = `runtime/${recipe.name}`;
    const patchEdits: OverlayEdit[] = (recipe.patches ?? []).map((p) => ({
      op: 'apply-patch',
      patch: store.add(`${base}/patches/${p.file}`, recipeFile(recipe.dir, `patches/${p.file}`)),
      upstreamRef: p.upstreamRef,
      why: p.why,
    }));
    const replaceEdits: OverlayEdit[] = (recipe.replacements ?? []).map((r) => ({
      op: 'replace-package',
      package: r.package,
      packaging: store.add(`${base}/packaging/${r.package}`, recipeFile(recipe.dir, `packaging/${r.package}`)),
      files: r.files ? [...new Set(r.files.map((f) => f.split('<arch>').join(arch)))] : null,
      dependencies: r.dependencies ? [...r.dependencies] : null,
      substitution: r.substitution,
    }));
    const blobEdits: AddBlob[] = (recipe.replacements ?? []).flatMap((r) => r.blobs.map((b) => blobEdit(b, arch, props.blobPins, recipe)));
    // keep-jobs last: a replaced package's new dependencies decide which build tools drop out.
    const edits: OverlayEdit[] = [...patchEdits, ...replaceEdits, { op: 'keep-jobs', jobs: [...recipe.jobs] }, ...blobEdits];
    const inputs = [...patchEdits, ...replaceEdits].map((e) => (e.op === 'apply-patch' ? e.patch : e.op === 'replace-package' ? e.packaging : ''));

    this.name = recipe.name;
    this.arch = arch;
    this.upstreamVersion = props.upstream.version.replace(/^v/, '');
    const changed = patchEdits.length + replaceEdits.length > 0;
    // From the recipe, not this arch's edits: a mixed lab's armhf and arm64 cells deploy one version.
    this.version = changed ? armVersion(this.upstreamVersion, recipe, store.digest(inputs)) : this.upstreamVersion;
    this.overlay = { format: 1, variant: `runtime-${arch}`, upstream: props.upstream, release: { name: this.name, version: this.version }, edits };
    const overlayPath = store.add(`${base}/${arch}/overlay.json`, renderOverlay(this.overlay));
    this.step = createReleaseStep(this, 'create', {
      description: `bosh create-release ${this.name}/${this.version} (${recipe.jobs.join(', ')} of ${props.upstream.release} ${props.upstream.version} for ${arch}${changed ? `: ${patchEdits.length} patch(es), ${replaceEdits.length} package(s) built for ARM otherwise` : ', upstream packaging'})`,
      source: { kind: 'overlay', overlay: overlayPath, upstream: props.upstreamTree },
      name: this.name,
      version: this.version,
      inputs: [overlayPath, ...inputs],
      providesKey: `runtime-release/${this.name}/${arch}`,
    });
  }
}

/** `<upstream version>+arm.<12 hex>` of the recipe and the bytes of its patches and packaging scripts (as overlayReleaseVersion). */
function armVersion(upstreamVersion: string, recipe: RuntimeReleaseRecipe, inputsDigest: string): string {
  const hash = createHash('sha256').update(JSON.stringify(recipe)).update('\0').update(upstreamVersion).update('\0').update(inputsDigest).digest('hex');
  return `${upstreamVersion}+arm.${hash.slice(0, 12)}`;
}

function blobEdit(b: RecipeBlob, arch: Arch, pins: RuntimeReleaseProps['blobPins'], recipe: RuntimeReleaseRecipe): AddBlob {
  if (b.kind === 'upstream') {
    const pin = pins[b.lockKey];
    if (!pin) throw new Error(`${recipe.name}: no pin for blob ${b.path} (lab.lock.json upstream.${b.lockKey}); the part resolving pins must refuse this first`);
    return { op: 'add-blob', path: b.path, source: { kind: 'upstream', file: pin.file, sha256: pin.sha256 } };
  }
  if (b.kind === 'debian-source') {
    return { op: 'add-blob', path: b.path, source: { kind: 'debian-source', package: b.package, version: b.version, poolPath: b.poolPath, sha256: b.sha256 } };
  }
  const sha256 = b.sha256[arch];
  if (!sha256) {
    throw InputError.at({ file: `constructs/runtime/recipes.ts`, path: `${recipe.name}.replacements[].blobs[path=${b.path}].sha256`, found: `pins for ${Object.keys(b.sha256).join(', ')} only`, expected: `a sha256 of Debian ${b.package} ${b.version} for ${arch}, the arch of cells that run ${recipe.name}`, fix: `apt-get download ${b.package}:${arch}=${b.version}, then add its sha256` });
  }
  return { op: 'add-blob', path: b.path.split('<arch>').join(arch), source: { kind: 'debian', package: b.package, version: b.version, arch, sha256 } };
}
