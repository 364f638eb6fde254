// Lays out src/<moduleDir> the way a diego-release checkout has it: the pinned modules in-tree (their
// own go.mod removed, so they are packages of the one release module), a go.mod that requires what
// they require, and vendor/ from `go mod vendor`. Everything comes from the Go module proxy by exact
// version, so the tree is the same on every machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Environment for go commands: module mode, no workspace, no toolchain switching, the machine's proxy. */
export function goEnv(extra = {}) {
  return { ...process.env, GO111MODULE: 'on', GOWORK: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod -buildvcs=false', ...extra };
}

export function go(args, { cwd, env = goEnv(), quiet = false } = {}) {
  const res = spawnSync('go', args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (res.error) throw new Error(`go ${args.join(' ')}: ${res.error.message} (is Go installed and on PATH?)`);
  if (res.status !== 0) {
    throw new Error(`go ${args.join(' ')} failed (exit ${res.status}) in ${cwd ?? process.cwd()}:\n${(res.stderr || res.stdout).trim()}`);
  }
  if (!quiet && res.stderr.trim()) process.stderr.write(res.stderr);
  return res.stdout;
}

export function goVersion() {
  return go(['env', 'GOVERSION'], { quiet: true }).trim();
}

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
 * @param plan the build plan artifact: { moduleDir, go, inTree: { path: version }, requires?: { path: version } }
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
  const offline = goEnv({ GOPROXY: 'off' });
  // Not `go mod tidy`: it also loads the tests of every dependency, whose imports a build never needs.
  // `go list -deps` adds exactly the requirements the release's own packages use.
  try {
    go(['list', '-deps', './...'], { cwd: moduleRoot, env: offline, quiet: true });
  } catch (err) {
    throw new Error(`the pinned modules do not provide every package the sources import; pin the missing modules in lab.lock.json goModules.\n${err.message}`);
  }
  go(['mod', 'vendor'], { cwd: moduleRoot, env: offline });
  return { moduleRoot, goMod: readFileSync(join(moduleRoot, 'go.mod'), 'utf8'), modulesTxt: readFileSync(join(moduleRoot, 'vendor', 'modules.txt'), 'utf8') };
}

/** `go list` of a binary's import path in the vendored tree, for the target; a clear error if it is not a main package there. */
export function checkMainPackage(moduleRoot, pkgName, binary, target) {
  const env = goEnv({ GOFLAGS: '-mod=vendor', GOOS: target.goos, GOARCH: target.goarch, CGO_ENABLED: '0', GOPROXY: 'off', ...(target.goarm ? { GOARM: String(target.goarm) } : {}) });
  const res = spawnSync('go', ['list', '-e', '-f', '{{.Name}}|{{if .Error}}{{.Error}}{{end}}', binary.importPath], { cwd: moduleRoot, env, encoding: 'utf8' });
  const [name, err] = (res.stdout || '').trim().split('|');
  if (res.status !== 0 || err || name !== 'main') {
    const why = err || (res.stderr || '').trim() || (name ? `package ${name} is not a main package` : 'no such package');
    throw new Error(`package ${pkgName}: binary ${binary.name}: import path ${binary.importPath} is not a buildable main package in the pinned sources (${why})`);
  }
}
