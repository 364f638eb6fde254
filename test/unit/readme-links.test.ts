import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The README is the front page and docs/ holds the depth; these checks keep the two from drifting apart:
// a moved section leaves no dead link, and no documented deploy needs the registry.
const root = resolve(__dirname, '..', '..');
const readme = join(root, 'README.md');
const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f));
const dirReadmes = ['stacks', 'constructs', 'pipelines', 'lab', 'contracts'].map((d) => join(root, d, 'README.md'));
const pages = [readme, ...docs, ...dirReadmes];

describe('README and docs', () => {
  it('README is at most 150 lines', () => {
    expect(readFileSync(readme, 'utf8').split('\n').length - 1).toBeLessThanOrEqual(150);
  });

  it.each(pages.map((p) => [p.slice(root.length + 1), p]))('every relative link in %s resolves', (_name, page) => {
    const text = readFileSync(page, 'utf8');
    const dead = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
      .filter((target) => !existsSync(resolve(dirname(page), target.split('#')[0])));
    expect(dead).toEqual([]);
  });

  it('every `cdktf deploy` command keeps --skip-provider-lock (the registry may be unreachable)', () => {
    // Commands, not prose: a line that runs it through npx or in a code block.
    const offenders: string[] = [];
    for (const page of pages) {
      let inCode = false;
      readFileSync(page, 'utf8').split('\n').forEach((line, i) => {
        if (line.startsWith('```')) inCode = !inCode;
        const isCommand = /npx cdktf deploy/.test(line) || (inCode && /cdktf deploy/.test(line) && !/[│▼]/.test(line));
        if (isCommand && !/cdktf deploy --help/.test(line) && !line.includes('--skip-provider-lock')) offenders.push(`${page.slice(root.length + 1)}:${i + 1}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("every npm script appears in the README's command table", () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const table = readFileSync(readme, 'utf8').split('\n').filter((l) => l.startsWith('| `'));
    const named = (s: string): boolean => table.some((l) => (s === 'test' ? l.startsWith('| `npm test') : l.startsWith(`| \`npm run ${s}\``) || l.startsWith(`| \`npm run ${s} `)));
    expect(scripts.filter((s) => !named(s))).toEqual([]);
  });
});
