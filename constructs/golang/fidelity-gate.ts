import { Construct } from 'constructs';
import { load } from 'js-yaml';
import { ArtifactStore } from '../plan/artifacts';
import { ROOT_TOKEN } from '../plan/plan-graph';
import { PlanStep } from '../plan/plan-step';
import type { SourcePin } from './cross-compile-step';
import { GoPackageError } from './errors';
import { DEFAULT_MODULE_DIR } from './go-cross-compiled-package';
import type { FidelityPlan } from '../../contracts/go-build-plan';
export type { FidelityPlan };

export interface FidelityGateProps {
  readonly release: string;
  readonly arch: string;
  /**
   * GOARM of the lab's cells of this arch.
   * @default undefined (the arch table's, contracts/arches.cjs)
   */
  readonly goarm?: number;
  readonly upstream: SourcePin;
  /** Source modules the plan cross-compiles for the arch (e.g. healthcheck, diego-ssh, rep). */
  readonly roots: readonly string[];
  /** Checked-in expectations file, relative to the project root, and its text. */
  readonly expectations: { readonly path: string; readonly text: string };
  /** @default undefined (no --upstream-dir: the step clones the pinned tag) */
  readonly upstreamDir?: string;
  /** @default DEFAULT_MODULE_DIR */
  readonly moduleDir?: string;
  /**
   * Patches the release variant applies (name and text); the test binaries build with them (go -overlay).
   * @default []
   */
  readonly patches?: readonly { readonly file: string; readonly text: string }[];
  /** The compile steps of the same sources: the gate shares their pins and their Go build cache. */
  readonly after: readonly PlanStep[];
}

/**
 * The fidelity gate of one (release, arch): a plan step that runs the upstream unit tests of every package
 * the plan cross-compiles for the arch, built for the arch and run under qemu, and compares them with amd64
 * (pipelines/fidelity.mjs, docs/fidelity.md). Its id ends in `-test`; the receipt, and so every upload, comes after it.
 */
export class FidelityGate extends Construct {
  readonly step: PlanStep;

  constructor(scope: Construct, id: string, props: FidelityGateProps) {
    super(scope, id);
    if (props.roots.length === 0) throw new GoPackageError(this.node.path, 'roots', 'an empty list', 'the source modules of the packages built for the arch');
    checkExpectations(props.expectations.path, props.expectations.text);
    const store = ArtifactStore.of(this);
    const dir = `fidelity/${props.release}/${props.arch}`;
    const plan: FidelityPlan = {
      release: props.release,
      arch: props.arch,
      ...(props.goarm !== undefined ? { goarm: props.goarm } : {}),
      moduleDir: props.moduleDir ?? DEFAULT_MODULE_DIR,
      roots: [...new Set(props.roots)].sort(),
      upstream: {
        ...props.upstream,
        submodules: props.upstream.submodules
          ? Object.fromEntries(Object.entries(props.upstream.submodules).filter(([k]) => props.roots.includes(k)).sort(([a], [b]) => (a < b ? -1 : 1)))
          : undefined,
      },
      expectationsSource: props.expectations.path,
    };
    const patches = (props.patches ?? []).map((p) => store.add(`${dir}/patches/${p.file}`, p.text));
    if (patches.length > 0) (plan as { patches?: readonly string[] }).patches = patches;
    const planFile = store.add(`${dir}/plan.json`, `${JSON.stringify(plan, null, 2)}\n`);
    const expectationsFile = store.add(`${dir}/expectations.yml`, props.expectations.text);
    this.step = new PlanStep(this, 'test', {
      script: 'fidelity',
      description: `run the upstream unit tests of ${plan.roots.join(', ')} built for ${props.arch} under qemu, compared with amd64`,
      args: { plan: planFile, expectations: expectationsFile, ...(props.upstreamDir !== undefined ? { 'upstream-dir': `${ROOT_TOKEN}/${props.upstreamDir}` } : {}) },
      locationArgs: ['upstream-dir'],
      inputs: [planFile, expectationsFile, ...patches],
      dependsOn: props.after,
      needs: ['go', 'qemu'],
    });
  }
}

/** The expectations file at synth: a list of entries with a one-line reason each (the step checks them against the runs). */
function checkExpectations(file: string, text: string): void {
  let doc: unknown;
  try {
    doc = load(text) ?? {};
  } catch (err) {
    throw new GoPackageError(file, '(file)', `not YAML: ${(err as Error).message.split('\n')[0]}`, 'a YAML mapping', 'fix the YAML syntax');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new GoPackageError(file, '(file)', typeof doc, 'a mapping with out_of_scope and both_fail', 'see docs/fidelity.md');
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!['out_of_scope', 'both_fail', 'emulation'].includes(key)) throw new GoPackageError(file, key, 'an unknown key', 'out_of_scope, both_fail or emulation', `remove ${key}`);
  }
  for (const [key, fields] of [['out_of_scope', ['suite', 'reason']], ['both_fail', ['suite', 'test', 'reason']], ['emulation', ['suite', 'test', 'reason']]] as const) {
    const list = d[key] ?? [];
    if (!Array.isArray(list)) throw new GoPackageError(file, key, typeof list, 'a list', `make ${key} a YAML list`);
    list.forEach((e: Record<string, unknown>, i: number) => {
      for (const f of fields) {
        const v = e?.[f];
        if (typeof v !== 'string' || v.trim() === '' || (f === 'reason' && v.includes('\n'))) {
          throw new GoPackageError(file, `${key}[${i}].${f}`, v === undefined ? 'nothing' : JSON.stringify(v), f === 'reason' ? 'a one-line reason' : 'a non-empty string', `give the entry its ${f}`);
        }
      }
    });
  }
}
