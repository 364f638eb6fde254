import type { CcPlace, RepPlace } from './manifest-scan';
import { ccPlaces, describePlace, repPlaces } from './manifest-scan';

export interface DeploymentDoc {
  readonly deployment: string;
  /** The manifest as the director will see it (ops already applied). */
  readonly doc: unknown;
}

export interface ConsistencyInput {
  /** The deployment that runs the Cloud Controller (and possibly x86 cells). */
  readonly controlPlane: DeploymentDoc;
  /** Further deployments with cells (the Pi cells). */
  readonly cells: readonly DeploymentDoc[];
  /** URL paths (`<package>/<bundle>.tgz`) the control plane's file_server serves. */
  readonly servedBundles: readonly string[];
  /** Release of that file_server, for messages. */
  readonly fileServerRelease: string;
}

export type ViolationKind = 'stack-not-advertised' | 'stack-unknown-to-cc' | 'bundle-not-served' | 'stack-not-wired';

export interface Violation {
  readonly kind: ViolationKind;
  readonly stack: string;
  readonly message: string;
}

/**
 * The check an operator otherwise does by reading the control-plane and cell manifests side by side:
 * each stack the Cloud Controller offers has a cell that advertises it, each stack a cell advertises is
 * one the Cloud Controller knows, each lifecycle bundle the Cloud Controller points at is served, and
 * each stack has its bundle and droplet destination in every job that configures them. Every message
 * names both sides, so the fix is obvious from either end.
 */
export function checkConsistency(input: ConsistencyInput): Violation[] {
  const cp = input.controlPlane;
  const cc = ccPlaces(cp.doc);
  const reps: Array<{ deployment: string; place: RepPlace }> = [cp, ...input.cells].flatMap((d) => repPlaces(d.doc).map((place) => ({ deployment: d.deployment, place })));
  const stackPlaces = cc.filter((p) => p.stacks);
  const ccStacks = [...new Set(stackPlaces.flatMap((p) => p.stacks!.map((s) => s.name)))].sort();
  const ccSide = stackPlaces.length > 0 ? stackPlaces.map((p) => describePlace(p, cp.deployment)).join(', ') : `${cp.deployment} (no job sets cc.stacks)`;
  const deployments = [cp, ...input.cells].map((d) => d.deployment).join(', ');
  const out: Violation[] = [];

  for (const stack of ccStacks) {
    const live = reps.filter(({ place }) => place.instances > 0 && place.rootfses.some((r) => r.stack === stack));
    if (live.length === 0) {
      out.push({
        kind: 'stack-not-advertised',
        stack,
        message: `stack ${stack} is in cc.stacks (${ccSide}) but no cell advertises it: no rep with instances in deployments ${deployments} lists ${stack} in diego.rep.preloaded_rootfses`,
      });
    }
  }

  for (const { deployment, place } of reps) {
    for (const { stack } of place.rootfses) {
      if (ccStacks.includes(stack)) continue;
      out.push({
        kind: 'stack-unknown-to-cc',
        stack,
        message: `cell ${describePlace(place, deployment)} advertises stack ${stack} in diego.rep.preloaded_rootfses, but the Cloud Controller (${ccSide}) does not know it: cc.stacks is [${ccStacks.join(', ')}]`,
      });
    }
  }

  const served = new Set(input.servedBundles);
  for (const place of cc) {
    for (const [key, path] of Object.entries(place.lifecycleBundles ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (served.has(path)) continue;
      out.push({
        kind: 'bundle-not-served',
        stack: key.includes('/') ? key.slice(key.indexOf('/') + 1) : key,
        message: `lifecycle bundle ${key}: ${path} (cc.diego.lifecycle_bundles of ${describePlace(place, cp.deployment)}) is not served by the file_server of release ${input.fileServerRelease}, which serves [${[...served].sort().join(', ')}]`,
      });
    }
  }

  for (const stack of ccStacks) out.push(...halfWired(stack, cc, cp.deployment, ccSide));
  return out;
}

/** A stack the Cloud Controller lists but a job lacks the bundle or destination for: stages, then fails. */
function halfWired(stack: string, cc: readonly CcPlace[], deployment: string, ccSide: string): Violation[] {
  const out: Violation[] = [];
  for (const place of cc) {
    const missing: string[] = [];
    if (place.lifecycleBundles && !(`buildpack/${stack}` in place.lifecycleBundles)) missing.push(`cc.diego.lifecycle_bundles["buildpack/${stack}"]`);
    if (place.dropletDestinations && !(stack in place.dropletDestinations)) missing.push(`cc.diego.droplet_destinations["${stack}"]`);
    if (missing.length === 0) continue;
    out.push({
      kind: 'stack-not-wired',
      stack,
      message: `stack ${stack} is in cc.stacks (${ccSide}) but ${describePlace(place, deployment)} has no ${missing.join(' or ')}`,
    });
  }
  return out;
}
