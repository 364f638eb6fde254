import { Construct } from 'constructs';
import type { Arch } from '../../lab/model';
import { ROOT_TOKEN } from '../plan/plan-graph';
import { PlanStep } from '../plan/plan-step';

export interface CompiledReleaseStepProps {
  /** Release name and version: a compiled release keeps its source release's. */
  readonly name: string;
  readonly version: string;
  /** The step whose output directory holds the source release tarball (`bosh create-release --tarball`). */
  readonly source: PlanStep;
  readonly stemcell: { readonly os: string; readonly version: string; readonly arch: Arch };
  /**
   * GOARM of the emulated Go toolchain for armhf stemcells (the lowest of the cells it serves); ignored for other arches.
   * @default 7 (armhf stemcells only)
   */
  readonly goarm?: 6 | 7;
  /** mtime of every archive entry. */
  readonly sourceDateEpoch: number;
}

/**
 * A plan step running pipelines/compile-release.mjs: the source release compiled for one stemcell here,
 * each packaging script run as on a compile VM of that stemcell, so the director compiles nothing for
 * the Pi cells (BOSH would compile on VMs booted from the ARM stemcell, where no Go package runs).
 */
export class CompiledReleaseStep extends Construct {
  readonly name: string;
  readonly version: string;
  /** `<os>/<version>` the release's packages are compiled for. */
  readonly stemcell: string;
  readonly step: PlanStep;

  constructor(scope: Construct, id: string, props: CompiledReleaseStepProps) {
    super(scope, id);
    this.name = props.name;
    this.version = props.version;
    this.stemcell = `${props.stemcell.os}/${props.stemcell.version}`;
    const goarm = props.stemcell.arch === 'armhf' ? props.goarm ?? 7 : undefined;
    this.step = new PlanStep(this, 'compile', {
      script: 'compile-release',
      description: `compile ${props.name}/${props.version} for stemcell ${this.stemcell} (${props.stemcell.arch}${goarm ? `, GOARM=${goarm}` : ''})`,
      args: {
        source: `${ROOT_TOKEN}/${props.source.outDir}`,
        release: `${props.name}/${props.version}`,
        stemcell: this.stemcell,
        arch: props.stemcell.arch,
        ...(goarm ? { goarm: String(goarm) } : {}),
        epoch: String(props.sourceDateEpoch),
      },
      dependsOn: [props.source],
      needs: ['go', 'bosh'],
    });
  }
}
