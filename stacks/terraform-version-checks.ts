import type { IConstruct } from 'constructs';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';

/**
 * cdktf adds a `terraform version` check to every terraform_data resource it constructs, and runs each
 * at synth: one process per plan step, most of a synth's time, and a synth that fails on a machine
 * without terraform (a preview in CI). Synthesis only writes JSON; the steps that run terraform check
 * their tools when they run (pipelines/run-step.mjs). So these checks are dropped before the synth;
 * every other validation still runs. Returns how many were dropped.
 */
export function dropTerraformVersionChecks(root: IConstruct): number {
  let dropped = 0;
  for (const c of root.node.findAll()) {
    // constructs keeps a node's validations in this array (constructs 10.x); when it is absent, nothing is dropped.
    const list = (c.node as unknown as { _validations?: unknown[] })._validations;
    if (!Array.isArray(list)) continue;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] instanceof ValidateBinaryVersion) {
        list.splice(i, 1);
        dropped++;
      }
    }
  }
  return dropped;
}
