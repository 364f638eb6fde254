import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleStagingDirs } from '../../stacks/staging';

/** A pid no process has: beyond the kernel's pid_max. */
const DEAD_PID = 4_194_305;

describe("synth's cleanup of old-style staging folders", () => {
  const parent = mkdtempSync(join(tmpdir(), 'se-staging-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it("removes a dead synth's .synth-<pid>-XXXXXX and a pre-pid .synth-XXXXXX, and nothing else beside the output", () => {
    const names = [
      `.synth-${DEAD_PID}-a1B2c3`, // a killed synth's staging folder
      '.synth-Zz9yX8', // from before the pid was in the name
      `.synth-${process.pid}-q1w2e3`, // a synth that still runs (this process)
      '.synth-new.v-31516-63807996', // the real folder of another output named synth-new
      '.synth-new.l-31516-0badf00d',
      '.synth-notes', // anything else the user keeps there
      'cdktf.out',
    ];
    for (const n of names) mkdirSync(join(parent, n));
    expect(removeStaleStagingDirs(parent)).toEqual(['.synth-Zz9yX8', `.synth-${DEAD_PID}-a1B2c3`].sort());
    expect(readdirSync(parent).sort()).toEqual([`.synth-${process.pid}-q1w2e3`, '.synth-new.l-31516-0badf00d', '.synth-new.v-31516-63807996', '.synth-notes', 'cdktf.out'].sort());
  });
});
