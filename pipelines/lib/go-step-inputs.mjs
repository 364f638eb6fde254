// What a cross-compile step takes from outside its build plan before it builds anything: the module
// pins it must have, and the install dirs of packages that earlier steps built.
import { existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one-line refusal of a step whose pins are missing: which packages cannot be built, which module
 * versions the lock lacks, and what to add. Thrown before any download, so it is fast and certain.
 * @param plan build plan with missingPins { lockFile, modules, matching? } and packages [{ name }]
 */
export function missingPinsMessage(plan) {
  const { lockFile, modules, matching } = plan.missingPins;
  const names = plan.packages.map((p) => p.name).join(', ');
  return (
    `cannot build ${names}: ${lockFile} goModules has no pinned version for ${modules.join(', ')} ` +
    `(fix: add "<module>": "<version>" to goModules in ${lockFile}${matching ? `, the versions ${matching} builds` : ''}; ` +
    'the Go module proxy must serve each one, see docs/pins.md)'
  );
}

/**
 * Makes `view/<package>` point at each package an earlier step installed, so a packaging script that
 * reads `${BOSH_PACKAGES_DIR}/<dependency>/...` finds it as it would under /var/vcap/packages.
 * @param root project root (step outputs are relative to it)
 * @param fromSteps [{ step, out, packages: [name] }] from the build plan
 */
export function linkEarlierPackages(root, fromSteps, view) {
  mkdirSync(view, { recursive: true });
  for (const s of fromSteps) {
    for (const name of s.packages) {
      const dir = join(root, s.out, 'packages', name);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new Error(`package ${name} comes from step ${s.step}, whose output ${s.out}/packages/${name} does not exist: run that step first (a deploy runs it before this one)`);
      }
      symlinkSync(dir, join(view, name));
    }
  }
}
