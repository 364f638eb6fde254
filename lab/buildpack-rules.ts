import type { LabDocument } from './schema';
import type { RuleViolation } from './rules';

/**
 * Names upstream cf-deployment already gives the binary buildpack's release, job and packages on the
 * `api` instance group: an ARM buildpack under one of them would collide there.
 */
const UPSTREAM_BUILDPACK_NAMES = new Set(['binary-buildpack', 'binary-buildpack-cflinuxfs4', 'binary-buildpack-cflinuxfs3', 'binary-buildpack-windows']);

/** binary-buildpack-<stack> unless the stack names another (mirrors lab/model.ts buildpackPackageFor on the raw document). */
const packageOf = (s: LabDocument['stacks'][number]): string => s.buildpack_package ?? `binary-buildpack-${s.name}`;

/**
 * Each ARM stack's buildpack becomes a BOSH release, package and job on the `api` instance group: two
 * stacks with one name would overwrite each other there, and upstream's names are taken.
 */
export function checkBuildpackPackages(doc: LabDocument, out: RuleViolation[]): void {
  const first = new Map<string, number>();
  doc.stacks.forEach((s, i) => {
    const pkg = packageOf(s);
    const path = s.buildpack_package !== undefined ? ['stacks', i, 'buildpack_package'] : ['stacks', i, 'name'];
    const prev = first.get(pkg);
    if (prev !== undefined) {
      out.push({ path, found: `'${pkg}', the buildpack package of stacks[${prev}] (${doc.stacks[prev].name}) too`, expected: 'one buildpack package name per stack: Cloud Controller installs each stack\'s buildpack from its own package', fix: `give stacks[${i}] its own buildpack_package, or drop it to use binary-buildpack-${s.name}` });
    } else first.set(pkg, i);
    if (UPSTREAM_BUILDPACK_NAMES.has(pkg)) {
      out.push({ path, found: `'${pkg}'`, expected: 'a buildpack package name cf-deployment does not already use (its binary-buildpack release ships binary-buildpack, -cflinuxfs4, -windows)', fix: `use binary-buildpack-${s.name}` });
    }
  });
}
