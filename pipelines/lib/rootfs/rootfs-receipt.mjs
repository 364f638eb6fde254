// The stack's package receipt, read from the exported rootfs rather than by running the image.

/**
 * Installed packages from /var/lib/dpkg/status: the stack's receipt, sorted by name.
 * @param {string} statusText
 */
export function installedPackages(statusText) {
  const pkgs = [];
  for (const stanza of statusText.split(/\n\n+/)) {
    const f = Object.fromEntries([...stanza.matchAll(/^([A-Za-z-]+): (.*)$/gm)].map((m) => [m[1], m[2]]));
    if (f.Package && /install ok installed/.test(f.Status ?? '')) pkgs.push({ name: f.Package, version: f.Version, arch: f.Architecture });
  }
  return pkgs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
