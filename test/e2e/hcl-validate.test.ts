import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../support/lab-files';
import { outcome, run } from '../support/run';

interface ValidateDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
}
interface ValidateReport {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: readonly ValidateDiagnostic[];
}

/**
 * cdktf 0.21's HCL renderer writes depends_on entries as strings, the way Terraform JSON holds them;
 * Terraform accepts quoted references in HCL with this warning. Any other warning is news.
 */
const CDKTF_HCL_QUOTED_DEPENDS_ON = 'Quoted references are deprecated';

describe('the plan as HCL (cdktf synth --hcl)', () => {
  it('passes terraform init -backend=false and terraform validate, offline', () => {
    mkdirSync(join(PROJECT_ROOT, 'build'), { recursive: true });
    const dir = mkdtempSync(join(PROJECT_ROOT, 'build', 'hcl-'));
    try {
      const out = join(dir, 'cdktf.out');
      const synth = run('npx', ['cdktf', 'synth', '--hcl', '--output', relative(PROJECT_ROOT, out)], { env: { CHECKPOINT_DISABLE: '1', CI: 'true' } });
      expect(outcome(synth)).toEqual({ status: 0, tail: '' });
      const stackDir = join(out, 'stacks', 'lab');
      expect(existsSync(join(stackDir, 'cdk.tf.json'))).toBe(false);
      const hcl = readFileSync(join(stackDir, 'cdk.tf'), 'utf8');
      expect(hcl).toMatch(/^resource "terraform_data" /m);
      expect(hcl).toMatch(/^resource "docker_image" /m);

      // The docker provider comes from terraform's implied local mirror; the registry is never asked.
      const init = run('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: stackDir, env: { CHECKPOINT_DISABLE: '1' } });
      expect(init.stdout).toMatch(/Terraform has been successfully initialized/);
      expect(outcome(init)).toEqual({ status: 0, tail: '' });

      const validate = run('terraform', ['validate', '-json', '-no-color'], { cwd: stackDir, env: { CHECKPOINT_DISABLE: '1' } });
      const report = JSON.parse(validate.stdout) as ValidateReport;
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(report).toMatchObject({ valid: true, error_count: 0 });
      expect(outcome(validate)).toEqual({ status: 0, tail: '' });
      expect(report.diagnostics.filter((d) => d.summary !== CDKTF_HCL_QUOTED_DEPENDS_ON)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
