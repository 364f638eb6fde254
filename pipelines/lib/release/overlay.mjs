// Applies a release overlay (data rendered at synth by constructs/diego) to a copy of an upstream BOSH
// release tree. Pure apart from the filesystem: no bosh, no network, so unit tests run it on fixtures.
//
// An overlay is JSON: { format, variant, upstream: {release, version, ...}, release: {name, version},
// edits: [...] }. Edits run in order; each checks that the upstream tree has what it patches and throws
// an OverlayError naming the upstream version and the missing thing when it does not. A final pass
// checks every job's packages and every package's dependencies exist, so no half-consistent tree
// reaches `bosh create-release`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { EDIT_KEYS, OVERLAY_FORMAT } from '../../../contracts/overlay-format.cjs';
import { readYaml, writeFileReplacing, writeYamlReplacing } from './overlay-yaml.mjs';
import { runCommandSync, StepError } from '../step/step.mjs';

export { OVERLAY_FORMAT };

/** @typedef {import('../../../contracts/release-overlay.ts').ReleaseOverlay} ReleaseOverlay */
/** @typedef {import('../../../contracts/release-overlay.ts').OverlayEdit} OverlayEdit */
/**
 * What applying the edits has done so far to the copy of the upstream tree.
 * @typedef {object} ApplyState
 * @property {string} dir the copy
 * @property {Set<string>} upstreamJobs
 * @property {Set<string>} upstreamPackages
 * @property {Set<string>} added packages the overlay added
 * @property {Set<string>} retargeted Go packages it rebuilds for another arch
 * @property {string[]} removedJobs
 * @property {string[]} removedPackages
 * @property {Record<string, { addedPackages?: string[], droppedPackages?: string[] }>} patchedJobs
 * @property {string | undefined} finalName
 * @property {{ package: string, upstream: string, arm: string, why: string }[]} substitutions packages built otherwise than upstream does
 * @property {{ patch: string, upstreamRef: string, why: string }[]} patches
 * @property {import('../../../contracts/release-overlay.ts').AddBlob[]} blobs blobs create-release adds (pinned sources)
 */
/**
 * One applier per edit op, each typed with its own edit.
 * @typedef {{ [Op in OverlayEdit['op']]: (overlay: ReleaseOverlay, edit: Extract<OverlayEdit, { op: Op }>, where: string, state: ApplyState, sourceDir: string) => void }} Appliers
 */

/** Go toolchain packages are matched by shape, so a version bump upstream is still recognised as Go. */
const GOLANG_LINUX_PACKAGE = /^golang-[0-9.]+-linux$/;

/** The upstream tree lacks (or already has) what an overlay edit relies on. */
export class OverlayError extends Error {
  /**
   * @param {Partial<ReleaseOverlay> | undefined} overlay the overlay being applied (perhaps only partly valid)
   * @param {string} where e.g. `edits[2] patch-job-spec`
   * @param {string} problem what the upstream tree has or lacks, e.g. `has no job "file_server" (jobs/file_server/spec)`
   * @param {string} [fix]
   */
  constructor(overlay, where, problem, fix) {
    /** @type {Partial<ReleaseOverlay['upstream']>} */
    const up = overlay?.upstream ?? {};
    const rel = overlay?.release?.name ?? '(unnamed overlay)';
    super(
      `${up.release ?? 'upstream release'} ${up.version ?? '(unknown version)'} ${problem}: ` +
        `overlay ${rel} (${overlay?.variant ?? '?'}) ${where} cannot apply` +
        (fix ? ` (fix: ${fix})` : ''),
    );
    this.name = 'OverlayError';
    this.upstreamVersion = up.version;
    this.where = where;
    this.problem = problem;
  }
}

/**
 * Structural validation of an overlay document; a malformed overlay is a synth bug, not upstream drift.
 * @param {any} doc parsed JSON of unknown shape: this check is what makes it a ReleaseOverlay
 * @param {string} [file]
 * @returns {ReleaseOverlay}
 */
export function validateOverlay(doc, file = 'overlay.json') {
  /** @type {(path: string, expected: string) => never} */
  const fail = (path, expected) => {
    throw new Error(`${file}: ${path}: expected ${expected}`);
  };
  if (!doc || typeof doc !== 'object') fail('(document)', 'an object');
  if (doc.format !== OVERLAY_FORMAT) fail('format', `${OVERLAY_FORMAT}, found ${JSON.stringify(doc.format)}`);
  if (typeof doc.variant !== 'string') fail('variant', 'a string');
  for (const k of ['release', 'version']) if (typeof doc.upstream?.[k] !== 'string') fail(`upstream.${k}`, 'a string');
  for (const k of ['name', 'version']) if (typeof doc.release?.[k] !== 'string' || doc.release[k] === '') fail(`release.${k}`, 'a non-empty string');
  if (!Array.isArray(doc.edits)) fail('edits', 'an array');
  doc.edits.forEach((/** @type {any} */ e, /** @type {number} */ i) => {
    /** @type {readonly string[] | undefined} */
    const keys = EDIT_KEYS[/** @type {OverlayEdit['op']} */ (e?.op)];
    if (!keys) fail(`edits[${i}].op`, `one of ${Object.keys(EDIT_KEYS).join(', ')}, found ${JSON.stringify(e?.op)}`);
    const extra = Object.keys(e).filter((k) => k !== 'op' && !keys.includes(k));
    if (extra.length > 0) fail(`edits[${i}]`, `only ${['op', ...keys].join(', ')}, found ${extra.join(', ')}`);
    for (const k of keys) if (e[k] === undefined) fail(`edits[${i}].${k}`, 'a value (null where the edit allows it)');
  });
  return doc;
}

/**
 * @param {string} file
 * @returns {ReleaseOverlay}
 */
export function readOverlay(file) {
  return validateOverlay(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * Package dirs an overlay adds, resolved against sourceDir (the synth's artifacts directory).
 * @param {ReleaseOverlay} overlay
 * @param {string} sourceDir
 */
export function addedPackageDirs(overlay, sourceDir) {
  return overlay.edits.flatMap((e) => (e.op === 'add-package' ? [resolveSource(sourceDir, e.from)] : []));
}

/**
 * Copies upstreamDir to destDir (which must not exist) and applies the overlay's edits to the copy.
 * @param {{ overlay: ReleaseOverlay, upstreamDir: string, destDir: string, sourceDir: string }} args
 * @returns a summary of what changed, for release.json and logs.
 */
export function applyOverlay({ overlay, upstreamDir, destDir, sourceDir }) {
  validateOverlay(overlay);
  const tree = resolve(upstreamDir);
  for (const required of ['config/final.yml', 'jobs', 'packages']) {
    if (!existsSync(join(tree, required))) {
      throw new OverlayError(overlay, '(tree check)', `tree at ${tree} is not a BOSH release: it has no ${required}`, 'point --upstream at a release checkout');
    }
  }
  if (existsSync(destDir)) throw new Error(`overlay destination ${destDir} already exists`);
  mkdirSync(dirname(resolve(destDir)), { recursive: true });
  // .git and dev-release state are not inputs: a checkout's own dev builds must not leak into ours.
  const skip = new Set(['.git', 'dev_releases', '.dev_builds']);
  cpSync(tree, destDir, { recursive: true, verbatimSymlinks: true, filter: (src) => !skip.has(basename(src)) || src === tree });

  /** @type {ApplyState} */
  const state = {
    dir: destDir,
    upstreamJobs: new Set(listJobs(destDir)),
    upstreamPackages: new Set(listPackages(destDir)),
    added: new Set(),
    retargeted: new Set(),
    removedJobs: [],
    removedPackages: [],
    patchedJobs: {},
    finalName: undefined,
    substitutions: [],
    patches: [],
    blobs: [],
  };
  overlay.edits.forEach((edit, i) => {
    const where = `edits[${i}] ${edit.op}`;
    // Each applier takes its own op's edit; `edit.op` picks it, which TypeScript cannot correlate.
    const apply = /** @type {(o: ReleaseOverlay, e: OverlayEdit, w: string, s: ApplyState, d: string) => void} */ (APPLY[edit.op]);
    apply(overlay, edit, where, state, sourceDir);
  });
  checkConsistency(overlay, state);
  return {
    finalName: state.finalName,
    addedPackages: [...state.added].sort(),
    patchedJobs: state.patchedJobs,
    retargetedPackages: [...state.retargeted].sort(),
    removedJobs: state.removedJobs.sort(),
    removedPackages: state.removedPackages.sort(),
    patches: state.patches,
    substitutions: [...state.substitutions].sort((a, b) => (a.package < b.package ? -1 : 1)),
    blobs: state.blobs.map((b) => ({ path: b.path, source: b.source })),
    jobs: listJobs(destDir),
    packages: listPackages(destDir),
  };
}

/** @type {Appliers} */
const APPLY = {
  'set-final-name'(overlay, edit, where, state) {
    const file = join(state.dir, 'config/final.yml');
    const doc = readYaml(file) ?? {};
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new OverlayError(overlay, where, 'has a config/final.yml that is not a mapping');
    doc.final_name = edit.name;
    writeYamlReplacing(file, doc);
    state.finalName = edit.name;
  },

  'add-package'(overlay, edit, where, state, sourceDir) {
    if (hasPackage(state.dir, edit.name)) {
      throw new OverlayError(overlay, where, `already has a package "${edit.name}" (packages/${edit.name})`, 'the overlay would shadow an upstream package; rename the added package');
    }
    const from = resolveSource(sourceDir, edit.from);
    for (const f of ['spec', 'packaging']) {
      if (!existsSync(join(from, f))) throw new StepError(`${where}: package dir ${from} has no ${f} (an overlay input is missing; re-run synth)`);
    }
    const specName = readYaml(join(from, 'spec'))?.name;
    if (specName !== edit.name) throw new StepError(`${where}: ${join(from, 'spec')} names package ${JSON.stringify(specName)}, expected "${edit.name}"`);
    cpSync(from, join(state.dir, 'packages', edit.name), { recursive: true });
    state.added.add(edit.name);
  },

  'patch-job-spec'(overlay, edit, where, state) {
    const spec = jobSpec(overlay, where, state, edit.job);
    const listed = spec.doc.packages;
    if (!Array.isArray(listed)) {
      throw new OverlayError(overlay, where, `job "${edit.job}" has no packages list in jobs/${edit.job}/spec`);
    }
    const already = edit.addPackages.filter((p) => listed.includes(p));
    if (already.length > 0) {
      throw new OverlayError(overlay, where, `job "${edit.job}" already lists ${already.join(', ')}`, 'upstream now ships these packages; drop them from the overlay');
    }
    spec.doc.packages = [...listed, ...edit.addPackages];
    writeYamlReplacing(spec.file, spec.doc);
    state.patchedJobs[edit.job] = { addedPackages: [...edit.addPackages] };
  },

  'drop-job-packages'(overlay, edit, where, state) {
    const spec = jobSpec(overlay, where, state, edit.job);
    const listed = Array.isArray(spec.doc.packages) ? spec.doc.packages : [];
    const absent = edit.dropPackages.filter((p) => !listed.includes(p));
    if (absent.length > 0) {
      throw new OverlayError(overlay, where, `job "${edit.job}" no longer lists ${absent.join(', ')} (its packages: ${listed.join(', ') || 'none'})`, 'upstream dropped them itself: remove the edit');
    }
    spec.doc.packages = listed.filter((p) => !edit.dropPackages.includes(p));
    writeYamlReplacing(spec.file, spec.doc);
    state.patchedJobs[edit.job] = { ...(state.patchedJobs[edit.job] ?? {}), droppedPackages: [...edit.dropPackages] };
  },

  'keep-jobs'(overlay, edit, where, state) {
    const missing = edit.jobs.filter((j) => !existsSync(join(state.dir, 'jobs', j, 'spec')));
    if (missing.length > 0) {
      throw new OverlayError(overlay, where, `has no job ${missing.map((j) => `"${j}" (jobs/${j}/spec)`).join(', ')}`, 'a job renamed or removed upstream: update the cell variant for this version');
    }
    const closure = new Set(state.added);
    /** @type {{ pkg: string, via: string }[]} */
    const queue = [];
    for (const j of edit.jobs) {
      for (const p of jobSpec(overlay, where, state, j).doc.packages ?? []) queue.push({ pkg: p, via: `job ${j}` });
    }
    while (queue.length > 0) {
      const { pkg, via } = /** @type {{ pkg: string, via: string }} */ (queue.shift());
      if (closure.has(pkg)) continue;
      if (!hasPackage(state.dir, pkg)) throw new OverlayError(overlay, where, `has no package "${pkg}" (packages/${pkg}), which ${via} needs`);
      closure.add(pkg);
      for (const d of packageDeps(state.dir, pkg)) queue.push({ pkg: d, via: `package ${pkg}` });
    }
    for (const j of listJobs(state.dir)) {
      if (edit.jobs.includes(j)) continue;
      rmSync(join(state.dir, 'jobs', j), { recursive: true });
      state.removedJobs.push(j);
    }
    for (const p of listPackages(state.dir)) {
      if (closure.has(p)) continue;
      rmSync(join(state.dir, 'packages', p), { recursive: true });
      state.removedPackages.push(p);
    }
  },

  'retarget-go-package'(overlay, edit, where, state, sourceDir) {
    const name = edit.package;
    if (!hasPackage(state.dir, name)) {
      const why = state.removedPackages.includes(name) ? 'in the kept jobs\' package closure' : `(packages/${name})`;
      throw new OverlayError(overlay, where, `has no package "${name}" ${why}`, 'a package renamed or removed upstream: update the cell variant for this version');
    }
    const specFile = join(state.dir, 'packages', name, 'spec');
    const spec = readYaml(specFile) ?? {};
    const deps = spec.dependencies ?? [];
    if (!deps.includes(edit.golangPackage)) {
      throw new OverlayError(overlay, where, `package "${name}" does not depend on ${edit.golangPackage} (its dependencies: ${deps.join(', ') || 'none'})`, 'upstream changed Go toolchain package: update golangPackage of the cell variant');
    }
    const files = spec.files ?? [];
    for (const main of edit.mainPackages) {
      // The command may live in the release's module or be vendored into it (certsplitter is, in v2.105.0).
      if (!files.some((f) => f.startsWith(`${main}/`) || f.includes(`/vendor/${main}/`))) {
        throw new OverlayError(overlay, where, `package "${name}" lists no source files under ${main}/ in packages/${name}/spec`, `upstream moved or renamed the command; update the cell variant's build list for ${name}`);
      }
    }
    const packaging = resolveSource(sourceDir, edit.packaging);
    if (!existsSync(packaging)) throw new StepError(`${where}: packaging script ${packaging} is missing (an overlay input; re-run synth)`);
    writeFileReplacing(join(state.dir, 'packages', name, 'packaging'), readFileSync(packaging));
    state.retargeted.add(name);
  },

  'apply-patch'(overlay, edit, where, state, sourceDir) {
    const patch = resolveSource(sourceDir, edit.patch);
    if (!existsSync(patch)) throw new StepError(`${where}: patch ${patch} is missing (an overlay input; re-run synth)`);
    const name = basename(edit.patch);
    // Dry run first: a patch that fails half-way must not leave a half-patched tree behind.
    const dry = runPatch(state.dir, patch, true);
    if (dry.code !== 0) {
      const files = patchedFiles(readFileSync(patch, 'utf8'));
      throw new OverlayError(
        overlay,
        where,
        `does not take patch ${name} (for ${edit.upstreamRef}; files ${files.join(', ')}): ${dry.output.trim().split('\n').slice(-4).join(' | ')}`,
        `upstream changed ${files.join(', ')}: rebase ${edit.patch} on this version, or drop it if upstream fixed it`,
      );
    }
    const r = runPatch(state.dir, patch, false);
    if (r.code !== 0) throw new OverlayError(overlay, where, `failed applying patch ${name} after a clean dry run: ${r.output.trim()}`);
    state.patches.push({ patch: name, upstreamRef: edit.upstreamRef, why: edit.why });
  },

  'replace-package'(overlay, edit, where, state, sourceDir) {
    const name = edit.package;
    if (!existsSync(join(state.dir, 'packages', name, 'spec'))) {
      const why = state.removedPackages.includes(name) ? "outside the kept jobs' package closure" : `(packages/${name}/spec)`;
      throw new OverlayError(overlay, where, `has no package "${name}" ${why}`, 'a package renamed or removed upstream: update the overlay for this version');
    }
    const packaging = resolveSource(sourceDir, edit.packaging);
    if (!existsSync(packaging)) throw new StepError(`${where}: packaging script ${packaging} is missing (an overlay input; re-run synth)`);
    const specFile = join(state.dir, 'packages', name, 'spec');
    const spec = readYaml(specFile) ?? {};
    if (edit.files !== null) spec.files = [...edit.files];
    if (edit.dependencies !== null) spec.dependencies = [...edit.dependencies];
    writeYamlReplacing(specFile, spec);
    writeFileReplacing(join(state.dir, 'packages', name, 'packaging'), readFileSync(packaging));
    state.substitutions.push({ package: name, ...edit.substitution });
  },

  'add-blob'(overlay, edit, where, state) {
    if (state.blobs.some((b) => b.path === edit.path)) throw new OverlayError(overlay, where, `gets blob ${edit.path} twice`);
    state.blobs.push(edit);
  },

  'check-go-retargeted'(overlay, _edit, where, state) {
    const left = listPackages(state.dir).filter(
      (p) => !state.retargeted.has(p) && !state.added.has(p) && packageDeps(state.dir, p).some((d) => GOLANG_LINUX_PACKAGE.test(d)),
    );
    if (left.length > 0) {
      throw new OverlayError(overlay, where, `has Go package(s) ${left.join(', ')} that the overlay does not retarget`, 'a new Go package in the cell jobs\' closure: add it to the cell variant\'s Go builds');
    }
  },
};

/**
 * @param {ReleaseOverlay} overlay
 * @param {ApplyState} state
 */
function checkConsistency(overlay, state) {
  /** @type {string[]} */
  const problems = [];
  for (const j of listJobs(state.dir)) {
    for (const p of readYaml(join(state.dir, 'jobs', j, 'spec'))?.packages ?? []) {
      if (!hasPackage(state.dir, p)) problems.push(`job "${j}" lists package "${p}", which neither upstream nor the overlay provides`);
    }
  }
  for (const p of listPackages(state.dir)) {
    for (const d of packageDeps(state.dir, p)) {
      if (!hasPackage(state.dir, d)) problems.push(`package "${p}" depends on "${d}", which neither upstream nor the overlay provides`);
    }
  }
  if (problems.length > 0) throw new OverlayError(overlay, '(result check)', `with this overlay is inconsistent (${problems.join('; ')})`);
}

/**
 * @param {ReleaseOverlay} overlay
 * @param {string} where
 * @param {ApplyState} state
 * @param {string} job
 */
function jobSpec(overlay, where, state, job) {
  const file = join(state.dir, 'jobs', job, 'spec');
  if (!existsSync(file)) {
    const fix = state.removedJobs.includes(job) ? 'the overlay removed it in an earlier edit' : 'a job renamed or removed upstream: update the overlay for this version';
    throw new OverlayError(overlay, where, `has no job "${job}" (jobs/${job}/spec)`, fix);
  }
  return { file, doc: readYaml(file) ?? {} };
}

/** @param {string} releaseDir */
export function listJobs(releaseDir) {
  return listDirs(join(releaseDir, 'jobs')).filter((j) => existsSync(join(releaseDir, 'jobs', j, 'spec')));
}

/** @param {string} releaseDir */
export function listPackages(releaseDir) {
  return listDirs(join(releaseDir, 'packages')).filter((p) => hasPackage(releaseDir, p));
}

/**
 * A package is a dir with a spec, or a vendored one with only spec.lock (e.g. golang-1.23-linux).
 * @param {string} releaseDir
 * @param {string} name
 */
function hasPackage(releaseDir, name) {
  const dir = join(releaseDir, 'packages', name);
  return existsSync(join(dir, 'spec')) || existsSync(join(dir, 'spec.lock'));
}

/**
 * Vendored packages (spec.lock only) carry their dependencies in their own final build: none to check here.
 * @param {string} releaseDir
 * @param {string} name
 * @returns {string[]}
 */
function packageDeps(releaseDir, name) {
  const spec = join(releaseDir, 'packages', name, 'spec');
  return existsSync(spec) ? (readYaml(spec)?.dependencies ?? []) : [];
}

/**
 * `patch -p1` in the release tree, never asking questions, never leaving .orig/.rej files.
 * @param {string} dir
 * @param {string} patch
 * @param {boolean} dryRun
 */
function runPatch(dir, patch, dryRun) {
  const argv = ['-p1', '--forward', '--batch', '--no-backup-if-mismatch', '-r', '-', '-d', dir, '-i', patch, ...(dryRun ? ['--dry-run'] : [])];
  const r = runCommandSync('patch', argv);
  return { code: r.code, output: `${r.stdout}${r.stderr}` };
}

/**
 * The files a unified diff changes (its `+++ b/<path>` lines, less the prefix).
 * @param {string} text
 */
export function patchedFiles(text) {
  return [...text.matchAll(/^\+\+\+ (?:b\/)?(\S+)/gm)].map((m) => m[1]).sort();
}

/** @param {string} dir */
function listDirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}

/**
 * @param {string} sourceDir
 * @param {string} rel
 */
function resolveSource(sourceDir, rel) {
  if (isAbsolute(rel) || rel.split('/').includes('..')) throw new StepError(`overlay input path must stay inside the artifacts dir: ${rel}`);
  const base = resolve(sourceDir);
  const full = resolve(base, rel);
  if (relative(base, full).startsWith('..')) throw new StepError(`overlay input path escapes the artifacts dir: ${rel}`);
  return full;
}
