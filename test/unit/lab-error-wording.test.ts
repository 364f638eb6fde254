import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LabError } from '../../lab/errors';
import { loadLab } from '../../lab/load';
import { loadLock } from '../../lab/load-lock';
import { PROJECT_ROOT, replaceOnce, writeLab } from '../support/lab-files';

/** zod's own wording, which must never reach a user: the project says found/expected instead. */
const ZOD_DEFAULTS = /\bInvalid\b|\bRequired\b|Expected \w+, received|must contain (at least|at most)|Unrecognized key/;

function caught(run: () => unknown): LabError {
  try {
    run();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('no error was thrown');
}

/** The 1-based line of the one line of `file` containing `marker` (a test marker must be unambiguous). */
function lineWith(file: string, marker: string | RegExp): number {
  const has = (t: string): boolean => (typeof marker === 'string' ? t.includes(marker) : marker.test(t));
  const hits = readFileSync(file, 'utf8').split('\n').flatMap((t, i) => (has(t) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker ${String(marker)} is on ${hits.length} lines of ${file}`);
  return hits[0];
}

const VARIABLES = 'variables: [system_domain, credhub_tls,';

describe('lab.yaml errors in the project wording, each the exact line a user sees', () => {
  it('a literal credential in director.variables: refused by rule, the value never echoed', () => {
    const file = writeLab((t) => replaceOnce(t, VARIABLES, 'variables: [S3cr3t-x, credhub_tls,'));
    const err = caught(() => loadLab(file, PROJECT_ROOT));
    expect(err.message).toBe(
      `${file}:${lineWith(file, 'S3cr3t-x')}: director.variables[0]: found a literal value (not shown: it may be a credential), expected the name of a BOSH ((variable)) like system_domain (fix: a literal credential is not allowed in a lab file: list the name of the ((variable)) that holds it (e.g. uaa_ssl) and supply its value at deploy time (bosh -v/-l or CredHub))`,
    );
    expect(err.message).not.toContain('S3cr3t');
  });

  it('a literal where the variables list belongs: refused the same way, the value never echoed', () => {
    const file = writeLab((t) => replaceOnce(t, /variables: \[system_domain, [^\]]*\]/, 'variables: S3cr3t-x'));
    const err = caught(() => loadLab(file, PROJECT_ROOT));
    expect(err.message).toBe(
      `${file}:${lineWith(file, 'variables: S3cr3t-x')}: director.variables: found a literal value (not shown: it may be a credential), expected a list of BOSH ((variable)) names like [system_domain, uaa_ssl] (fix: a literal credential is not allowed in a lab file: list the name of the ((variable)) that holds it (e.g. uaa_ssl) and supply its value at deploy time (bosh -v/-l or CredHub))`,
    );
    expect(err.message).not.toContain('S3cr3t');
  });

  it('a ((variable)) written with its brackets: the bare name to write instead', () => {
    const file = writeLab((t) => replaceOnce(t, VARIABLES, 'variables: ["((system_domain))", credhub_tls,'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(
      `${file}:${lineWith(file, '((system_domain))",')}: director.variables[0]: found '((system_domain))', expected the bare variable name system_domain (fix: write system_domain: the list names the ((variables)) the operator supplies at deploy time)`,
    );
  });

  it('a number where a string belongs (zod: "Expected string, received number")', () => {
    const file = writeLab((t) => replaceOnce(t, 'name: pi-lab\n', 'name: 42\n'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(`${file}:${lineWith(file, 'name: 42')}: name: found number 42, expected string`);
  });

  it('a missing key (zod: "Required")', () => {
    const file = writeLab((t) => t.replace(/\ncells_deployment: rpi-cells\n/, '\n'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(`${file}:${lineWith(file, /^name: pi-lab$/)}: cells_deployment: found nothing (missing), expected string`);
  });

  it('a value outside an enum (zod: "Invalid enum value")', () => {
    const file = writeLab((t) => replaceOnce(t, 'mode: cf-deployment\n', 'mode: fast\n'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(`${file}:${lineWith(file, 'mode: fast')}: control_plane.mode: found 'fast', expected one of 'cf-deployment', 'interpolated'`);
  });

  it('an empty list where one entry is needed (zod: "Array must contain at least 1 element(s)")', () => {
    const file = writeLab((t) => replaceOnce(t, 'locales: [en_US.UTF-8]', 'locales: []'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(`${file}:${lineWith(file, 'locales: []')}: stacks[0].locales: found an empty list, expected at least 1 entry`);
  });

  it('an empty string (zod: "String must contain at least 1 character(s)")', () => {
    const file = writeLab((t) => replaceOnce(t, 'system_domain: ((system_domain))', 'system_domain: ""'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(`${file}:${lineWith(file, 'system_domain: ""')}: control_plane.system_domain: found an empty string, expected a non-empty string`);
  });

  it('a malformed name keeps the schema\'s own description (not zod\'s "Invalid")', () => {
    const file = writeLab((t) => replaceOnce(t, 'deployment: cf\n', 'deployment: CF\n'));
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).toBe(`${file}:${lineWith(file, 'deployment: CF')}: control_plane.deployment: found 'CF', expected a lower-case name: letters, digits and dashes, starting with a letter`);
  });
});

describe('lab.lock.json errors in the project wording, with the line', () => {
  function lockWith(edit: (t: string) => string): string {
    const lock = join(dirname(writeLab()), 'lab.lock.json');
    writeFileSync(lock, edit(readFileSync(lock, 'utf8')));
    return lock;
  }
  const FIX = '(fix: restore the entry from git or correct it as the schema says)';

  it('a tarball sha that is not a sha256 (zod: "Invalid")', () => {
    const lock = lockWith((t) => replaceOnce(t, '"tarballSha256": "141e', '"tarballSha256": "XYZ'));
    expect(caught(() => loadLock(lock, PROJECT_ROOT)).message).toMatch(
      new RegExp(`^${escape(lock)}:${lineWith(lock, '"tarballSha256": "XYZ')}: upstream\\.diego-release\\.tarballSha256: found 'XYZ[0-9a-f]+', expected a sha256 of 64 lower-case hex digits \\(lab lock schema, lockVersion 1\\) ${escape(FIX)}$`),
    );
  });

  it('another lock version (zod: "Invalid literal value, expected 1")', () => {
    const lock = lockWith((t) => replaceOnce(t, '"lockVersion": 1,', '"lockVersion": 2,'));
    expect(caught(() => loadLock(lock, PROJECT_ROOT)).message).toBe(`${lock}:${lineWith(lock, '"lockVersion": 2')}: lockVersion: found number 2, expected 1 (lab lock schema, lockVersion 1) ${FIX}`);
  });

  it('a misspelt key (zod: "Unrecognized key(s) in object")', () => {
    const lock = lockWith((t) => replaceOnce(t, '"lockVersion": 1,', '"lockVersion": 1,\n  "tool": {},'));
    expect(caught(() => loadLock(lock, PROJECT_ROOT)).message).toBe(`${lock}:${lineWith(lock, '"tool": {}')}: tool: found unknown key 'tool', expected only the keys the schema defines here (lab lock schema, lockVersion 1) ${FIX}`);
  });
});

describe('no zod default wording in any of these messages', () => {
  it.each([
    ['a bad regex', (t: string) => replaceOnce(t, VARIABLES, 'variables: [S3cr3t-x, credhub_tls,')],
    ['a wrong type', (t: string) => replaceOnce(t, 'name: pi-lab\n', 'name: 42\n')],
    ['a missing key', (t: string) => t.replace(/\ncells_deployment: rpi-cells\n/, '\n')],
    ['an enum', (t: string) => replaceOnce(t, 'mode: cf-deployment\n', 'mode: fast\n')],
    ['a short list', (t: string) => replaceOnce(t, 'locales: [en_US.UTF-8]', 'locales: []')],
  ])('%s', (_name, edit) => {
    const file = writeLab(edit);
    expect(caught(() => loadLab(file, PROJECT_ROOT)).message).not.toMatch(ZOD_DEFAULTS);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
