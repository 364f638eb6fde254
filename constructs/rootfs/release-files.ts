import { preloadedRootfsPath } from '../../lab/model';

export interface RootfsReleaseFilesSpec {
  /** Release and package name: the lab's stack name, as cflinuxfs4-release is named after its stack. */
  readonly stack: string;
  readonly jobName: string;
  /** Name of the job property holding extra CAs, e.g. rpifs-rootfs.trusted_certs. */
  readonly certsProperty: string;
}

export interface ReleaseFile {
  readonly content: string;
  readonly mode: 0o644 | 0o755;
}

/** Where the blob lives inside the release (`bosh add-blob <tarball> <this>`), glob of the package spec. */
export function rootfsBlobPath(stack: string, version: string): string {
  return `rootfs/${stack}-${version}.tar.gz`;
}

/**
 * The release directory, shaped like cflinuxfs4-release: package `<stack>` holding the tarball blob,
 * job `<stack>-rootfs-setup` whose pre-start installs rootfs.tar with the trusted CAs. Upstream splits
 * certificates with a Go package (certsplitter); awk does the same here, so the release needs no
 * compiler on the ARM compile VMs.
 */
export function renderRootfsReleaseFiles(spec: RootfsReleaseFilesSpec): Map<string, ReleaseFile> {
  const { stack, jobName, certsProperty } = spec;
  const files = new Map<string, ReleaseFile>();
  const add = (path: string, content: string, mode: 0o644 | 0o755 = 0o644): void => {
    files.set(path, { content, mode });
  };
  add('config/final.yml', `---\nfinal_name: ${stack}\n`);
  add('config/blobs.yml', '--- {}\n');
  add(
    `packages/${stack}/spec`,
    ['---', `name: ${stack}`, 'files:', `- ${rootfsBlobPath(stack, '*')}`, ''].join('\n'),
  );
  add(
    `packages/${stack}/packaging`,
    [
      '# The blob already is the normalized rootfs tarball: install it as it is; the pre-start unpacks it.',
      'set -euo pipefail',
      `cp ${rootfsBlobPath(stack, '*')} "\${BOSH_INSTALL_TARGET}/${stack}.tar.gz"`,
      '',
    ].join('\n'),
  );
  add(
    `jobs/${jobName}/spec`,
    [
      '---',
      `name: ${jobName}`,
      `description: Installs the ${stack} root filesystem at ${preloadedRootfsPath(stack)} (what diego.rep.preloaded_rootfses names) with the trusted CAs added.`,
      '',
      'templates:',
      '  pre-start.sh: bin/pre-start',
      '  trusted_ca.crt.erb: config/certs/trusted_ca.crt',
      '',
      'packages:',
      `- ${stack}`,
      '',
      'properties:',
      `  ${certsProperty}:`,
      '    description: "Array or concatenation of PEM-encoded CA certificates to add to the rootfs trust store."',
      '    default: ""',
      '',
    ].join('\n'),
  );
  add(`jobs/${jobName}/monit`, '');
  add(
    `jobs/${jobName}/templates/trusted_ca.crt.erb`,
    [
      '<%',
      `  certs = p('${certsProperty}')`,
      '  certs = certs.join("\\n") if certs.is_a?(Array)',
      '-%>',
      '<%= certs %>',
      '',
    ].join('\n'),
  );
  add(`jobs/${jobName}/templates/pre-start.sh`, renderPreStart(stack, jobName));
  return files;
}

/**
 * Rebuilt on every start (not only the first): trusted_certs can change between deploys, and a CA that
 * was removed from the property must leave the trust store too. VCAP_ROOT exists for tests.
 */
export function renderPreStart(stack: string, jobName: string): string {
  const rootfsTar = preloadedRootfsPath(stack);
  return [
    '#!/bin/bash',
    `# Installs ${rootfsTar} for Garden from the ${stack} package, with the job's trusted CAs added.`,
    'set -euo pipefail',
    'VCAP_ROOT="${VCAP_ROOT:-/var/vcap}"',
    `pkg="$VCAP_ROOT/packages/${stack}"`,
    `certs_file="$VCAP_ROOT/jobs/${jobName}/config/certs/trusted_ca.crt"`,
    'work="$pkg/rootfs.work"',
    'rm -rf "$work" "$pkg/rootfs.tar.tmp"',
    'mkdir -p "$work"',
    'trap \'rm -rf "$work" "$pkg/rootfs.tar.tmp"\' EXIT',
    'echo "unpacking the rootfs"',
    `tar -xzpf "$pkg/${stack}.tar.gz" --numeric-owner -C "$work"`,
    'certs_dir="$work/usr/local/share/ca-certificates/bosh-trusted"',
    'rm -rf "$certs_dir"',
    'mkdir -p "$certs_dir"',
    '# One file per certificate: update-ca-certificates only reads the first one of a bundle.',
    'awk -v dir="$certs_dir" \'',
    '  /-----BEGIN CERTIFICATE-----/ { n++; out = sprintf("%s/trusted-ca-%03d.crt", dir, n); inside = 1 }',
    '  inside { print > out }',
    '  /-----END CERTIFICATE-----/ { inside = 0; close(out) }',
    '\' "$certs_file"',
    'count=$(find "$certs_dir" -name "*.crt" | wc -l)',
    'if [ "$count" -gt 0 ]; then',
    '  echo "adding $count trusted CA certificate(s) to the rootfs trust store"',
    '  timeout --signal=KILL 120 chroot "$work" /usr/sbin/update-ca-certificates',
    'fi',
    'tar -cf "$pkg/rootfs.tar.tmp" --numeric-owner -C "$work" .',
    'mv -f "$pkg/rootfs.tar.tmp" "$pkg/rootfs.tar"',
    `echo "installed ${rootfsTar}"`,
    '',
  ].join('\n');
}
