// Lays out src/<moduleDir> the way a diego-release checkout has it: the pinned modules in-tree (their
// own go.mod removed, so they are packages of the one release module), a go.mod that requires what
// they require, and vendor/ from `go mod vendor`. Everything comes from the Go module proxy by exact
// version, so the tree is the same on every machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { go, goEnv } from './go-cmd.mjs';
import { checkClosure, vendorTree } from './go-vendor.mjs';

/** Downloads one module at an exact version; the error names the pin when the proxy does not serve it. */
export function downloadModule(path, version) {
  const scratch = mkdtempSync(join(tmpdir(), 'se-gomod-'));
  try {
    const res = spawnSync('go', ['mod', 'download', '-json', `${path}@${version}`], { cwd: scratch, env: goEnv(), encoding: 'utf8' });
    let info;
    try {
      info = JSON.parse(res.stdout);
    } catch {
      throw new Error(`go mod download ${path}@${version} failed: ${(res.stderr || res.stdout).trim()}`);
    }
    if (info.Error || res.status !== 0) {
      throw new Error(`pinned module ${path}@${version} could not be downloaded (lab.lock.json goModules): ${info.Error ?? res.stderr.trim()}`);
    }
    return info;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Go's version order, enough for module versions (release > prerelease; pseudo-versions are prereleases). */
export function compareVersions(a, b) {
  const parse = (v) => {
    const m = /^v(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?(?:\+.*)?$/.exec(v);
    if (!m) throw new Error(`not a module version: ${v}`);
    return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i];
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  const xs = x.pre.split('.');
  const ys = y.pre.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    if (xs[i] === undefined) return -1;
    if (ys[i] === undefined) return 1;
    const xn = /^\d+$/.test(xs[i]);
    const yn = /^\d+$/.test(ys[i]);
    if (xn && yn && Number(xs[i]) !== Number(ys[i])) return Number(xs[i]) - Number(ys[i]);
    if (xn !== yn) return xn ? -1 : 1;
    if (xs[i] !== ys[i]) return xs[i] < ys[i] ? -1 : 1;
  }
  return 0;
}

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) makeWritable(p);
    else chmodSync(p, statSync(p).mode | 0o200);
  }
}

/** Test files pull in test-only dependencies a packaging script never builds; BOSH packages leave them unused. */
function removeTests(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removeTests(p);
    else if (e.name.endsWith('_test.go')) rmSync(p);
  }
}

/**
 * Builds `<srcDir>/<moduleDir>` from the plan's in-tree pins. Returns what it used, for the step's manifest.
 * @param plan the build plan artifact: { moduleDir, go, inTree: { path: version }, requires?: { path: version }, packages }
 */
export function prepareSourceTree(srcDir, plan, log) {
  const moduleRoot = join(srcDir, plan.moduleDir);
  mkdirSync(moduleRoot, { recursive: true });
  const inTree = Object.keys(plan.inTree).sort();
  // The release module's own pins (diego-release's go.mod requires) come first; the in-tree modules'
  // go.mod files can only raise them, as minimal version selection would.
  const requires = new Map(Object.entries(plan.requires ?? {}));
  for (const path of inTree) {
    const version = plan.inTree[path];
    log(`module ${path}@${version}`);
    const info = downloadModule(path, version);
    const rel = path.slice(plan.moduleDir.length + 1);
    const dest = join(moduleRoot, rel);
    cpSync(info.Dir, dest, { recursive: true });
    makeWritable(dest);
    rmSync(join(dest, 'go.mod'), { force: true });
    rmSync(join(dest, 'go.sum'), { force: true });
    removeTests(dest);
    const mod = JSON.parse(go(['mod', 'edit', '-json', info.GoMod], { quiet: true }));
    for (const r of mod.Require ?? []) {
      if (inTree.includes(r.Path)) continue;
      const have = requires.get(r.Path);
      if (have === undefined || compareVersions(r.Version, have) > 0) requires.set(r.Path, r.Version);
    }
  }
  const reqLines = [...requires.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, v]) => `\t${p} ${v}\n`);
  writeFileSync(
    join(moduleRoot, 'go.mod'),
    `module ${plan.moduleDir}\n\ngo ${plan.go}\n${reqLines.length ? `\nrequire (\n${reqLines.join('')})\n` : ''}`,
  );
  log(`go mod download + list + vendor (${requires.size} pinned requirements)`);
  go(['mod', 'download'], { cwd: moduleRoot });
  // Offline from here: a package no pinned module provides is an error naming it, never a silent
  // `@latest` lookup that would make the tree depend on the day it was built.
  checkClosure(moduleRoot, plan.packages);
  const unresolved = vendorTree(moduleRoot);
  if (unresolved.length) log(`vendor: ${unresolved.length} import(s) outside the built packages not vendored (listed in vendor-unresolved.txt)`);
  return {
    moduleRoot,
    goMod: readFileSync(join(moduleRoot, 'go.mod'), 'utf8'),
    modulesTxt: readFileSync(join(moduleRoot, 'vendor', 'modules.txt'), 'utf8'),
    unresolved,
  };
}
