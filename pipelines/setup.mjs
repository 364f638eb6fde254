#!/usr/bin/env node
// npm run setup [-- --check]: probes every prerequisite of the plan steps and e2e tests by using it,
// installs or starts what is missing, and prints one line per prerequisite:
//   ok | installed | missing (--check) | failed, with the fix.
// Exits non-zero naming the first prerequisite it could not fix (with --check: the first one missing).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionlintPath, ensureActionlint, pinnedActionlint } from './lib/setup/actionlint.mjs';
import { upstreamDirOf } from '../contracts/upstream-dir.cjs';
import { installProvider, locateProviderSource, ProviderSourceError } from './lib/setup/provider-mirror.mjs';
import { gardenVmPrerequisites } from './lib/setup/setup-garden-vm.mjs';
import { aptInstall, goInstall, registerBinfmt, SetupError, startDockerd } from './lib/setup/setup-install.mjs';
import {
  probeBinfmt,
  probeBosh,
  probeDebianTools,
  probeDockerArm,
  probeDockerEngine,
  probeDockerProvider,
  probeGo,
  probeMmdebstrap,
  probeTerraform,
  PROVIDER_SHA_TOOL,
  PROVIDER_TOOL,
} from './lib/setup/setup-probes.mjs';
import { installCrossToolchain, probeCrossToolchain } from './lib/setup/setup-cross.mjs';
import { runCommandSync } from './lib/step/step.mjs';
import { projectRoot, toolPath } from './lib/step/tools.mjs';

/** @typedef {import('./lib/setup/setup-probes.mjs').ProbeResult} ProbeResult */

const root = projectRoot();
const check = process.argv.slice(2).includes('--check');
const lock = JSON.parse(readFileSync(join(root, 'lab.lock.json'), 'utf8'));
const ctx = {
  root,
  env: { ...process.env, PATH: toolPath(root) },
  binfmtDir: '/proc/sys/fs/binfmt_misc',
  binfmtConfDir: '/usr/lib/binfmt.d',
  lock,
};
/** @param {string} status @param {string} name @param {string} text */
const say = (status, name, text) => process.stdout.write(`setup: ${status.padEnd(9)} ${name.padEnd(28)} ${text}\n`);
/** @param {string} msg */
const note = (msg) => process.stdout.write(`setup:           ${msg}\n`);

/**
 * Installs the apt packages a probe named, then whatever else the prerequisite needs.
 * @param {(found: ProbeResult) => Promise<void>} [extra]
 * @returns {(found: ProbeResult) => Promise<void>}
 */
const aptFix = (extra) => async (result) => {
  if (result.packages?.length) aptInstall(result.packages, ctx.env);
  await extra?.(result);
};

// Order matters: arch-test needs binfmt, the ARM container needs the engine and binfmt, the provider build needs go.
/** @type {import('./lib/setup/setup-probes.mjs').Prerequisite[]} */
const prerequisites = [
  { name: 'debian tools', probe: probeDebianTools, install: aptFix() },
  { name: 'binfmt qemu-user', probe: probeBinfmt, install: async () => registerBinfmt(ctx) },
  { name: 'mmdebstrap armhf/arm64', probe: probeMmdebstrap, install: aptFix() },
  { name: 'docker engine', probe: probeDockerEngine, install: aptFix(async () => startDockerd(ctx)) },
  { name: 'docker arm/v7 container', probe: probeDockerArm },
  { name: 'go', probe: probeGo },
  { name: 'cross toolchain armhf/arm64', probe: probeCrossToolchain, install: async () => installCrossToolchain(ctx) },
  {
    name: 'bosh cli',
    probe: probeBosh,
    // bosh-cli's module is built from tools/go.mod: the module proxy here refuses version listing, which
    // `go install pkg@version` needs for its deprecation check; a pinned go.mod sidesteps that.
    install: async () =>
      goInstall(ctx, {
        bin: 'bosh',
        pkg: 'github.com/cloudfoundry/bosh-cli/v7',
        cwd: join(root, 'tools'),
        installedAs: 'bosh-cli',
        ldflags: `-X github.com/cloudfoundry/bosh-cli/v7/cmd.VersionLabel=${lock.tools['bosh-cli'].replace(/^v/, '')}`,
      }),
  },
  { name: 'terraform', probe: probeTerraform, install: async () => goInstall(ctx, { bin: 'terraform', pkg: `github.com/hashicorp/terraform@${lock.tools.terraform}`, cwd: root }) },
  {
    name: 'provider kreuzwerker/docker',
    probe: probeDockerProvider,
    install: async () => {
      const version = lock.tools[PROVIDER_TOOL];
      const tarball = await locateProviderSource({ dirs: [upstreamDirOf(root, process.env)], version, sha256: lock.tools[PROVIDER_SHA_TOOL] });
      const bin = await installProvider({ tarball, version, env: ctx.env, log: note });
      note(`provider built into ${bin}`);
    },
  },
  {
    name: 'actionlint',
    // the workflow test runs it; the pin lives in tools/actionlint/go.mod
    probe: async () => {
      const res = existsSync(actionlintPath(root)) ? runCommandSync(actionlintPath(root), ['-version']) : undefined;
      const want = pinnedActionlint(root);
      const got = res?.code === 0 ? res.stdout.split('\n')[0].trim() : undefined;
      return got === want
        ? { ok: true, detail: `version ${got}` }
        : { ok: false, detail: `.tools/bin/actionlint ${got ? `reports ${got}` : 'does not run'}, expected ${want}`, fix: 'npm run setup (go install from tools/actionlint)' };
    },
    install: async () => {
      try {
        ensureActionlint(root);
      } catch (err) {
        throw new SetupError(err.message);
      }
    },
  },
  ...gardenVmPrerequisites(ctx),
];

let firstProblem;
for (const p of prerequisites) {
  const found = await p.probe(ctx);
  if (found.ok) {
    say('ok', p.name, found.detail);
    continue;
  }
  if (check || !p.install) {
    say(check ? 'missing' : 'failed', p.name, `${found.detail} (fix: ${found.fix})`);
    firstProblem ??= p.name;
    if (check) continue;
    break;
  }
  let installError;
  try {
    await p.install(found);
  } catch (err) {
    if (!(err instanceof SetupError) && !(err instanceof ProviderSourceError)) throw err;
    installError = err.message;
  }
  const after = installError ? undefined : await p.probe(ctx);
  if (after?.ok) {
    say('installed', p.name, after.detail);
    continue;
  }
  say('failed', p.name, `${installError ?? after?.detail} (fix: ${after?.fix ?? found.fix})`);
  firstProblem = p.name;
  break;
}

if (firstProblem) {
  process.stderr.write(`setup ${check ? 'check: missing' : 'failed at'} ${firstProblem} (the fix is on its line above)\n`);
  process.exit(1);
}
process.stdout.write(`setup: ${check ? 'every prerequisite answers' : 'toolchain ready'}\n`);
