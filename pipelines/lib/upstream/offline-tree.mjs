// A release tree from a source tarball holds the sources of what the ARM pipeline builds, not of every
// upstream package: the other submodules are empty, and blobs (golang, envoy, ...) live in a blobstore a
// machine without network does not reach. So that `bosh create-release` can still run on such a tree,
// every package file that is missing gets a placeholder, and the release is marked NOT deployable.
// A full clone with network has every file: nothing is filled in and the release is deployable.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { globToRegExp, walkFiles } from '../go/go-glob.mjs';
import { readYaml } from '../release/overlay-yaml.mjs';
import { placeholderPathFor } from './upstream-fixture.mjs';

/**
 * First half, before our own blobs are added: drops what points at the blobstore (final builds and
 * upstream blob records); a dev release of this tree is built from its own files.
 * @param {string} releaseDir an overlaid release tree (written in place)
 */
export function dropBlobstoreRecords(releaseDir) {
  if (existsSync(join(releaseDir, '.final_builds'))) rmSync(join(releaseDir, '.final_builds'), { recursive: true, force: true });
  writeFileSync(join(releaseDir, 'config', 'blobs.yml'), '--- {}\n');
}

/**
 * Second half, after our own blobs are added (`bosh add-blob` keeps them under blobs/): every package
 * file no longer in the tree gets a placeholder. Returns the sorted list of what was made up
 * ([] = a complete tree).
 * @param {string} releaseDir an overlaid release tree (written in place)
 */
export function fillMissingSources(releaseDir) {
  const filled = [];
  const pkgRoot = join(releaseDir, 'packages');
  const names = existsSync(pkgRoot) ? readdirSync(pkgRoot).filter((n) => statSync(join(pkgRoot, n)).isDirectory()).sort() : [];
  for (const name of names) {
    const dir = join(pkgRoot, name);
    if (!existsSync(join(dir, 'spec')) && existsSync(join(dir, 'spec.lock'))) {
      // A vendored package (golang-*-linux) comes from the blobstore: a stand-in of the same name.
      rmSync(join(dir, 'spec.lock'));
      const source = `stand-ins/${name}/README`;
      writeFileSync(join(dir, 'spec'), `---\nname: ${name}\n\nfiles:\n  - ${source}\n`);
      writeFileSync(join(dir, 'packaging'), 'set -e\nmkdir -p "${BOSH_INSTALL_TARGET}/bosh"\necho "# stand-in (offline tree)" > "${BOSH_INSTALL_TARGET}/bosh/compile.env"\n');
      write(join(releaseDir, 'src', source), `stand-in for the vendored package ${name} (not in this offline tree)\n`);
      filled.push(`package ${name} (vendored)`);
    }
  }
  const files = ['src', 'blobs'].flatMap((d) => (existsSync(join(releaseDir, d)) ? walkFiles(join(releaseDir, d)) : []));
  for (const name of names) {
    const spec = join(pkgRoot, name, 'spec');
    if (!existsSync(spec)) continue;
    for (const glob of readYaml(spec)?.files ?? []) {
      const re = globToRegExp(String(glob).replace(/\s+#.*$/, '').trim());
      if (files.some((f) => re.test(f))) continue;
      const rel = placeholderPathFor(String(glob).replace(/\s+#.*$/, ''));
      if (!existsSync(join(releaseDir, 'src', rel))) write(join(releaseDir, 'src', rel), `placeholder for ${glob} (package ${name}; not in this offline tree)\n`);
      files.push(rel);
      filled.push(`package ${name}: ${glob}`);
    }
  }
  return filled;
}

/**
 * @param {string} file
 * @param {string} text
 */
function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
