import { InputError } from '../../lab/errors';
import { describeValue } from '../../lab/schema-wording';

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
  const path = `rootfs.${stack}.packages`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw InputError.inLock(path, describeValue(raw), 'a mapping of package name to version', PIN_FIX);
  }
  const pins: Record<string, string> = {};
  for (const [name, version] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof version !== 'string' || !/^[A-Za-z0-9.+~:-]+$/.test(version)) {
      throw InputError.inLock(`${path}.${name}`, describeValue(version), 'a Debian version string like 5.2.15-2+b2', PIN_FIX);
    }
    pins[name] = version;
  }
  return pins;
}

const PIN_FIX = 'restore lab.lock.json from git, or rebuild the stack to record its package versions again';
