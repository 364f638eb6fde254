// Turns the output of a failed classic-builder `docker build` into one sentence: which Dockerfile step
// failed and, when apt or dpkg says so, which package. apt's wording is stable across Debian releases.

const PACKAGE_PATTERNS = [
  { re: /^E: Unable to locate package (\S+)/, why: 'not found in the base suite' },
  { re: /^E: Package '([^']+)' has no installation candidate/, why: 'has no installation candidate in the base suite' },
  { re: /^E: Version '[^']+' for '([^']+)' was not found/, why: 'pinned version not found in the base suite' },
  { re: /^E: Couldn't find any package by (?:glob|regex) '([^']+)'/, why: 'not found in the base suite' },
  { re: /^dpkg: error processing package (\S+) \(/, why: 'failed to install or configure' },
  { re: /^\s*(\S+) : Depends: .* but it is not (?:going to be )?installable/, why: 'has dependencies that cannot be installed' },
];

/**
 * @param {string[]} rawLines the build's output
 * @returns {{ step?: string, stepCommand?: string, packages: {name: string, why: string}[], notes: string[], message: string }}
 */
export function diagnoseBuild(rawLines) {
  // The classic builder colours a RUN step's stderr (ESC[91m ... ESC[0m), even mid-line.
  const lines = rawLines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
  let step;
  let stepCommand;
  /** @type {{ name: string, why: string }[]} */
  const packages = [];
  const notes = [];
  for (const line of lines) {
    const s = /^Step (\d+\/\d+) : (.*)$/.exec(line);
    if (s) {
      step = s[1];
      stepCommand = s[2];
      continue;
    }
    for (const p of PACKAGE_PATTERNS) {
      const m = p.re.exec(line);
      if (m && !packages.some((x) => x.name === m[1])) packages.push({ name: m[1], why: p.why });
    }
    const own = /^stack-elevator: (.*)$/.exec(line);
    if (own) notes.push(own[1]);
  }
  const where = step ? `Dockerfile step ${step} (${stepCommand})` : 'the image build';
  const what =
    packages.length > 0
      ? packages.map((p) => `package ${p.name} ${p.why}`).join('; ')
      : notes.length > 0
        ? notes.join('; ')
        : lastError(lines);
  return { step, stepCommand, packages, notes, message: `${where} failed: ${what}` };
}

/** @param {string[]} lines */
function lastError(lines) {
  const err = [...lines].reverse().find((l) => /^E: |error|returned a non-zero code/i.test(l));
  return err ?? lines.slice(-1)[0] ?? 'no output';
}
