// Builds a "test upstream tree" from a spec-only fixture of a release (a
// diego-release-v* folder of the upstream directory): the real job and package specs plus the least source that lets
// `bosh create-release --force` succeed. Used by tests and by labs that say the upstream is a fixture
// (no GitHub, no blobstore). Nothing here is compilable; it exercises specs, overlays and packaging.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { readYaml } from '../release/overlay-yaml.mjs';
import { StepError } from '../step/step.mjs';

/** @typedef {Map<string, string> & { dirs?: Set<string> }} Placeholders src/ path -> the glob it stands for; `dirs`: the directories those paths need */

/**
 * @param {object} o
 * @param {string} o.fixtureDir spec-only release tree (jobs/<j>/spec, packages/<p>/spec|spec.lock, config/final.yml)
 * @param {string} o.destDir created; must not exist
 * @param {string[]} [o.extraPackageDirs] package dirs an overlay will add: their `files:` need sources too
 * @param {{ jobs?: string[], packages?: string[] }} [o.omit] left out of the tree (to test upstream drift)
 */
export function materializeTestTree({ fixtureDir, destDir, extraPackageDirs = [], omit = {} }) {
  if (!existsSync(join(fixtureDir, 'config', 'final.yml'))) throw new StepError(`${fixtureDir} is not a release fixture: no config/final.yml`);
  if (existsSync(destDir)) throw new Error(`test tree destination ${destDir} already exists`);
  const omitJobs = new Set(omit.jobs ?? []);
  const omitPackages = new Set(omit.packages ?? []);
  /** @type {Placeholders} */
  const placeholders = new Map();

  mkdirSync(join(destDir, 'config'), { recursive: true });
  copyFileSync(join(fixtureDir, 'config', 'final.yml'), join(destDir, 'config', 'final.yml'));
  // No blobstore here: every blob the specs name gets a placeholder under src/ instead.
  writeFileSync(join(destDir, 'config', 'blobs.yml'), '--- {}\n');

  const jobs = subdirs(join(fixtureDir, 'jobs')).filter((j) => !omitJobs.has(j));
  for (const job of jobs) {
    const dir = join(destDir, 'jobs', job);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    copyFileSync(join(fixtureDir, 'jobs', job, 'spec'), join(dir, 'spec'));
    writeFileSync(join(dir, 'monit'), '');
    for (const template of Object.keys(readYaml(join(dir, 'spec'))?.templates ?? {}).sort()) {
      const file = join(dir, 'templates', template);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '');
    }
  }

  const packages = subdirs(join(fixtureDir, 'packages')).filter((p) => !omitPackages.has(p));
  for (const pkg of packages) {
    const from = join(fixtureDir, 'packages', pkg);
    const dir = join(destDir, 'packages', pkg);
    mkdirSync(dir, { recursive: true });
    if (existsSync(join(from, 'spec'))) {
      copyFileSync(join(from, 'spec'), join(dir, 'spec'));
      const packaging = join(from, 'packaging');
      if (existsSync(packaging)) copyFileSync(packaging, join(dir, 'packaging'));
      else writeFileSync(join(dir, 'packaging'), placeholderPackaging(pkg));
    } else if (existsSync(join(from, 'spec.lock'))) {
      // A vendored package (golang-*) resolves through .final_builds and a blobstore we do not have:
      // stand in for it with a source package of the same name, so dependants still resolve.
      writeStandIn(dir, pkg, placeholders);
    }
  }

  const specs = [...packages.map((p) => join(destDir, 'packages', p, 'spec')), ...extraPackageDirs.map((d) => join(d, 'spec'))];
  for (const spec of specs) {
    if (!existsSync(spec)) continue;
    for (const glob of readYaml(spec)?.files ?? []) addPlaceholder(placeholders, placeholderPathFor(glob), glob);
  }
  for (const [rel, glob] of [...placeholders.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = join(destDir, 'src', rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `placeholder for ${glob}\n`);
  }
  return { jobs, packages, placeholders: placeholders.size };
}

/**
 * One concrete path a BOSH `files:` glob matches: `*` becomes "placeholder", `**` zero directories,
 * `?` and classes their first choice. Globs are relative to src/ (or blobs/, which BOSH also searches).
 * @param {string} glob
 */
export function placeholderPathFor(glob) {
  const segments = posix
    .normalize(glob.trim())
    .split('/')
    .filter((s) => s !== '**' && s !== '')
    .map((s) =>
      s
        .replace(/\{([^,}]*)[^}]*\}/g, '$1')
        .replace(/\[!?([^\]])[^\]]*\]/g, '$1')
        .replace(/\*+/g, 'placeholder')
        .replace(/\?/g, 'x'),
    );
  if (segments.length === 0) throw new Error(`files glob ${JSON.stringify(glob)} names no path`);
  return segments.join('/');
}

/**
 * @param {Placeholders} placeholders
 * @param {string} rel
 * @param {string} glob
 */
function addPlaceholder(placeholders, rel, glob) {
  if (placeholders.has(rel)) return;
  // A file and a directory at one path cannot both exist: say so here instead of failing inside bosh.
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const ancestor = parts.slice(0, i).join('/');
    if (placeholders.has(ancestor)) throw new Error(`files globs ${JSON.stringify(glob)} and ${JSON.stringify(placeholders.get(ancestor))} need ${ancestor} as both a directory and a file`);
  }
  const dirs = (placeholders.dirs ??= new Set());
  if (dirs.has(rel)) throw new Error(`files glob ${JSON.stringify(glob)} needs ${rel} as a file, another glob as a directory`);
  for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  placeholders.set(rel, glob);
}

/**
 * @param {string} dir
 * @param {string} pkg
 * @param {Placeholders} placeholders
 */
function writeStandIn(dir, pkg, placeholders) {
  const source = `stand-ins/${pkg}/README`;
  writeFileSync(join(dir, 'spec'), `---\nname: ${pkg}\n\nfiles:\n  - ${source}\n`);
  writeFileSync(
    join(dir, 'packaging'),
    `# stand-in for the vendored ${pkg} package of the upstream release (test tree only)\n` +
      'set -e\nmkdir -p "${BOSH_INSTALL_TARGET}/bosh"\necho "# test tree stand-in" > "${BOSH_INSTALL_TARGET}/bosh/compile.env"\n',
  );
  addPlaceholder(placeholders, source, `stand-in for ${pkg}`);
}

/** @param {string} pkg */
function placeholderPackaging(pkg) {
  return `# placeholder packaging for ${pkg} (test tree: the fixture has specs only)\nset -e\nexit 0\n`;
}

/** @param {string} dir */
function subdirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}
