import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DeploymentSummary, summarizeDeployment } from '../../constructs/bosh/deployment-summary';
import type { SynthTree } from './plan-diff';

/** Manifests a plan may carry as artifacts: what older plans (without `deployments`) are summarized from. */
const MANIFEST_ARTIFACTS = ['bosh/cells/manifest.yml', 'bosh/control-plane/manifest.yml'];

/** The deployment summaries of a synthesized plan: from plan.json, else from its manifest artifacts. */
export function deploymentsOf(tree: SynthTree, stackDir: string): readonly DeploymentSummary[] {
  if (tree.deployments) return tree.deployments;
  return MANIFEST_ARTIFACTS.map((p) => join(stackDir, 'artifacts', p))
    .filter((f) => existsSync(f))
    .map((f) => load(readFileSync(f, 'utf8')) as { name?: unknown })
    .map((doc) => summarizeDeployment(String(doc?.name), doc));
}
