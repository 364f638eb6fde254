import { upstreamDirOf } from '../contracts/upstream-dir.cjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { formatPlacement } from '../constructs/cf/placement';
import { loadLab } from '../lab/load';
import { loadLock, lockFileFor } from '../lab/load-lock';
import { LabStack } from './lab-stack';
import { LabManifests } from './parts/manifests';
import { runCli } from './cli';
import { findProjectRoot } from './project-root';

/**
 * `npm run placement [-- <lab.yaml>] [--json]`: for each stack, which instance groups advertise it and
 * how many cells, read from the manifests the synth renders (built in memory; nothing is written).
 * A lab whose two sides disagree fails here with the same message as the synth.
 */
function main(): void {
  const projectRoot = findProjectRoot(__dirname);
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const labFile = argv.find((a) => !a.startsWith('--')) ?? process.env.STACK_ELEVATOR_LAB ?? 'lab.yaml';
  const abs = resolve(projectRoot, labFile);
  const lab = loadLab(abs, projectRoot);
  const lock = loadLock(lockFileFor(abs), projectRoot);
  // The App wants an outdir even though nothing is synthesized; a temporary one works on a fresh clone too.
  const scratch = mkdtempSync(join(tmpdir(), 'se-placement-'));
  try {
    report(projectRoot, lab, lock, scratch, json);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function report(projectRoot: string, lab: ReturnType<typeof loadLab>, lock: ReturnType<typeof loadLock>, outdir: string, json: boolean): void {
  const app = new App({ outdir });
  const stack = new LabStack(app, 'lab', {
    lab,
    lock,
    projectRoot,
    upstreamDir: upstreamDirOf(projectRoot, process.env),
    rootFromStackDir: '../../..',
    directorSteps: false,
  });
  const { placement, controlPlane, cells } = LabManifests.of(stack);
  if (json) {
    process.stdout.write(`${JSON.stringify({ lab: lab.name, controlPlane: controlPlane.deployment, cells: cells.deployment, stacks: placement }, null, 2)}\n`);
  } else {
    process.stdout.write(`lab ${lab.name}: control plane ${controlPlane.deployment}, cells ${cells.deployment}\n${formatPlacement(placement)}`);
  }
}

runCli(main);
