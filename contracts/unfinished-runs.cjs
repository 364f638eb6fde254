// @ts-check
'use strict';
// A deploy killed while a step runs leaves Terraform's state saying the step was created: Terraform
// records a resource before its local-exec runs and persists its state as it goes. The next deploy would
// then not run that step, and the steps after it would find no output. So run-step counts a step's runs
// that started and did not finish, in a file the plan reads when Terraform plans (each step's
// triggers_replace holds the count): a killed or failed run leaves the count one higher, and Terraform
// replaces the step. A run that finishes brings the count back to what the plan read, so an unchanged plan
// stays "No changes". docs/crash-consistency.md.

/**
 * The count's file, relative to the project root: beside the step's content-addressed output.
 * @param {string} stepId @param {string} trigger the step's full trigger (sha256 hex)
 */
function unfinishedRunsFile(stepId, trigger) {
  return `build/${stepId}/.unfinished-${trigger.slice(0, 16)}`;
}

/**
 * The Terraform expression of the count as the plan reads it ("0" when no run is unfinished).
 * @param {string} root the project root as Terraform's working directory sees it
 * @param {string} stepId @param {string} trigger
 */
function unfinishedRunsExpression(root, stepId, trigger) {
  return `\${try(trimspace(file("${root}/${unfinishedRunsFile(stepId, trigger)}")), "0")}`;
}

module.exports = { unfinishedRunsFile, unfinishedRunsExpression };
