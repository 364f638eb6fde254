#!/usr/bin/env node
// Plan step: turn a built rootfs image into the stack tarball. Creates (never starts) a container,
// `docker export`s it, normalizes the tar (sorted, mtimes clamped, numeric owners, apt leftovers
// dropped), compresses it with `gzip -n`, and records its sha256 and the package receipt.
//
//   node pipelines/export-rootfs.mjs --out=<dir> --image=stack-elevator/rpifs:<hash> --platform=<docker platform of the arch>
//        --source-date-epoch=<n> [--stack=rpifs] [--ownership=keep|root] [--image-trigger=<sha256 the image label must carry>]
import { closeSync, existsSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import { sha256File } from './lib/step/hash.mjs';
import { dropApt, dropReason } from './lib/rootfs/rootfs-drop.mjs';
import { installedPackages } from './lib/rootfs/rootfs-receipt.mjs';
import { markVolatile } from './lib/step/receipt.mjs';
import { atomicOutput, optional, PLAN_ARGS, required, runCommand, step, StepError } from './lib/step/step.mjs';
import { normalizeTar } from './lib/rootfs/tar-normalize.mjs';
import { withDeadRunsRemoved } from './lib/docker/docker-cli.mjs';
import { OUTPUT_FILES } from '../contracts/provides.cjs';

$.verbose = false;
$.quiet = true;
const MiB = 1024 * 1024;
/**
 * The container an export creates is named `se-export-rootfs-<pid>-<time>`: one of a run killed between
 * `docker create` and `docker rm` is removed by the next export (its pid no longer runs).
 */
const CONTAINER_PREFIX = 'se-export-rootfs-';
/** Same label as IMAGE_TRIGGER_LABEL in constructs/rootfs/rootfs-image.ts. */
const TRIGGER_LABEL = 'org.stack-elevator.trigger';

/**
 * `docker export` straight into the file (the stream never passes through this process), reporting
 * progress every 50 MiB from the file's size.
 * @param {string} container
 * @param {string} file
 * @param {(msg: string) => void} log
 */
async function dockerExport(container, file, log) {
  const fd = openSync(file, 'w');
  let next = 50 * MiB;
  const size = () => (existsSync(file) ? statSync(file).size : 0);
  const timer = setInterval(() => {
    if (size() < next) return;
    log(`docker export: ${Math.floor(size() / MiB)} MiB`);
    next = (Math.floor(size() / (50 * MiB)) + 1) * 50 * MiB;
  }, 1000);
  try {
    const r = await runCommand('docker', ['export', container], { stdio: ['ignore', fd, 'pipe'] });
    if (r.code !== 0) throw new StepError(`docker export ${container} failed: ${r.stderr.trim()}`);
  } finally {
    clearInterval(timer);
    closeSync(fd);
  }
  log(`docker export: ${Math.floor(size() / MiB)} MiB in total`);
}

/** @param {string} input @param {string} output */
async function gzipN(input, output) {
  const [src, dst] = [openSync(input, 'r'), openSync(output, 'w')];
  try {
    const r = await runCommand('gzip', ['-n', '-6', '-c'], { stdio: [src, dst, 'pipe'] });
    if (r.code !== 0) throw new StepError(`gzip failed: ${r.stderr.trim()}`);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}

/**
 * The image's ID, once it is known to exist for the platform and, when the plan names one, to be the plan's build of it.
 * @param {string} image @param {string} platform @param {string | undefined} imageTrigger
 */
async function checkedImageId(image, platform, imageTrigger) {
  const inspect = await $`docker image inspect --format ${`{{.Id}}|{{.Os}}/{{.Architecture}}/{{.Variant}}|{{index .Config.Labels "${TRIGGER_LABEL}"}}`} ${image}`.nothrow();
  if (inspect.exitCode !== 0) throw new StepError(`image ${image} not found (run the build-rootfs step first)`);
  const [imageId, actual, trigger] = inspect.stdout.trim().split('|');
  if (actual.replace(/\/$/, '') !== platform) throw new StepError(`image ${image} is ${actual}, expected ${platform}`);
  // Built by the plan's docker_image: its label says which build of the plan it is.
  if (imageTrigger && trigger !== imageTrigger) {
    throw new StepError(`image ${image} carries ${TRIGGER_LABEL}=${trigger || '(none)'}, the plan expects ${imageTrigger} (run cdktf deploy, which builds it)`);
  }
  return imageId;
}

await step({
  name: 'export-rootfs',
  args: {
    ...PLAN_ARGS,
    out: required(),
    image: required(),
    platform: required(),
    'source-date-epoch': required(),
    stack: optional(),
    ownership: optional(),
    'image-trigger': optional(),
  },
  logLabel: (args) => `[export-rootfs ${args.stack ?? args.image}]`,
  main: async ({ args, paths, log }) => {
    const image = args.image;
    const platform = args.platform;
    const epoch = Number(args['source-date-epoch']);
    const ownership = args.ownership ?? 'keep';
    if (!['keep', 'root'].includes(ownership)) throw new StepError(`--ownership must be keep or root, not ${ownership}`);
    const started = Date.now();

    const imageId = await checkedImageId(image, platform, args['image-trigger']);

    await atomicOutput(paths.out, async (tmp) => {
      const raw = join(tmp, 'export.tar');
      await withDeadRunsRemoved(CONTAINER_PREFIX, 'exports', log, async (name) => {
        // `create` does not run anything, so no qemu is involved; the command is only there because the
        // image has no CMD.
        const container = (await $`docker create --name ${name} --platform ${platform} ${image} /bin/sh`).stdout.trim();
        try {
          await dockerExport(container, raw, log);
        } finally {
          await $`docker rm -f ${container}`.nothrow();
        }
      });
      log('normalizing: sorted entries, mtimes clamped, numeric owners, apt leftovers dropped');
      let lastReport = 0;
      const norm = normalizeTar(raw, join(tmp, 'rootfs.tar'), {
        epoch,
        ownership,
        drop: dropApt,
        capture: ['var/lib/dpkg/status'],
        onProgress: (done, total) => {
          if (done - lastReport >= 5000 || done === total) {
            lastReport = done;
            log(`normalize: ${done}/${total} entries`);
          }
        },
      });
      unlinkSync(raw);
      log(`compressing with gzip -n`);
      await gzipN(join(tmp, 'rootfs.tar'), join(tmp, OUTPUT_FILES.rootfsTarball));
      unlinkSync(join(tmp, 'rootfs.tar'));
      const sha256 = await sha256File(join(tmp, OUTPUT_FILES.rootfsTarball));
      const size = statSync(join(tmp, OUTPUT_FILES.rootfsTarball)).size;
      const pkgs = installedPackages(norm.captured['var/lib/dpkg/status']?.toString('utf8') ?? '');
      writeFileSync(join(tmp, `${OUTPUT_FILES.rootfsTarball}.sha256`), `${sha256}  ${OUTPUT_FILES.rootfsTarball}\n`);
      writeFileSync(join(tmp, 'receipt.txt'), pkgs.map((p) => `${p.name} ${p.version} ${p.arch}\n`).join(''));
      // The shape lab.lock.json's rootfs.<stack>.packages takes, to pin a rebuild to these versions.
      writeFileSync(join(tmp, 'packages.lock.json'), `${JSON.stringify({ packages: Object.fromEntries(pkgs.map((p) => [p.name, p.version])) }, null, 2)}\n`);
      writeFileSync(join(tmp, 'dropped.txt'), norm.dropped.map((p) => `${p}\t${dropReason(p, { type: '0' }) ?? ''}\n`).join(''));
      const record = { stack: args.stack ?? null, image, imageId, platform, sha256, size, tarSha256: norm.sha256, tarBytes: norm.bytes, entries: norm.entries, dropped: norm.dropped.length, packages: pkgs.length, sourceDateEpoch: epoch, ownership };
      writeFileSync(join(tmp, 'rootfs.json'), `${JSON.stringify(record, null, 2)}\n`);
      // Docker image IDs carry a creation time: a record, not part of what a rebuild must reproduce.
      markVolatile(tmp, ['rootfs.json']);
      log(`rootfs.tgz ${(size / MiB).toFixed(1)} MiB, ${norm.entries} entries, ${norm.dropped.length} dropped, ${pkgs.length} packages, sha256 ${sha256}`);
    });
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
});
