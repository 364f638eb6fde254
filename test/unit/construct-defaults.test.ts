import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { PROJECT_ROOT } from '../support/lab-files';

/**
 * Every optional member of an exported interface in constructs/ says what its absence means with a
 * JSDoc `@default` (aws-cdk-lib's convention): a reader should not have to find the `??` in the code.
 */

function tsSources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return tsSources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** `file Interface.member` for each optional member of an exported interface that has no @default tag. */
function optionalMembersWithoutDefault(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const rel = relative(PROJECT_ROOT, file);
  const missing: string[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || member.questionToken === undefined) continue;
      if (!ts.getJSDocTags(member).some((t) => t.tagName.text === 'default')) missing.push(`${rel} ${node.name.text}.${member.name.getText(source)}`);
    }
  });
  return missing;
}

describe('optional props say their default', () => {
  const files = tsSources(join(PROJECT_ROOT, 'constructs'));

  it('finds the exported interfaces it checks (the scan itself works)', () => {
    const scanned = files.flatMap((f) => {
      const source = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true);
      return source.statements.filter(ts.isInterfaceDeclaration).map((i) => i.name.text);
    });
    expect(scanned).toEqual(expect.arrayContaining(['RootfsImageProps', 'PlanStepProps', 'DeploySpec', 'BoshManifest']));
  });

  it('every optional member of an exported interface in constructs/ carries @default', () => {
    expect(files.flatMap(optionalMembersWithoutDefault)).toEqual([]);
  });
});
