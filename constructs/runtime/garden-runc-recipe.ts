import { InputError } from '../../lab/errors';
import type { PackageReplacement, RecipeBlob, RuntimeReleaseRecipe } from './recipe';
import { recipeFile } from './recipe-files';

/** constructs/runtime/garden-runc/index.json: the ARM fixes and substitutions, with their reasons. */
interface GardenIndex {
  readonly patches: ReadonlyArray<{ readonly file: string; readonly upstream: string; readonly why: string }>;
  readonly substitutions: ReadonlyArray<{ readonly package: string; readonly upstream: string; readonly arm: string; readonly why: string; readonly dependencies?: readonly string[] }>;
  readonly packaging: Readonly<Record<string, { readonly packages?: readonly string[]; readonly what_upstream_uses?: string; readonly what_arm_uses?: string; readonly why?: string }>>;
}

/** constructs/runtime/garden-runc/debs.json: each Debian package (or source file) used instead of a blob. */
interface DebsIndex {
  readonly debs: ReadonlyArray<{ readonly package: string; readonly version: string; readonly arch: string; readonly sha256: string; readonly filename: string; readonly pool_path: string; readonly bosh_package: string }>;
}

const DIR = 'garden-runc';
const json = <T>(rel: string): T => JSON.parse(recipeFile(DIR, rel)) as T;

/**
 * garden-runc: guardian, garden, grootfs, idmapper and dontpanic from the pinned tree with the ARM fixes
 * as patches; every package whose upstream packaging cannot build for ARM (C from blobs with the host
 * gcc, `go install` with GOBIN, x86 binaries) replaced, its blobs by pinned Debian packages. The data
 * (and each reason) lives in constructs/runtime/garden-runc/: index.json, debs.json, specs/, patches/,
 * packaging/ (see its README).
 */
export function gardenRuncRecipe(): RuntimeReleaseRecipe {
  const index = json<GardenIndex>('index.json');
  const debs = json<DebsIndex>('debs.json').debs;
  const grouped = Object.values(index.packaging).filter((g) => g.packages);
  const substitutionOf = (pkg: string) => {
    const own = index.substitutions.find((x) => x.package === pkg);
    if (own) return { sub: { upstream: own.upstream, arm: own.arm, why: own.why }, dependencies: own.dependencies };
    const group = grouped.find((g) => g.packages?.includes(pkg));
    if (!group) throw InputError.at({ file: 'constructs/runtime/garden-runc/index.json', path: 'substitutions', found: `no entry for package ${pkg}`, expected: 'what upstream uses, what ARM uses instead and why, for every replaced package' });
    return { sub: { upstream: group.what_upstream_uses ?? '', arm: group.what_arm_uses ?? '', why: group.why ?? '' }, dependencies: undefined };
  };
  const replaced = [...new Set([...index.substitutions.map((x) => x.package), ...grouped.flatMap((g) => g.packages ?? [])])].sort();
  const replacements: PackageReplacement[] = replaced.map((pkg) => {
    const { sub, dependencies } = substitutionOf(pkg);
    const mine = debs.filter((d) => d.bosh_package === pkg);
    const files = mine.length > 0 ? [...new Set(mine.map((d) => blobPath(d)))] : undefined;
    return { package: pkg, ...(files ? { files } : {}), ...(dependencies ? { dependencies } : {}), blobs: blobsOf(mine), substitution: sub };
  });
  return {
    name: 'garden-runc',
    upstreamRelease: 'garden-runc-release',
    repo: 'https://github.com/cloudfoundry/garden-runc-release',
    jobs: ['garden'],
    dir: DIR,
    patches: index.patches.map((p) => ({ file: p.file.replace(/^patches\//, ''), upstreamRef: p.upstream, why: p.why })),
    replacements,
  };
}

/** `debian/<filename>`, the arch in a binary package's name standing as `<arch>`. */
function blobPath(d: DebsIndex['debs'][number]): string {
  return d.arch === 'source' ? `debian/${d.filename}` : `debian/${d.filename.replace(new RegExp(`_${d.arch}\\.deb$`), '_<arch>.deb')}`;
}

/** One blob per Debian package (its sha256 per arch) or source file. */
function blobsOf(entries: DebsIndex['debs']): RecipeBlob[] {
  const byPath = new Map<string, RecipeBlob>();
  for (const d of entries) {
    const path = blobPath(d);
    if (d.arch === 'source') {
      byPath.set(path, { kind: 'debian-source', path, package: d.package, version: d.version, poolPath: d.pool_path, sha256: d.sha256 });
      continue;
    }
    const prev = byPath.get(path);
    const sha256 = { ...(prev && prev.kind === 'debian' ? prev.sha256 : {}), [d.arch]: d.sha256 };
    byPath.set(path, { kind: 'debian', path, package: d.package, version: d.version, sha256 });
  }
  return [...byPath.values()];
}
