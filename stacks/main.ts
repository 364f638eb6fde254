import { upstreamDirOf } from '../contracts/upstream-dir.cjs';
import { LabError } from '../lab/errors';
import { runCli } from './cli';
import { findProjectRoot } from './project-root';
import { synthLab } from './synth';

/**
 * App entry for `npm run synth` and `cdktf synth`: synthesizes the lab named by STACK_ELEVATOR_LAB
 * (default: the embedded lab.yaml) into CDKTF_OUTDIR (default: cdktf.out).
 */
function main(): void {
  const projectRoot = findProjectRoot(__dirname);
  const labFile = process.env.STACK_ELEVATOR_LAB ?? 'lab.yaml';
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const scope = process.env.STACK_ELEVATOR_SCOPE ?? 'all';
  if (scope !== 'all' && scope !== 'artifacts') {
    throw new LabError('environment', 'STACK_ELEVATOR_SCOPE', `'${scope}'`, "'all' (default) or 'artifacts'");
  }
  const result = synthLab({ projectRoot, labFile, outdir, upstreamDir: upstreamDirOf(projectRoot, process.env), artifactsOnly: scope === 'artifacts' });
  process.stdout.write(`synthesized lab ${labFile} -> ${outdir}/stacks/${result.stackName}\n`);
}

runCli(main);
