#!/usr/bin/env node
// Plan step: the ARM binary buildpack. Builds cloudfoundry/binary-buildpack at the pinned version for one
// stack: bin/supply and bin/finalize cross-compiled from src/binary/*/cli (what upstream's pre_package
// scripts/build.sh does, for the stack's arch), the zip laid out as manifest.yml's include_files, its
// manifest naming the stack, with reproducible bytes (sorted entries, fixed mtimes and modes, zip -X).
//
//   node pipelines/build-buildpack.mjs --out=<dir> --stack=rpifs --goarch=arm [--goarm=7]
//        --version=v1.1.27 --sha256=<source tgz sha256> [--source=<src tgz>] [--source-date-epoch=<n>]
// Without --source the step takes build/upstream/binary-buildpack-<version>-src.tgz when it exists,
// otherwise a git clone of the tag.
import { chmodSync, existsSync, mkdirSync, rmSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { sha256File } from './lib/step/hash.mjs';
import { checkPinnedTarball } from './lib/upstream/pinned-tarball.mjs';
import { goEnv, go } from './lib/go/go-cmd.mjs';
import { checkoutUpstream } from './lib/upstream/upstream-git.mjs';
import { atomicOutput, optional, PLAN_ARGS, required, runCommandSync, step, StepError } from './lib/step/step.mjs';
import { CELL_ARCHES } from '../contracts/arches.cjs';
import { OUTPUT_FILES } from '../contracts/provides.cjs';

const REPO = 'https://github.com/cloudfoundry/binary-buildpack';
const NAME = 'binary_buildpack';
/** Windows builds of the two binaries: upstream lists them for its windows stack; a Linux ARM zip has none. */
const WINDOWS_ONLY = /\.exe$/;

/**
 * @param {string} cmd
 * @param {string[]} argv
 * @param {import('./lib/step/step.mjs').RunOptions} [opts]
 */
function sh(cmd, argv, opts = {}) {
  const r = runCommandSync(cmd, argv, opts);
  if (r.code !== 0) throw new StepError(`${cmd} ${argv.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout;
}

/**
 * The source tree: a pinned tarball (sha256 checked against the lock) or the tag's git checkout.
 * @param {{ paths: { root: string }, args: { source?: string }, version: string, sha256: string, tmp: string }} o
 */
async function sourceTree({ paths, args, version, sha256, tmp }) {
  const cached = join(paths.root, 'build', 'upstream', `binary-buildpack-${version}-src.tgz`);
  const tgz = args.source ? resolve(args.source) : existsSync(cached) ? cached : undefined;
  if (!tgz) return checkoutUpstream({ root: paths.root, repo: REPO, name: 'binary-buildpack', version });
  if (!existsSync(tgz)) throw new StepError(`--source=${args.source}: no such file (${tgz})`);
  await checkPinnedTarball(tgz, sha256, {
    mismatch: (actual) => new StepError(`${tgz}: sha256 ${actual}, but lab.lock.json pins binary-buildpack ${version} to ${sha256} (fix: use the pinned tarball, or update upstream.binary-buildpack in lab.lock.json)`),
  });
  const dir = join(tmp, 'src');
  mkdirSync(dir);
  sh('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', '--no-same-owner']);
  return dir;
}

/**
 * @param {string[]} argv
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} opts
 */
function goBuild(argv, opts) {
  try {
    go(argv, opts);
  } catch (err) {
    throw new StepError(err.message);
  }
}

/**
 * Go environment of the stack's arch: offline, vendored, static, reproducible.
 * @param {string} goarch
 * @param {string | undefined} goarm
 */
function targetEnv(goarch, goarm) {
  return goEnv({ GOOS: 'linux', GOARCH: goarch, ...(goarm ? { GOARM: goarm } : {}), CGO_ENABLED: '0', GOFLAGS: '-mod=vendor -buildvcs=false', GOPROXY: 'off', GOWORK: 'off' });
}

await step({
  name: 'build-buildpack',
  args: {
    ...PLAN_ARGS,
    stack: required(),
    goarch: required(),
    goarm: optional(),
    version: required(),
    sha256: required(),
    source: optional(),
    'source-date-epoch': optional(),
  },
  logLabel: (args) => `[build-buildpack ${args.stack}]`,
  main: async ({ args, paths, log }) => {
    const { stack, goarch, goarm, version, sha256 } = args;
    const epoch = Number(args['source-date-epoch'] ?? 1747699200);
    const goarches = Object.values(CELL_ARCHES).map((f) => String(f.goarch));
    if (!goarches.includes(goarch)) throw new StepError(`--goarch must be one of ${goarches.join(', ')}, not ${goarch}`);
    const zipName = OUTPUT_FILES.buildpackZip(stack, version);

    await atomicOutput(paths.out, async (out) => {
      const work = join(out, '.work');
      mkdirSync(work);
      const src = await sourceTree({ paths, args, version, sha256, tmp: work });
      const manifest = /** @type {{ include_files: string[] }} */ (load(readFileSync(join(src, 'manifest.yml'), 'utf8')));
      const clis = readdirSync(join(src, 'src', 'binary'))
        .filter((d) => existsSync(join(src, 'src', 'binary', d, 'cli')))
        .sort();
      if (clis.length === 0) throw new StepError(`${src}: no src/binary/*/cli to build (is this binary-buildpack?)`);
      // go's own scratch ($WORK) inside the output's staging folder: a killed build's goes with that folder
      // on the next run, instead of staying in the temp folder as go-build*.
      const goTmp = join(work, 'go-tmp');
      mkdirSync(goTmp);
      for (const name of clis) {
        log(`go build bin/${name} (linux/${goarch}${goarm ? ` GOARM=${goarm}` : ''})`);
        rmSync(join(src, 'bin', name), { force: true }); // the shell script that compiles at staging time
        goBuild(['build', '-trimpath', '-ldflags=-s -w', '-o', join(src, 'bin', name), `./src/binary/${name}/cli`], { cwd: src, env: { ...targetEnv(goarch, goarm), GOTMPDIR: goTmp } });
      }

      // The packager writes the stack into the zip's manifest: Cloud Controller reads it to record the buildpack's stack.
      writeFileSync(join(src, 'manifest.yml'), dump({ ...manifest, include_files: manifest.include_files.filter((f) => !WINDOWS_ONLY.test(f)), stack }, { lineWidth: -1, noRefs: true }));
      const files = manifest.include_files.filter((f) => !WINDOWS_ONLY.test(f)).sort();
      for (const f of files) {
        const p = join(src, f);
        if (!existsSync(p)) throw new StepError(`${src}/manifest.yml include_files names ${f}, which the tree does not have`);
        chmodSync(p, f.startsWith('bin/') ? 0o755 : 0o644);
        utimesSync(p, epoch, epoch);
      }
      const zip = join(out, zipName);
      // -X: no uid/gid or extended-time fields; -D: no directory entries; names in sorted order from stdin; TZ fixes DOS times.
      sh('zip', ['-X', '-D', '-q', zip, '-@'], { cwd: src, input: `${files.join('\n')}\n`, env: { ...process.env, TZ: 'UTC' } });
      const zipSha = await sha256File(zip);
      writeFileSync(`${zip}.sha256`, `${zipSha}  ${zipName}\n`);
      const record = { name: NAME, stack, version, zip: zipName, sha256: zipSha, size: statSync(zip).size, goarch, ...(goarm ? { goarm: Number(goarm) } : {}), files };
      writeFileSync(join(out, 'buildpack.json'), `${JSON.stringify(record, null, 2)}\n`);
      rmSync(work, { recursive: true, force: true });
      log(`${zipName} ${record.size} bytes, sha256 ${zipSha}`);
    });
  },
});
