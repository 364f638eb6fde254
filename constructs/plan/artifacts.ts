import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { InputError } from '../../lab/errors';

/** A file the synth writes under `cdktf.out/stacks/<stack>/artifacts/`. Mode 0o755 marks scripts. */
export interface Artifact {
  readonly content: Buffer;
  readonly mode: 0o644 | 0o755;
}

/**
 * Per-stack, in-memory collection of artifact files. Constructs add files while they are built, so a
 * plan step can hash exactly the bytes it will consume before anything touches the disk; the synth
 * writes them all at the end (stacks/synth.ts), which keeps a failed synth from leaving half a tree.
 */
export class ArtifactStore extends Construct {
  private readonly files = new Map<string, Artifact>();

  static of(scope: IConstruct): ArtifactStore {
    const root = scope.node.scopes.find((s) => s.node.tryFindChild(ARTIFACT_STORE_ID) instanceof ArtifactStore);
    const store = root?.node.tryFindChild(ARTIFACT_STORE_ID);
    if (!(store instanceof ArtifactStore)) {
      throw InputError.ofConstruct(scope.node.path, 'scope', 'no ArtifactStore above it', 'a construct inside a stack that has an ArtifactStore', 'create one with new ArtifactStore(stack) first');
    }
    return store;
  }

  constructor(scope: Construct) {
    super(scope, ARTIFACT_STORE_ID);
  }

  /** Adds a file at a normalized relative path; adding different bytes twice at one path is a bug. */
  add(relPath: string, content: string | Buffer, mode: 0o644 | 0o755 = 0o644): string {
    const norm = normalizeArtifactPath(relPath);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const existing = this.files.get(norm);
    if (existing && (!existing.content.equals(bytes) || existing.mode !== mode)) {
      throw InputError.ofConstruct(this.node.path, norm, 'the path added twice with different content', 'one content per artifact path', 'give each artifact its own path');
    }
    this.files.set(norm, { content: bytes, mode });
    return norm;
  }

  /** Sorted list of files at or under a relative path (a file or a directory prefix). */
  filesUnder(relPath: string): Array<[string, Artifact]> {
    const norm = normalizeArtifactPath(relPath);
    const hits = [...this.files.entries()].filter(([p]) => p === norm || p.startsWith(`${norm}/`));
    if (hits.length === 0) throw InputError.ofConstruct(this.node.path, norm, 'no files', 'an artifact file or directory added before it is read', 'add the artifact before the step that consumes it');
    return hits.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** sha256 over path, mode and bytes of every file under the given paths: a plan step's input digest. */
  digest(relPaths: readonly string[]): string {
    const hash = createHash('sha256');
    const seen = new Set<string>();
    for (const rel of [...relPaths].sort()) {
      for (const [p, a] of this.filesUnder(rel)) {
        if (seen.has(p)) continue;
        seen.add(p);
        hash.update(`${p}\0${a.mode.toString(8)}\0${a.content.length}\0`).update(a.content);
      }
    }
    return hash.digest('hex');
  }

  all(): Array<[string, Artifact]> {
    return [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

const ARTIFACT_STORE_ID = 'Artifacts';

export function normalizeArtifactPath(relPath: string): string {
  const norm = posix.normalize(relPath.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (norm.startsWith('/') || norm === '..' || norm.startsWith('../') || norm === '.' || norm === '') {
    throw InputError.at({ file: 'artifact path', path: relPath, found: `'${relPath}'`, expected: 'a relative path inside artifacts/', fix: "name artifacts relative to the stack's artifacts/ directory" });
  }
  return norm;
}
