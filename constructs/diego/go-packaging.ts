import type { GoBinary } from '../golang';

/** An upstream Go package the cell variant rebuilds for the cells' arch, and what it installs. */
export interface GoPackageBuild {
  readonly package: string;
  readonly binaries: readonly GoBinary[];
  /**
   * Directory under BOSH_INSTALL_TARGET the binaries go to; upstream job templates expect these exact paths.
   * @default undefined (the top of BOSH_INSTALL_TARGET)
   */
  readonly installDir?: string;
}

/**
 * The Go packages of upstream's rep and route_emitter closure and what their upstream packaging
 * installs (diego-release packages/<p>/packaging): rep installs bin/rep and bin/gocurl, route_emitter
 * bin/route-emitter, certsplitter bin/certsplitter, healthcheck a top-level `healthcheck` (the Windows
 * .exe variants upstream also builds are of no use on a Pi).
 */
export const CELL_GO_PACKAGES: readonly GoPackageBuild[] = [
  { package: 'certsplitter', installDir: 'bin', binaries: [{ name: 'certsplitter', importPath: 'code.cloudfoundry.org/certsplitter/cmd/certsplitter' }] },
  { package: 'healthcheck', binaries: [{ name: 'healthcheck', importPath: 'code.cloudfoundry.org/healthcheck/cmd/healthcheck' }] },
  {
    package: 'rep',
    installDir: 'bin',
    binaries: [
      { name: 'rep', importPath: 'code.cloudfoundry.org/rep/cmd/rep' },
      { name: 'gocurl', importPath: 'code.cloudfoundry.org/rep/cmd/gocurl' },
    ],
  },
  { package: 'route_emitter', installDir: 'bin', binaries: [{ name: 'route-emitter', importPath: 'code.cloudfoundry.org/route-emitter/cmd/route-emitter' }] },
];
