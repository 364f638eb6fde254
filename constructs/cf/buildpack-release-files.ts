import type { ReleaseFile } from '../rootfs/release-files';

export interface BuildpackReleaseFilesSpec {
  /** Release, package and job name, e.g. binary-buildpack-rpifs. */
  readonly name: string;
  /** The stack the zip's manifest names (Cloud Controller records the buildpack for it). */
  readonly stack: string;
}

/** Folder of the zip inside the release's blobs, as upstream's `binary-buildpack/binary-buildpack-cflinuxfs4-v*.zip`. */
export const BUILDPACK_BLOB_DIR = 'binary-buildpack';

/** Where the zip lives in the release (`bosh add-blob <zip> <this>`); `*` for the version gives the package spec's glob. */
export function buildpackBlobPath(stack: string, version: string): string {
  return `${BUILDPACK_BLOB_DIR}/binary_buildpack-${stack}-${version}.zip`;
}

/**
 * A release laid out as cloudfoundry/binary-buildpack-release is: one package holding the buildpack zip
 * (its packaging only copies the zip into BOSH_INSTALL_TARGET, so it compiles anywhere, the x86
 * director included), and one job with no templates whose spec names the package, so that the package
 * lands at /var/vcap/packages/<name>/, where cloud_controller_ng's `install_buildpacks` `package:`
 * entry looks for the zip.
 */
export function renderBuildpackReleaseFiles(spec: BuildpackReleaseFilesSpec): Map<string, ReleaseFile> {
  const { name, stack } = spec;
  const files = new Map<string, ReleaseFile>();
  const add = (path: string, content: string): void => {
    files.set(path, { content, mode: 0o644 });
  };
  add('config/final.yml', `---\nfinal_name: ${name}\n`);
  add('config/blobs.yml', '--- {}\n');
  add(`packages/${name}/spec`, ['---', `name: ${name}`, 'files:', `- ${buildpackBlobPath(stack, '*')}`, ''].join('\n'));
  add(
    `packages/${name}/packaging`,
    ['# The ARM binary buildpack zip, as built and tried by the plan: installed as it is.', 'set -euo pipefail', `cp ${buildpackBlobPath(stack, '*')} "\${BOSH_INSTALL_TARGET}/"`, ''].join('\n'),
  );
  add(
    `jobs/${name}/spec`,
    ['---', `name: ${name}`, `description: Places the ${stack} binary buildpack zip in /var/vcap/packages/${name}/ for cloud_controller_ng's cc.install_buildpacks.`, 'templates: {}', '', 'packages:', `- ${name}`, '', 'properties: {}', ''].join('\n'),
  );
  add(`jobs/${name}/monit`, '');
  return files;
}
