// What a cross-compile step takes from earlier steps: the install dirs of the packages they built.
import { existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StepError } from '../step/step.mjs';

/**
 * Makes `view/<package>` point at each package an earlier step installed, so a packaging script that
 * reads `${BOSH_PACKAGES_DIR}/<dependency>/...` finds it as it would under /var/vcap/packages.
 * @param {string} root project root (step outputs are relative to it)
 * @param {readonly import('../../../contracts/go-build-plan.ts').CompilePlanStepInput[]} fromSteps from the build plan
 * @param {string} view
 */
export function linkEarlierPackages(root, fromSteps, view) {
  mkdirSync(view, { recursive: true });
  for (const s of fromSteps) {
    for (const name of s.packages) {
      const dir = join(root, s.out, 'packages', name);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new StepError(`package ${name} comes from step ${s.step}, whose output ${s.out}/packages/${name} does not exist: run that step first (a deploy runs it before this one)`);
      }
      symlinkSync(dir, join(view, name));
    }
  }
}
