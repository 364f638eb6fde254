// Checks, offline, that each binary is a main package of the release module's vendored tree for its target.
import { runCommandSync, StepError } from '../step/step.mjs';
import { goEnv } from './go-cmd.mjs';

/** @typedef {import('../../../contracts/go-build-plan.ts').GoTarget} GoTarget */

/**
 * go env for one cross target: no cgo, offline, module mode.
 * @param {GoTarget} target
 * @param {string} goflags
 */
function targetEnv(target, goflags) {
  return goEnv({ GOFLAGS: goflags, GOPROXY: 'off', GOOS: target.goos, GOARCH: target.goarch, CGO_ENABLED: '0', ...(target.goarm ? { GOARM: String(target.goarm) } : {}) });
}

/**
 * `go list` of a binary's import path in the vendored tree, for the target; a clear error if it is not a main package there.
 * @param {string} moduleRoot
 * @param {string} pkgName
 * @param {import('../../../contracts/go-build-plan.ts').GoBinary} binary
 * @param {GoTarget} target
 */
export function checkMainPackage(moduleRoot, pkgName, binary, target) {
  const env = targetEnv(target, '-mod=vendor');
  const res = runCommandSync('go', ['list', '-e', '-f', '{{.Name}}|{{if .Error}}{{.Error}}{{end}}', binary.importPath], { cwd: moduleRoot, env });
  const [name, err] = (res.stdout || '').trim().split('|');
  if (res.code !== 0 || err || name !== 'main') {
    const why = err || (res.stderr || '').trim() || (name ? `package ${name} is not a main package` : 'no such package');
    throw new StepError(`package ${pkgName}: binary ${binary.name}: import path ${binary.importPath} is not a buildable main package in the pinned sources (${why})`);
  }
}
