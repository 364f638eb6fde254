/**
 * Applies version pins from lab.lock.json (rootfs.<stack>.packages: name -> version) to a package list,
 * so a rebuild months later asks apt for the same versions. Unpinned names pass through unchanged.
 */
export function pinPackages(packages: readonly string[], pins: Readonly<Record<string, string>> = {}): string[] {
  return [...packages].sort().map((p) => (pins[p] ? `${p}=${pins[p]}` : p));
}

/** Reads the pins of one stack out of the lock's free-form rootfs section; absent means no pins. */
export function pinsFromLock(stack: string, section: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const raw = section?.packages;
  if (raw === undefined) return {};
  const where = `lab.lock.json rootfs.${stack}.packages`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where}: expected an object of package name -> version`);
  const pins: Record<string, string> = {};
  for (const [name, version] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof version !== 'string' || !/^[A-Za-z0-9.+~:-]+$/.test(version)) {
      throw new Error(`${where}.${name}: found ${JSON.stringify(version)}, expected a Debian version string`);
    }
    pins[name] = version;
  }
  return pins;
}
