// npm run bench, try-app section: stage time and start-to-healthy time of the sample app under qemu,
// on the rootfs, lifecycle bundle and buildpack the plan built (or BENCH_TRY_APP_ARGS, e.g.
// "--rootfs=<tgz> --bundle=<tgz> --buildpack-zip=<zip>"). The sample app is built for the stack here.
// child_process needed: a timed command starts directly, with no shell in between to add to its time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cellArch, goEnv } from '../../../contracts/arches.cjs';


/**
 * Seconds of each "phase n/4 ...: passed in X s" line try-app printed.
 * @param {string} stdout
 * @returns {Record<string, number>}
 */
export function phaseSeconds(stdout) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const m of stdout.matchAll(/^\[try-app\] phase (\d)\/4 .*: passed in ([\d.]+) s$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** @param {string} root */
export function benchTryApp(root, arch = process.env.BENCH_TRY_APP_ARCH ?? 'armhf') {
  const runs = Number(process.env.BENCH_TRY_APP_RUNS ?? 1);
  const app = join(root, 'build', 'bench-try-app', 'app');
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', ...goEnv(cellArch(arch)), GOPROXY: 'off', GOFLAGS: '-mod=mod', GOWORK: 'off', GOTOOLCHAIN: 'local' };
  const build = spawnSync('go', ['build', '-trimpath', '-buildvcs=false', '-o', join(app, 'hello-arm'), '.'], { cwd: join(root, 'examples', 'hello-arm'), env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building examples/hello-arm failed:\n${build.stderr}`);
  const extra = (process.env.BENCH_TRY_APP_ARGS ?? '').split(' ').filter(Boolean);
  process.stdout.write(`try-app of examples/hello-arm under qemu (${arch}), ${runs} run(s)\n`);
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [join(root, 'pipelines', 'try-app.mjs'), app, '--start-command=./hello-arm', ...extra], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      process.stdout.write(`try-app did not pass, no numbers: ${r.stderr.trim()}\n`);
      return;
    }
    const s = phaseSeconds(r.stdout);
    process.stdout.write(`${'stage (builder + binary buildpack)'.padEnd(44)} ${s[1].toFixed(1)} s\n`);
    process.stdout.write(`${'start to healthy (launcher + healthcheck)'.padEnd(44)} ${(s[2] + s[3]).toFixed(1)} s\n`);
    process.stdout.write(`${'ssh session through diego-sshd'.padEnd(44)} ${s[4].toFixed(1)} s\n`);
  }
}
