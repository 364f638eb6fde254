import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMjs } from '../support/mjs';

interface Diagnosis {
  step?: string;
  stepCommand?: string;
  packages: Array<{ name: string; why: string }>;
  message: string;
}

const diagnose = (lines: string[]): Diagnosis =>
  runMjs<Diagnosis>('const { diagnoseBuild } = await lib("rootfs/rootfs-build-errors"); out(diagnoseBuild(input));', lines);

describe('diagnoseBuild', () => {
  it('names the Dockerfile step and the missing package from a real failed build', () => {
    const log = readFileSync(join(__dirname, '..', 'fixtures', 'rootfs', 'failed-build.log'), 'utf8').split('\n');
    const d = diagnose(log);
    expect(d.step).toBe('7/14');
    expect(d.stepCommand).toMatch(/^RUN sh \/tmp\/stack-elevator\/install-packages\.sh/);
    expect(d.packages).toEqual([{ name: 'stack-elevator-no-such-package', why: 'not found in the base suite' }]);
    expect(d.message).toBe(
      'Dockerfile step 7/14 (RUN sh /tmp/stack-elevator/install-packages.sh /tmp/stack-elevator/packages.txt) failed: package stack-elevator-no-such-package not found in the base suite',
    );
  });

  it('reads apt errors through the colour codes the builder wraps them in', () => {
    expect(diagnose(['Step 7/14 : RUN x', '\u001b[91mE: \u001b[0m\u001b[91mUnable to locate package nope']).packages).toEqual([
      { name: 'nope', why: 'not found in the base suite' },
    ]);
  });

  it('keeps the step of the last step header before the failure, not the first', () => {
    const d = diagnose(['Step 1/3 : FROM x', 'Step 2/3 : RUN true', 'Step 3/3 : RUN apt-get install foo', 'E: Package \'foo\' has no installation candidate']);
    expect(d.step).toBe('3/3');
    expect(d.packages).toEqual([{ name: 'foo', why: 'has no installation candidate in the base suite' }]);
  });

  it('names every package apt or dpkg complains about, once each', () => {
    const d = diagnose([
      'Step 4/9 : RUN install',
      'E: Unable to locate package a-pkg',
      'E: Unable to locate package b-pkg',
      "E: Version '9.9' for 'c-pkg' was not found",
      'dpkg: error processing package d-pkg (--configure):',
      'dpkg: error processing package d-pkg (--configure):',
      ' e-pkg : Depends: libfoo (>= 2) but it is not installable',
    ]);
    expect(d.packages.map((p) => p.name)).toEqual(['a-pkg', 'b-pkg', 'c-pkg', 'd-pkg', 'e-pkg']);
    expect(d.message).toMatch(/package d-pkg failed to install or configure/);
    expect(d.message).toMatch(/package e-pkg has dependencies that cannot be installed/);
  });

  it('falls back to the step-elevator note or the last error line when no package is to blame', () => {
    expect(diagnose(['Step 9/14 : RUN locales', 'stack-elevator: locales are listed but the locales package is not installed']).message).toBe(
      'Dockerfile step 9/14 (RUN locales) failed: locales are listed but the locales package is not installed',
    );
    expect(diagnose(['Step 2/2 : RUN false', "The command '/bin/sh -c false' returned a non-zero code: 1"]).message).toBe(
      "Dockerfile step 2/2 (RUN false) failed: The command '/bin/sh -c false' returned a non-zero code: 1",
    );
  });
});
