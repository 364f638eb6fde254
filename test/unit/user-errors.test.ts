import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// A user error is one line a user acts on; anything else is a bug whose stack trace the developer needs.
// These checks keep the two apart: InputErrors come from the named factories in lab/errors.ts, and no
// step declares every Error the user's (which would hide a bug's stack).
const root = resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|mjs|cjs|js)$/.test(name) ? [full] : [];
  });
}

const files = ['lab', 'constructs', 'stacks', 'pipelines', 'contracts', 'test'].flatMap((d) => sources(join(root, d)));
const offending = (pattern: string, except: string[]): string[] =>
  files.filter((f) => !except.includes(relative(root, f)) && readFileSync(f, 'utf8').includes(pattern)).map((f) => relative(root, f));

describe('user errors', () => {
  it('InputErrors are built only through the named factories (no positional constructor outside lab/errors.ts)', () => {
    expect(offending('new ' + 'InputError(', ['lab/errors.ts'])).toEqual([]);
  });

  it('no step declares every Error a user error', () => {
    expect(offending('userErrors: ' + '[Error', [])).toEqual([]);
  });

  describe('a step script', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'user-errors-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = (body: string) => {
      const script = join(dir, `s${Math.random().toString(36).slice(2)}.mjs`);
      const stepLib = pathToFileURL(join(root, 'pipelines', 'lib', 'step', 'step.mjs')).href;
      writeFileSync(script, `import { step, StepError } from ${JSON.stringify(stepLib)};\nawait step({ name: 'probe', args: {}, main: async () => { ${body} } }, []);\n`);
      const env = { ...process.env };
      delete env.STACK_ELEVATOR_STEP;
      return spawnSync(process.execPath, [script], { encoding: 'utf8', env });
    };

    it('prints a bug (a non-user error) with its stack trace', () => {
      const res = run("const o = undefined; o.field = 1;");
      expect(res.status).toBe(1);
      expect(res.stderr.split('\n')[0]).toMatch(/^probe failed: /);
      expect(res.stderr).toMatch(/^\s+at .+[:(]/m);
    });

    it('prints a user error as one line, without a stack trace', () => {
      const res = run("throw new StepError('lab.yaml is missing', { fix: 'write one' });");
      expect(res.status).toBe(1);
      expect(res.stderr).toBe('probe failed: lab.yaml is missing (fix: write one)\n');
    });
  });
});
