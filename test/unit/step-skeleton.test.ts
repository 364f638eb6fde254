import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../support/lab-files';
import { runMjs } from '../support/mjs';

const STEP_LIB = pathToFileURL(join(PROJECT_ROOT, 'pipelines', 'lib', 'step', 'step.mjs')).href;
const work = mkdtempSync(join(tmpdir(), 'se-step-skeleton-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A step script written in the skeleton, run as a plan step would be: it declares --name (required),
 * --mode (optional) and --keep (a switch), writes its output atomically, and fails the way --fail says.
 */
const DEMO = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicOutput, flag, optional, PLAN_ARGS, required, runCommand, step, StepError } from ${JSON.stringify(STEP_LIB)};
await step({
  name: 'demo',
  args: { ...PLAN_ARGS, name: required(), mode: optional(), keep: flag() },
  main: async ({ args, paths, log }) => {
    log(JSON.stringify(args));
    await atomicOutput(paths.out, async (tmp) => {
      writeFileSync(join(tmp, 'half.txt'), 'written before the failure');
      await log.phase('phase 1/1 work', async () => {
        if (args.mode === 'step-error') throw new StepError('the widget is missing', { fix: 'add the widget', exitCode: 4 });
        if (args.mode === 'bug') throw new TypeError('cannot read widget of undefined');
        if (args.mode === 'missing-tool') await runCommand('se-no-such-tool', ['x']);
        if (args.mode === 'command') {
          const r = await runCommand('sh', ['-c', 'echo out-line; echo err-line >&2; exit 5']);
          log('code=' + r.code + ' lines=' + r.lines.join('|'));
        }
      });
    });
  },
});
`;
const script = join(work, 'demo.mjs');
writeFileSync(script, DEMO);

function demo(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = join(work, 'out', `run-${Math.random().toString(36).slice(2)}`);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STACK_ELEVATOR_')));
  const r = spawnSync(process.execPath, [script, `--out=${out}`, ...args], { cwd: work, env: { ...clean, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

/** Whatever the step left beside its output directory (a half-written temp dir would show here). */
const leftovers = () => (existsSync(join(work, 'out')) ? readdirSync(join(work, 'out')) : []);

describe('the step skeleton (pipelines/lib/step/step.mjs)', () => {
  it('refuses an unknown argument, naming it and every allowed one, before running anything', () => {
    const r = demo(['--name=x', '--nmae=y']);
    expect(r.stderr).toBe('demo failed: unknown argument(s) --nmae; allowed: --root --artifacts --out --name --mode --keep\n');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('refuses a missing or empty required argument, and a stray positional one', () => {
    expect(demo([]).stderr).toBe('demo failed: missing --name=...\n');
    expect(demo(['--name=']).stderr).toBe('demo failed: missing --name=...\n');
    const stray = demo(['--name=x', 'extra']);
    expect(stray.status).toBe(1);
    expect(stray.stderr).toMatch(/^demo failed: unexpected argument\(s\) extra /);
  });

  it('reads --k=v and --k v alike, and switches as booleans', () => {
    const a = demo(['--name=x', '--mode=ok', '--keep']);
    const b = demo(['--name', 'x', '--mode', 'ok', '--keep=true']);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    const values = (stdout: string) => JSON.parse(stdout.split('\n')[0].replace(/^\[demo\] /, ''));
    expect(values(a.stdout)).toMatchObject({ name: 'x', mode: 'ok', keep: true });
    const { out: outA, ...fromEquals } = values(a.stdout);
    const { out: outB, ...fromSpaces } = values(b.stdout);
    expect(fromSpaces).toEqual(fromEquals);
    expect([outA, outB]).toEqual([a.out, b.out]);
    expect(values(demo(['--name=x', '--keep=false']).stdout).keep).toBe(false);
    expect(existsSync(join(a.out, 'half.txt'))).toBe(true);
  });

  it('hands a runner\'s undeclared arguments on in order, and reads a declared --no-x switch literally', () => {
    const read = runMjs<{ args: Record<string, unknown>; positionals: string[]; forwarded: string[] }>(
      "const { readArgs, optional, flag } = await lib('step/step'); out(readArgs({ needs: optional(), root: optional(), 'no-cache': flag() }, input, { positionals: 1, forward: true }));",
      ['write-receipt', '--needs=go', '--out=/o', '--root', '/r', '--after=a,b', '--no-cache'],
    );
    expect(read).toEqual({ args: { needs: 'go', root: '/r', 'no-cache': true }, positionals: ['write-receipt'], forwarded: ['--out=/o', '--after=a,b'] });
  });

  it('fails with one line (message, then the fix), the error\'s exit code, and no output half-written', () => {
    const r = demo(['--name=x', '--mode=step-error'], { STACK_ELEVATOR_STEP: 'lab-demo-step' });
    expect(r.stderr).toBe('demo (plan step lab-demo-step) failed: the widget is missing (fix: add the widget)\n');
    expect(r.status).toBe(4);
    expect(r.stdout).toMatch(/^\[demo\] phase 1\/1 work: FAILED after \d+\.\d s$/m);
    expect(existsSync(r.out)).toBe(false);
    // outputs are links to `.<name>.v-*` folders beside them; any other dot entry is a leftover
    const live = new Set(leftovers().filter((f) => !f.startsWith('.')).map((f) => readlinkSync(join(work, 'out', f))));
    expect(leftovers().filter((f) => f.startsWith('.') && !live.has(f))).toEqual([]);
  });

  it('shows a bug (not a StepError) with the same first line and then its stack, exit 1', () => {
    const r = demo(['--name=x', '--mode=bug']);
    expect(r.status).toBe(1);
    const [first, second] = r.stderr.split('\n');
    expect(first).toBe('demo failed: cannot read widget of undefined');
    expect(second).toMatch(/^TypeError: cannot read widget of undefined/);
  });

  it('runs processes through zx: exit code and both streams\' lines, and names a missing tool with the fix', () => {
    const ok = demo(['--name=x', '--mode=command']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^\[demo\] code=5 lines=(out-line\|err-line|err-line\|out-line)$/m);
    expect(ok.stdout).toMatch(/^\[demo\] phase 1\/1 work: passed in \d+\.\d s$/m);
    const missing = demo(['--name=x', '--mode=missing-tool']);
    expect(missing.stderr).toBe('demo failed: se-no-such-tool not found on PATH (fix: npm run setup)\n');
    expect(missing.status).toBe(1);
  });
});
