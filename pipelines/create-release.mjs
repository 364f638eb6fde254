#!/usr/bin/env node
// create-release: `bosh create-release --force --tarball` of one BOSH release, written atomically into
// --out as <name>-<version>.tgz plus release.json (tarball sha256, job and package fingerprints from
// `bosh inspect-local-release --json`). Generic over where the release directory comes from:
//
//   --release-dir=<dir>                  a ready release directory (copied first: bosh writes into it)
//   --overlay=<overlay.json>             an overlay (constructs/diego) applied to an upstream tree:
//       [--upstream=<dir> | --upstream-fixture=<dir> | --upstream-dir=<dir>]   see pipelines/lib/upstream/upstream-tree.mjs
//       A tree from a source tarball lacks what the ARM pipeline does not build (empty submodules, blobs):
//       those files get placeholders and the release is marked NOT deployable (NOT-DEPLOYABLE.txt beside
//       the tarball, release.json deployable=false, and the log says so).
//   --name, --version                    default: the overlay's release, or config/final.yml's final_name
//   --blob=<file>:<blob path>            a file added with `bosh add-blob` first (comma-separated for several)
//
// Paths resolve against the working directory, like --artifacts and --out (plan steps run in
// cdktf.out/stacks/<stack>). Overlay inputs (added package dirs, packaging scripts) resolve against
// --artifacts. Set STACK_ELEVATOR_KEEP_WORK=1 to keep the scratch release tree for debugging.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { commitDir, isRunning, prepareDir } from '../contracts/atomic-dir.cjs';
import { basename, dirname, join, resolve } from 'node:path';
import { sha256File } from './lib/step/hash.mjs';
import { applyOverlay, OverlayError, readOverlay } from './lib/release/overlay.mjs';
import { readYaml } from './lib/release/overlay-yaml.mjs';
import { requireTool } from './lib/step/tools.mjs';
import { dropBlobstoreRecords, fillMissingSources } from './lib/upstream/offline-tree.mjs';
import { resolveUpstreamTree } from './lib/upstream/upstream-tree.mjs';
import { resolvePinnedBlob } from './lib/upstream/pinned-blobs.mjs';
import { finalBuildFingerprints, unreleasedPackages } from './lib/release/final-builds.mjs';
import { TOOLCHAIN_PACKAGE } from './lib/release/release-mf.mjs';
import { optional, PLAN_ARGS, required, runCommandSync, step, StepError } from './lib/step/step.mjs';

const ARGS = {
  ...PLAN_ARGS,
  out: required(),
  'release-dir': optional(),
  overlay: optional(),
  upstream: optional(),
  'upstream-fixture': optional(),
  'upstream-dir': optional(),
  name: optional(),
  version: optional(),
  blob: optional(),
};

/** @param {import('./lib/step/step.mjs').StepContext<typeof ARGS>} ctx */
async function main({ args, paths, log }) {
  if (!args['release-dir'] === !args.overlay) fail('give exactly one of --release-dir=<dir> or --overlay=<overlay.json>');
  const out = resolve(args.out);
  const bosh = requireTool('bosh', paths.root);
  /** @param {string[]} argv @param {'inherit' | 'pipe'} stdout */
  const boshRun = (argv, stdout) => run(bosh, argv, stdout);

  mkdirSync(dirname(out), { recursive: true });
  removeDeadStages(out);
  const stage = mkdtempSync(join(dirname(out), `.${basename(out)}.stage-${process.pid}-`));
  const started = Date.now();
  /** @type {string | undefined} the output folder beside `out`, switched in by one rename of a link */
  let outStage;
  let committed = false;
  try {
    const releaseDir = join(stage, 'release');
    const tree = args.overlay ? await overlayTree({ args, paths, log }, stage, releaseDir) : releaseDirTree(args, releaseDir);
    const { name, version } = tree;
    if (!name) fail('no release name: pass --name or set final_name in config/final.yml');
    if (!version) fail('--version is required with --release-dir');
    if (!existsSync(join(releaseDir, 'config', 'blobs.yml'))) writeFileSync(join(releaseDir, 'config', 'blobs.yml'), '--- {}\n');
    addArgBlobs(args.blob, releaseDir, boshRun, log);
    await addPinnedBlobs({ root: paths.root, upstreamDirArg: args['upstream-dir'], pinnedBlobs: tree.pinnedBlobs, releaseDir, boshRun, log });
    const filled = tree.offline ? fillMissingSources(releaseDir) : tree.filled;

    outStage = prepareDir(out);
    const record = await createAndRecord({ name, version, releaseDir, outStage, boshRun, upstreamBuilds: tree.upstreamBuilds, source: tree.source, filled, log });
    writeNotDeployable(outStage, record.tarball, filled, log);
    commitDir(out, outStage);
    committed = true;
    log(`${name}/${version}: ${record.packages.length} packages, ${record.jobs.length} jobs, sha256 ${record.sha256} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    if (outStage && !committed) rmSync(outStage, { recursive: true, force: true });
    if (process.env.STACK_ELEVATOR_KEEP_WORK === '1') log(`kept scratch tree ${stage}`);
    else rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * A killed run leaves its `.<out>.stage-<pid>-*` scratch tree; the next run removes it.
 * @param {string} out
 */
function removeDeadStages(out) {
  for (const name of readdirSync(dirname(out))) {
    const pid = Number(new RegExp(`^\\.${basename(out).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.stage-(\\d+)-`).exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) rmSync(join(dirname(out), name), { recursive: true, force: true });
  }
}

/**
 * @typedef {object} ReleaseTree what the release directory was made from, and what it still needs
 * @property {string | undefined} name
 * @property {string | undefined} version
 * @property {object} source recorded in release.json
 * @property {string[]} filled file groups that got placeholders (non-empty: not deployable)
 * @property {boolean} offline a tree from a source tarball: missing sources are filled after the blobs are added
 * @property {Omit<import('../contracts/release-overlay.ts').AddBlob, 'op'>[]} pinnedBlobs
 * @property {{ fingerprints: Map<string, Set<string>>, changed: Set<string>, keepsVersion: boolean } | undefined} upstreamBuilds
 */

/**
 * The release directory from an overlay applied to an upstream tree.
 * @param {Pick<import('./lib/step/step.mjs').StepContext<typeof ARGS>, 'args' | 'paths' | 'log'>} ctx
 * @param {string} stage
 * @param {string} releaseDir
 * @returns {Promise<ReleaseTree>}
 */
async function overlayTree({ args, paths, log }, stage, releaseDir) {
  const { root, artifacts } = paths;
  const overlay = readOverlay(resolve(/** @type {string} (the caller checked it is given) */ (args.overlay)));
  const upstream = await resolveUpstreamTree({ root, overlay, upstream: args.upstream, fixture: args['upstream-fixture'], upstreamDir: args['upstream-dir'], workDir: stage, sourceDir: artifacts, log });
  log(`applying overlay ${overlay.release.name} (${overlay.variant}) to ${overlay.upstream.release} ${overlay.upstream.version} from ${upstream.source} tree${upstream.from ? ` ${upstream.from}` : ''}`);
  const summary = applyOverlay({ overlay, upstreamDir: upstream.dir, destDir: releaseDir, sourceDir: artifacts });
  const upstreamBuilds = {
    fingerprints: finalBuildFingerprints(releaseDir),
    changed: new Set([...summary.retargetedPackages, ...summary.addedPackages, ...summary.substitutions.map((x) => x.package)]),
    keepsVersion: (args.version ?? overlay.release.version) === overlay.upstream.version.replace(/^v/, ''),
  };
  if (upstream.source === 'tarball') dropBlobstoreRecords(releaseDir);
  return {
    name: args.name ?? overlay.release.name,
    version: args.version ?? overlay.release.version,
    source: { kind: 'overlay', variant: overlay.variant, upstream: { ...overlay.upstream, tree: upstream.source }, summary },
    filled: upstream.source === 'fixture' ? ['every source: a spec-only fixture tree'] : [],
    offline: upstream.source === 'tarball',
    pinnedBlobs: summary.blobs,
    upstreamBuilds,
  };
}

/**
 * The release directory copied from --release-dir (bosh writes into it; its git and dev builds stay behind).
 * @param {import('./lib/step/step.mjs').StepContext<typeof ARGS>['args']} args
 * @param {string} releaseDir
 * @returns {ReleaseTree}
 */
function releaseDirTree(args, releaseDir) {
  const from = resolve(/** @type {string} (checked above: exactly one of the two is given) */ (args['release-dir']));
  if (!existsSync(join(from, 'config', 'final.yml'))) fail(`--release-dir=${args['release-dir']}: ${from} has no config/final.yml`);
  cpSync(from, releaseDir, { recursive: true, verbatimSymlinks: true, filter: (p) => !['.git', 'dev_releases', '.dev_builds'].includes(basename(p)) });
  return {
    name: args.name ?? readYaml(join(releaseDir, 'config', 'final.yml'))?.final_name,
    version: args.version,
    source: { kind: 'release-dir' },
    filled: [],
    offline: false,
    pinnedBlobs: [],
    upstreamBuilds: undefined,
  };
}

/**
 * The --blob=<file>:<blob path> files, each added with `bosh add-blob`.
 * @param {string | undefined} blobArg
 * @param {string} releaseDir
 * @param {(argv: string[], stdout: 'inherit' | 'pipe') => string} boshRun
 * @param {(msg: string) => void} log
 */
function addArgBlobs(blobArg, releaseDir, boshRun, log) {
  for (const spec of (blobArg ?? '').split(',').filter(Boolean)) {
    const [file, blobPath] = spec.split(':');
    if (!file || !blobPath) fail(`--blob=${spec}: expected <file>:<blob path>`);
    if (!existsSync(resolve(file))) fail(`--blob=${spec}: ${file} not found (did the step that makes it run?)`);
    // bosh walks src/ even when every package file is a blob.
    mkdirSync(join(releaseDir, 'src'), { recursive: true });
    log(`bosh add-blob ${blobPath}`);
    boshRun(['add-blob', resolve(file), blobPath, `--dir=${releaseDir}`], 'inherit');
  }
}

/**
 * The overlay's pinned blobs, each checked against its pin before bosh sees it: a tampered file stops the step here.
 * @param {{ root: string, upstreamDirArg: string | undefined, pinnedBlobs: ReleaseTree['pinnedBlobs'], releaseDir: string, boshRun: (argv: string[], stdout: 'inherit' | 'pipe') => string, log: (msg: string) => void }} o
 */
async function addPinnedBlobs({ root, upstreamDirArg, pinnedBlobs, releaseDir, boshRun, log }) {
  for (const blob of pinnedBlobs) {
    const file = await resolvePinnedBlob({ root, upstreamDir: upstreamDirArg ? resolve(upstreamDirArg) : undefined, blob, log });
    mkdirSync(join(releaseDir, 'src'), { recursive: true });
    log(`bosh add-blob ${blob.path} (${blob.source.kind === 'debian' ? `Debian ${blob.source.package} ${blob.source.version} ${blob.source.arch}` : blob.source.kind === 'debian-source' ? `Debian source ${blob.source.poolPath}` : blob.source.file}, sha256 ${blob.source.sha256})`);
    boshRun(['add-blob', file, blob.path, `--dir=${releaseDir}`], 'pipe');
  }
}

/**
 * `bosh create-release` into the output stage, then release.json from the tarball bosh wrote.
 * @param {{ name: string, version: string, releaseDir: string, outStage: string, boshRun: (argv: string[], stdout: 'inherit' | 'pipe') => string, upstreamBuilds: ReleaseTree['upstreamBuilds'], source: object, filled: string[], log: (msg: string) => void }} o
 */
async function createAndRecord({ name, version, releaseDir, outStage, boshRun, upstreamBuilds, source, filled, log }) {
  const tarballName = `${name}-${version}.tgz`;
  const tarball = join(outStage, tarballName);
  log(`bosh create-release --force --tarball ${tarballName}`);
  boshRun(['create-release', '--force', `--tarball=${tarball}`, `--name=${name}`, `--version=${version}`, `--dir=${releaseDir}`], 'inherit');

  const inspected = inspect(boshRun, tarball);
  const unreleased = upstreamBuilds ? unreleasedPackages(inspected.packages, upstreamBuilds.fingerprints, upstreamBuilds.changed, TOOLCHAIN_PACKAGE) : [];
  if (upstreamBuilds?.keepsVersion && upstreamBuilds.fingerprints.size > 0 && unreleased.length > 0) {
    // Same name and version as upstream's final release, other package contents: a director that has
    // upstream's would refuse this one.
    fail(`${name}/${version} keeps upstream's version but its package(s) ${unreleased.join(', ')} are not the ones upstream released (.final_builds); give the overlay an +arm version or find what changed them`);
  }
  const record = {
    name,
    version,
    tarball: tarballName,
    sha256: await sha256File(tarball),
    bytes: statSync(tarball).size,
    jobs: inspected.jobs,
    packages: inspected.packages,
    source,
    deployable: filled.length === 0,
    ...(upstreamBuilds && upstreamBuilds.fingerprints.size > 0 ? { upstreamFingerprints: { unchangedPackagesMatch: unreleased.length === 0, unreleased } } : {}),
  };
  writeFileSync(join(outStage, 'release.json'), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/**
 * NOT-DEPLOYABLE.txt beside a tarball whose tree got placeholders, and a log line saying so.
 * @param {string} outStage
 * @param {string} tarballName
 * @param {string[]} filled
 * @param {(msg: string) => void} log
 */
function writeNotDeployable(outStage, tarballName, filled, log) {
  if (filled.length === 0) return;
  writeFileSync(
    join(outStage, 'NOT-DEPLOYABLE.txt'),
    `${tarballName} is NOT deployable: this tree lacked files, which got placeholders:\n${filled.map((f) => `  ${f}\n`).join('')}` +
      'Build it from a full clone (network) or a complete source tree to get a deployable release.\n',
  );
  log(`NOT DEPLOYABLE: ${filled.length} missing file group(s) got placeholders (see NOT-DEPLOYABLE.txt)`);
}

/**
 * Jobs and packages with their fingerprints, from the tarball itself rather than the dev index.
 * @param {(argv: string[], stdout: 'inherit' | 'pipe') => string} boshRun
 * @param {string} tarball
 */
function inspect(boshRun, tarball) {
  const text = boshRun(['inspect-local-release', '--json', tarball], 'pipe');
  const tables = /** @type {import('./lib/release/release-mf.mjs').BoshJson} */ (JSON.parse(text)).Tables ?? [];
  /** @param {string} content */
  const rows = (content) => tables.find((t) => t.Content === content)?.Rows ?? [];
  /** @param {string} nameAndFingerprint */
  const split = (nameAndFingerprint) => {
    const [n, fingerprint] = nameAndFingerprint.split('/');
    return { name: n, fingerprint };
  };
  /** @param {string | undefined} s */
  const list = (s) => (s ?? '').split(/[\s,]+/).filter(Boolean).sort();
  /** @param {{ name: string }} a @param {{ name: string }} b */
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    jobs: rows('jobs').map((r) => ({ ...split(r.job), digest: r.digest, packages: list(r.packages) })).sort(byName),
    packages: rows('packages').map((r) => ({ ...split(r.package), digest: r.digest, dependencies: list(r.dependencies) })).sort(byName),
  };
}

/** @param {string} cmd @param {string[]} argv @param {'inherit' | 'pipe'} stdout */
function run(cmd, argv, stdout) {
  const r = runCommandSync(cmd, argv, { stdio: ['ignore', stdout, 'inherit'] });
  if (r.code !== 0) fail(`${basename(cmd)} ${argv[0]} failed with exit code ${r.code}${r.stdout ? `:\n${r.stdout}` : ''}`);
  return r.stdout;
}

/** @param {string} msg @returns {never} */
function fail(msg) {
  throw new StepError(msg);
}

await step({
  name: 'create-release',
  args: ARGS,
  logLabel: () => 'create-release:',
  failLabel: () => 'create-release:',
  // Upstream drift the overlay meets is the user's to read; upstream-tree and tool errors are StepErrors.
  userErrors: [OverlayError],
  main,
});
