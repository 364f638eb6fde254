// actionlint, the GitHub Actions workflow checker the test suite runs on .github/workflows: built with
// `go install` from tools/actionlint/go.mod (the pin lives there, once) into .tools/bin. Setup calls
// ensureActionlint(); tests call actionlintPath() and fail with the fix when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommandSync } from '../step/step.mjs';
import { findTool, projectRoot, toolsBin } from '../step/tools.mjs';

const MODULE = 'github.com/rhysd/actionlint';

/** The version tools/actionlint/go.mod requires, e.g. v1.7.8. */
export function pinnedActionlint(root = projectRoot()) {
  const gomod = readFileSync(join(root, 'tools', 'actionlint', 'go.mod'), 'utf8');
  const m = gomod.match(/^\s*(?:require\s+)?github\.com\/rhysd\/actionlint\s+(v\S+)/m);
  if (!m) throw new Error(`tools/actionlint/go.mod: require ${MODULE}: not found (fix: restore the require line)`);
  return m[1];
}

export function actionlintPath(root = projectRoot()) {
  return join(toolsBin(root), 'actionlint');
}

/**
 * Version line the installed binary prints, or undefined when it is missing or does not run.
 * @param {string} bin
 */
function installedVersion(bin) {
  if (!existsSync(bin)) return undefined;
  const res = runCommandSync(bin, ['-version']);
  return res.code === 0 ? res.stdout.split('\n')[0].trim() : undefined;
}

/**
 * Installs the pinned actionlint into .tools/bin unless it is already there. Returns a one-line status;
 * throws an Error whose message names what failed and the fix.
 */
export function ensureActionlint(root = projectRoot()) {
  const pinned = pinnedActionlint(root);
  const bin = actionlintPath(root);
  if (installedVersion(bin) === pinned) return `actionlint ${pinned} present (.tools/bin/actionlint)`;
  if (!findTool('go', root)) throw new Error('go is not on PATH (fix: install Go 1.22 or newer)');
  // The version variable is set explicitly: built as a dependency, the binary would report "(devel)".
  const res = runCommandSync('go', ['install', '-trimpath', `-ldflags=-X ${MODULE}.version=${pinned}`, `${MODULE}/cmd/actionlint`], {
    cwd: join(root, 'tools', 'actionlint'),
    env: { GOBIN: toolsBin(root), CGO_ENABLED: '0' },
  });
  if (res.code !== 0) throw new Error(`go install ${MODULE}@${pinned} failed:\n${(res.stderr ?? '').slice(-2000)}`);
  const got = installedVersion(bin);
  if (got !== pinned) throw new Error(`.tools/bin/actionlint reports ${got ?? 'nothing'} after install, expected ${pinned}`);
  return `actionlint ${pinned} installed (.tools/bin/actionlint)`;
}
