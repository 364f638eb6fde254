// The deliberate breaks `npm run mutation` makes, each with the tests aimed at it. A mutant names its
// code by a small snippet that must occur exactly once in the file, so an edit elsewhere that moves or
// rewrites the code makes the check fail loudly instead of silently testing nothing.

/** Regenerates every checked-in cf-deployment profile with the (mutated) generator, as `npm run profile` would. */
const REGENERATE_PROFILES = ['node', '-e', `
const { readdirSync } = require('node:fs');
require('ts-node').register({ transpileOnly: true });
const { writeProfile } = require('./stacks/cf-profile.ts');
for (const f of readdirSync('constructs/cf/profiles')) {
  const tag = /^cf-deployment-(v[0-9.]+)\\.json$/.exec(f)?.[1];
  if (tag) writeProfile('../shared/fixtures/upstream/cf-deployment-' + tag + '/cf-deployment.yml', process.cwd());
}`];

export const MUTANTS = [
  {
    name: 'the secret check off: rendered manifests are never scanned for credentials',
    file: 'constructs/bosh/secrets.ts',
    find: 'export function assertNoSecrets(text: string, where: string, env: NodeJS.ProcessEnv = process.env): void {\n',
    replace: 'export function assertNoSecrets(text: string, where: string, env: NodeJS.ProcessEnv = process.env): void {\n  if (where !== undefined) return;\n',
    tests: ['test/synth/manifests.test.ts'],
  },
  {
    name: 'redaction off: preview text keeps the secret values of the environment',
    file: 'stacks/preview/redact.ts',
    find: "return secrets.reduce((acc, s) => acc.split(s).join('((redacted))'), text);",
    replace: "return secrets.length >= 0 ? text : '';",
    tests: ['test/unit/preview.test.ts'],
  },
  {
    name: 'a director credential put on the bosh command line the deploy step prints',
    file: 'pipelines/bosh-deploy.mjs',
    find: '    cmd.push(`--vars-env=${VARS_ENV_PREFIX}`);\n',
    replace: '    cmd.push(`--vars-env=${VARS_ENV_PREFIX}`);\n    if (process.env.BOSH_CLIENT_SECRET) cmd.push(`--client-secret=${process.env.BOSH_CLIENT_SECRET}`);\n',
    tests: ['test/e2e/bosh-interpolate.test.ts'],
  },
  {
    name: "a plan trigger ignoring its artifact inputs",
    file: 'constructs/plan/plan-step.ts',
    find: 'if (props.inputs && props.inputs.length > 0) hash.update(`inputs=${store.digest(props.inputs)}\\n`);',
    replace: 'if (props.inputs && props.inputs.length > 0) hash.update(`inputs=${props.inputs.length}\\n`);',
    tests: ['test/synth/rootfs.test.ts', 'test/e2e/terraform-plan-step.test.ts'],
  },
  {
    name: 'a plan trigger ignoring the triggers of the steps it depends on',
    file: 'constructs/plan/plan-step.ts',
    find: 'for (const t of upstream.map((s) => `${s.stepId}=${s.trigger}`).sort()) hash.update(`after ${t}\\n`);',
    replace: 'for (const t of upstream.map((s) => s.stepId).sort()) hash.update(`after ${t}\\n`);',
    tests: ['test/synth/rootfs.test.ts', 'test/e2e/terraform-plan-step.test.ts'],
  },
  {
    name: 'the step runner letting a director step start with only BOSH_ENVIRONMENT set',
    file: 'pipelines/run-step.mjs',
    find: 'const missing = DIRECTOR_ENV.filter((v) => !process.env[v]);',
    replace: "const missing = DIRECTOR_ENV.filter((v) => v === 'BOSH_ENVIRONMENT' && !process.env[v]);",
    tests: ['test/unit/run-step.test.ts'],
  },
  {
    name: 'the ELF check accepting x86-64 (e_machine 62) as ARM',
    file: 'constructs/golang/packaging-script.ts',
    find: '`  [ "\\${machine}" = "${e.machine}" ] || {',
    replace: '`  [ "\\${machine}" = "${e.machine}" ] || [ "\\${machine}" = "62" ] || {',
    tests: ['test/unit/golang.test.ts'],
  },
  {
    name: 'the one packaging renderer leaving out the ELF check of the binaries it builds (lifecycle and cell variant alike)',
    file: 'constructs/golang/packaging-script.ts',
    find: '...installed.map((name) => `check_elf ${into}/${name}`),',
    replace: "...installed.filter((name) => name === '').map((name) => `check_elf ${into}/${name}`),",
    tests: ['test/unit/golang.test.ts', 'test/synth/diego-variants.test.ts'],
  },
  {
    name: 'lab errors pointing at the top-level key instead of the offending line',
    file: 'lab/load.ts',
    find: 'new LabError(file, formatPath(v.path), v.found, v.expected, lineOf(text, v.path), v.fix)',
    replace: 'new LabError(file, formatPath(v.path), v.found, v.expected, lineOf(text, v.path.slice(0, 1)), v.fix)',
    tests: ['test/unit/lab-errors.test.ts'],
  },
  {
    name: 'the stack wiring skipping droplet_destinations',
    file: 'constructs/cf/stack-wiring.ts',
    find: 'if (place.dropletDestinations) ops.push(',
    replace: 'if (place.dropletDestinations && stack.name === "") ops.push(',
    tests: ['test/unit/cf-wiring.test.ts'],
  },
  {
    name: 'the cf-deployment profile generator dropping droplet_destinations (profiles regenerated with it)',
    file: 'constructs/cf/cf-deployment-profile.ts',
    find: "  ['cc', 'diego', 'droplet_destinations'],\n",
    replace: '',
    after: REGENERATE_PROFILES,
    tests: ['test/unit/cf-profile.test.ts'],
  },
  {
    name: 'the cells manifest accepting a cell stack whose rootfs release the plan does not build',
    file: 'stacks/parts/manifests.ts',
    find: '    checkRootfsBuilt(lab, cells.unbuiltStacks);\n',
    replace: '',
    tests: ['test/synth/manifests.test.ts'],
  },
  {
    name: 'npm run placement dropping the first stack (dist/ is built before the break: tests must compile afresh)',
    file: 'stacks/placement.ts',
    find: '${formatPlacement(placement)}',
    replace: '${formatPlacement(placement.slice(1))}',
    tests: ['test/synth/manifests-placement.test.ts'],
  },
  // One source for both sides (contracts/): the same break must reach the synth and the steps alike.
  {
    name: 'the one director credential list losing BOSH_CA_CERT: the step runner starts without it',
    file: 'contracts/director-env.cjs',
    find: "(['BOSH_CLIENT_SECRET', 'BOSH_CA_CERT'])",
    replace: "(['BOSH_CLIENT_SECRET'])",
    tests: ['test/unit/run-step.test.ts'],
  },
  {
    name: 'the one director credential list losing BOSH_CA_CERT: the synth renders its value',
    file: 'contracts/director-env.cjs',
    find: "(['BOSH_CLIENT_SECRET', 'BOSH_CA_CERT'])",
    replace: "(['BOSH_CLIENT_SECRET'])",
    tests: ['test/unit/pipeline-contracts.test.ts'],
  },
  {
    name: 'the one shell quoting rule quoting every argument: the commands bosh-deploy prints',
    file: 'contracts/shell-quote.cjs',
    find: 'return /^[A-Za-z0-9_./:=@%+,-]+$/.test(v) ? v :',
    replace: 'return /^$/.test(v) ? v :',
    tests: ['test/unit/bosh-deploy-script.test.ts'],
  },
  {
    name: 'the one shell quoting rule quoting every argument: the plan step commands the synth writes',
    file: 'contracts/shell-quote.cjs',
    find: 'return /^[A-Za-z0-9_./:=@%+,-]+$/.test(v) ? v :',
    replace: 'return /^$/.test(v) ? v :',
    tests: ['test/synth/diego-variants.test.ts'],
  },
  {
    name: 'the step skeleton accepting an argument no step declares (a typo runs with a default instead)',
    file: 'pipelines/lib/step.mjs',
    find: '  if (unknown.length > 0) {\n',
    replace: '  if (unknown.length < 0) {\n',
    tests: ['test/unit/step-skeleton.test.ts'],
  },
  {
    name: 'the pinned-tarball check letting a tarball with other bytes through',
    file: 'pipelines/lib/pinned-tarball.mjs',
    find: '  if (actual !== pinned) throw mismatch(actual);\n',
    replace: '',
    tests: ['test/unit/setup-probes.test.ts'],
  },
];
