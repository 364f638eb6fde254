import type { LabContext } from '../context';
import type { DiegoPart } from './diego';
import type { RootfsPart } from './rootfs';

/** BOSH manifests, ops-files, consistency check and director steps. (Owned by the manifests work, issue 6.) */
export function addManifests(_ctx: LabContext, _rootfs: ReadonlyMap<string, RootfsPart>, _diego: DiegoPart): void {}
