// The offline half of a compile tree: proving the binaries' imports all come from pinned modules,
// vendoring, and checking each binary is a main package for its target. Nothing here downloads.
import { spawnSync } from 'node:child_process';
import { go, goEnv } from './go-cmd.mjs';

/** go env for one cross target: no cgo, offline, module mode. */
function targetEnv(target, goflags) {
  return goEnv({ GOFLAGS: goflags, GOPROXY: 'off', GOOS: target.goos, GOARCH: target.goarch, CGO_ENABLED: '0', ...(target.goarm ? { GOARM: String(target.goarm) } : {}) });
}

/**
 * Every package the binaries import, for their own target, must come from a pinned module. Only the
 * binaries' closure is checked (not `./...`): in-tree modules such as bbs hold commands whose imports
 * (auctioneer, rep, SQL drivers) no package here builds, as diego-release's own specs leave them out.
 * A binary's own import path is left to checkMainPackage, which says what is wrong with it.
 */
export function checkClosure(moduleRoot, packages) {
  const byTarget = new Map();
  for (const p of packages) {
    const key = JSON.stringify(p.target);
    byTarget.set(key, [...(byTarget.get(key) ?? []), ...p.binaries.map((b) => b.importPath)]);
  }
  const problems = new Set();
  for (const [key, paths] of byTarget) {
    const out = go(['list', '-e', '-deps', '-f', '{{.ImportPath}}\t{{if .Error}}{{.Error}}{{end}}', ...new Set(paths)], {
      cwd: moduleRoot,
      env: targetEnv(JSON.parse(key), '-mod=mod'),
      quiet: true,
    });
    for (const line of out.split('\n')) {
      const [pkg, err] = line.split('\t');
      if (err && !paths.includes(pkg)) problems.add(`${pkg}: ${err.replace(/\s+/g, ' ')}`);
    }
  }
  if (problems.size) {
    throw new Error(`the pinned modules do not provide every package the binaries import; pin the missing modules in lab.lock.json goModules:\n  ${[...problems].sort().join('\n  ')}`);
  }
}

/**
 * `go mod vendor` for the tree. It loads every package of the main module for every OS, so commands
 * no package builds and Windows-only imports would fail it; `-e` vendors what the pins provide and the
 * rest is returned (sorted, deterministic) for the step's output, since checkClosure has already proved
 * the binaries' own imports complete.
 */
export function vendorTree(moduleRoot) {
  const res = spawnSync('go', ['mod', 'vendor', '-e'], { cwd: moduleRoot, env: goEnv({ GOPROXY: 'off' }), encoding: 'utf8' });
  if (res.error || res.status !== 0) throw new Error(`go mod vendor -e failed (exit ${res.status}) in ${moduleRoot}:\n${(res.stderr || res.error?.message || '').trim()}`);
  const unresolved = new Set();
  for (const line of res.stderr.split('\n')) {
    const m = /^\t(\S+): (.*)$/.exec(line);
    if (m && !m[2].startsWith('go get')) unresolved.add(`${m[1]}: ${m[2].replace(/; to add.*$/, '')}`);
  }
  return [...unresolved].sort();
}

/** `go list` of a binary's import path in the vendored tree, for the target; a clear error if it is not a main package there. */
export function checkMainPackage(moduleRoot, pkgName, binary, target) {
  const env = targetEnv(target, '-mod=vendor');
  const res = spawnSync('go', ['list', '-e', '-f', '{{.Name}}|{{if .Error}}{{.Error}}{{end}}', binary.importPath], { cwd: moduleRoot, env, encoding: 'utf8' });
  const [name, err] = (res.stdout || '').trim().split('|');
  if (res.status !== 0 || err || name !== 'main') {
    const why = err || (res.stderr || '').trim() || (name ? `package ${name} is not a main package` : 'no such package');
    throw new Error(`package ${pkgName}: binary ${binary.name}: import path ${binary.importPath} is not a buildable main package in the pinned sources (${why})`);
  }
}
