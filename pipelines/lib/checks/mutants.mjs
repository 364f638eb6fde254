// The deliberate breaks `npm run mutation` makes, each with the tests aimed at it. A mutant names its
// code by a small snippet that must occur exactly once in the file, so an edit elsewhere that moves or
// rewrites the code makes the check fail loudly instead of silently testing nothing.
// `only` (optional) is a jest -t pattern naming the tests that kill the mutant, for slow e2e files.

/** Regenerates every checked-in cf-deployment profile with the (mutated) generator, as `npm run profile` would. */
const REGENERATE_PROFILES = ['node', '-e', `
const { readdirSync } = require('node:fs');
require('ts-node').register({ transpileOnly: true });
const { writeProfile } = require('./stacks/cf-profile.ts');
const { UPSTREAM_FIXTURES } = require('./test/support/lab-files.ts');
for (const f of readdirSync('constructs/cf/profiles')) {
  const tag = /^cf-deployment-(v[0-9.]+)\\.json$/.exec(f)?.[1];
  if (tag) writeProfile(UPSTREAM_FIXTURES + '/cf-deployment-' + tag + '/cf-deployment.yml', process.cwd());
}`];

/**
 * @typedef {{ name: string, file: string, find: string, replace: string, tests: string[], only?: string, after?: string[] }} Mutant
 * `after`: a command run once the snippet is replaced (e.g. regenerating what the mutated code generates)
 */
/** @type {Mutant[]} */
export const MUTANTS = [
  {
    name: 'synth back to removing the old cdktf.out and then renaming the new one in (a kill between leaves none)',
    file: 'stacks/synth.ts',
    find: '    commitDir(outdir, staging);\n',
    replace: "    void commitDir;\n    rmSync(outdir, { recursive: true, force: true });\n    require('node:fs').renameSync(staging, outdir);\n",
    tests: ['test/e2e/crash-synth.test.ts'],
  },
  {
    name: 'create-release back to removing its old output and then renaming the new one in (a kill between leaves none)',
    file: 'pipelines/create-release.mjs',
    find: '    commitDir(out, outStage);\n',
    replace: "    void commitDir;\n    rmSync(out, { recursive: true, force: true });\n    (await import('node:fs')).renameSync(outStage, out);\n",
    tests: ['test/e2e/crash-create-release.test.ts'],
  },
  {
    name: 'try-app no longer removes the containers of killed runs on its start',
    file: 'pipelines/try-app.mjs',
    find: '  const reaped = removeDeadTryAppContainers();\n',
    replace: '  const reaped = [removeDeadTryAppContainers].slice(1);\n',
    tests: ['test/e2e/container-reap.test.ts'],
  },
  {
    name: 'the export and the package check no longer remove the containers of killed runs on their start',
    file: 'pipelines/lib/docker/docker-cli.mjs',
    find: '  const removed = removeDeadRunContainers(prefix);\n',
    replace: '  const removed = [removeDeadRunContainers].slice(1);\n',
    tests: ['test/e2e/container-reap.test.ts'],
  },
  {
    name: 'a killed run\'s scratch folder removed without unmounting what it left mounted (mmdebstrap\'s chroot)',
    file: 'pipelines/lib/step/step.mjs',
    find: '!isRunning(pid)) removeScratch(join(parent, name));\n',
    replace: '!isRunning(pid)) rmSync(join(parent, name), { recursive: true, force: true });\n',
    tests: ['test/e2e/scratch-mounts.test.ts'],
  },
  {
    name: 'mounts listed in mount order (a mount on top of another would be unmounted after it)',
    file: 'pipelines/lib/step/mounts.mjs',
    find: '    .filter((m) => m === dir || m.startsWith(`${dir}/`))\n    .reverse();\n',
    replace: '    .filter((m) => m === dir || m.startsWith(`${dir}/`));\n',
    tests: ['test/unit/mounts-under.test.ts'],
  },
  {
    name: 'the rebuild receipt written in place again (a kill mid-write leaves half a receipt)',
    file: 'pipelines/lib/step/receipt.mjs',
    find: '  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\\n`);\n',
    replace: '  void writeFileAtomic;\n  writeFileSync(file, `${JSON.stringify(record, null, 2)}\\n`);\n',
    tests: ['test/unit/receipt.test.ts'],
  },
  {
    name: 'synth stops checking planned arguments against the step scripts: a misspelt one waits for the deploy',
    file: 'constructs/plan/step-arguments.ts',
    find: "      if (!Object.prototype.hasOwnProperty.call(decl.args, arg)) {\n",
    replace: "      if (!Object.prototype.hasOwnProperty.call(decl.args, arg) && arg === '') {\n",
    tests: ['test/synth/step-arguments.test.ts'],
  },
  {
    name: 'a per-arch fact written a second time: the Docker platform of armhf spelt in the lab model',
    file: 'lab/model.ts',
    find: '  return cellArch(arch).platform;\n',
    replace: "  return arch === 'armhf' ? 'linux/arm/v7' : cellArch(arch).platform;\n",
    tests: ['test/unit/arch-facts.test.ts'],
  },
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
    file: 'pipelines/lib/step/step.mjs',
    find: '  if (unknown.length > 0) {\n',
    replace: '  if (unknown.length < 0) {\n',
    tests: ['test/unit/step-skeleton.test.ts'],
  },
  {
    name: 'the pinned-tarball check letting a tarball with other bytes through',
    file: 'pipelines/lib/upstream/pinned-tarball.mjs',
    find: '  if (actual !== pinned) throw mismatch(actual);\n',
    replace: '',
    tests: ['test/unit/setup-probes.test.ts'],
  },
  {
    name: "a cell runtime release at another version than the control plane's without a reason",
    file: 'stacks/parts/cell-runtime.ts',
    find: 'if (choice.version !== undefined && choice.version !== pair.version && !choice.reason) {',
    replace: 'if (choice.version !== undefined && choice.version !== pair.version && !choice.reason && choice.version === pair.version) {',
    tests: ['test/synth/cell-runtime.test.ts'],
  },
  {
    name: 'an overlay patch that no longer applies silently skipped',
    file: 'pipelines/lib/release/overlay.mjs',
    find: '    if (dry.code !== 0) {\n',
    replace: '    if (dry.code !== 0 && dry.code === 0) {\n',
    tests: ['test/unit/runtime-overlay.test.ts'],
  },
  {
    name: 'a release keeping upstream version while its packages differ from what upstream released',
    file: 'pipelines/lib/release/final-builds.mjs',
    find: '!upstream.get(p.name)?.has(p.fingerprint)',
    replace: '!upstream.has(p.name)',
    tests: ['test/unit/runtime-overlay.test.ts'],
  },
  {
    name: "the cells deploy ignoring a runtime config that names another bosh-dns",
    file: 'pipelines/lib/director/required-releases.mjs',
    find: 'if (String(found.version) !== version)',
    replace: 'if (String(found.version) === "never")',
    tests: ['test/unit/runtime-overlay.test.ts'],
  },
  {
    name: 'placement tags accepted without an isolation segment (no app could land on those cells)',
    file: 'lab/rules.ts',
    find: '  checkPlacementSegments(doc, out);\n',
    replace: '',
    tests: ['test/synth/buildpack-segments.test.ts'],
  },
  {
    name: 'the isolation-segment step writing without reading first (a second run creates again)',
    file: 'pipelines/cf-isolation-segment.mjs',
    find: '  if (existing) {\n',
    replace: '  if (existing && !existing) {\n',
    tests: ['test/unit/cf-isolation-segment.test.ts'],
  },
  {
    name: "the ARM buildpack's install_buildpacks entry appended with - (applying the ops twice installs it twice)",
    file: 'constructs/cf/install-buildpacks.ts',
    find: ".key('install_buildpacks').match('package', b.name, true);",
    replace: ".key('install_buildpacks').append();",
    tests: ['test/e2e/install-buildpacks-interpolate.test.ts'],
  },
  {
    name: 'ops-file items keeping the key order they were built in (the rendered bytes depend on how an op was written)',
    file: 'constructs/bosh/yaml.ts',
    find: '  entries.sort(([a], [b]) => compareKeys(a, b, order));\n',
    replace: '  if (order.length === 0) entries.sort(([a], [b]) => compareKeys(a, b, order));\n',
    tests: ['test/unit/bosh-ops-file.test.ts'],
  },
  {
    name: "the lifecycle bundle's plan step declaring it under another key than the one try-app reads (caught only against a real synth)",
    file: 'stacks/parts/lifecycle.ts',
    find: 'provides: { [PROVIDES.lifecycleBundle(arch)]:',
    replace: 'provides: { [`lifecycle/${arch}`]:',
    tests: ['test/unit/try-app-inputs.test.ts'],
  },
  {
    name: "a runtime release's ARM version taken per arch: a mixed lab's create steps make two versions while the compile steps name one",
    file: 'constructs/runtime/runtime-release.ts',
    find: 'armVersion(this.upstreamVersion, recipe, store.digest(inputs))',
    replace: 'armVersion(this.upstreamVersion, recipe, store.digest(inputs) + arch)',
    tests: ['test/synth/compiled-releases.test.ts'],
  },
  {
    name: 'the cells deploy requiring a supplied release for the first cell stemcell only',
    file: 'stacks/parts/manifests.ts',
    find: 'return [...new Set(stemcells.flatMap((s) => releases.map(',
    replace: 'return [...new Set(stemcells.slice(0, 1).flatMap((s) => releases.map(',
    tests: ['test/synth/compiled-releases.test.ts'],
  },
  {
    name: "plan triggers hashing the location arguments (where the upstream directory sits): a fresh clone elsewhere plans other steps and its own preview is no no-op",
    file: 'constructs/plan/plan-step.ts',
    find: '    for (const [k, v] of sortedEntries(props.args ?? {})) if (!located.has(k)) hash.update(',
    replace: '    for (const [k, v] of sortedEntries(props.args ?? {})) if (located.size >= 0) hash.update(',
    tests: ['test/e2e/fresh-clone.test.ts'],
    only: 'npm run (synth|preview)$',
  },
  {
    // The skeleton's own test kills it in seconds; the try-app gate's test (its built app left behind)
    // does too, but its first run builds a rootfs in the scratch copy (over 2 minutes of CI).
    name: 'a failed step leaving its half-written output beside the out dir',
    file: 'pipelines/lib/step/step.mjs',
    find: '  } catch (err) {\n    rmSync(dir, { recursive: true, force: true });\n    throw err;\n  }\n}\n',
    replace: '  } catch (err) {\n    throw err;\n  }\n}\n',
    tests: ['test/unit/step-skeleton.test.ts'],
    only: 'no output half-written',
  },
  {
    name: 'an ARM-only bug: the 64-bit atomic field of the fidelity fixture moved off its 8-byte alignment (passes on amd64, panics on armhf)',
    file: 'test/fixtures/fidelity/fidelity-fixture-v1/src/code.cloudfoundry.org/counter/counter.go',
    find: '\thits  int64\n\tready bool\n',
    replace: '\tready bool\n\thits  int64\n',
    tests: ['test/e2e/fidelity-gate.test.ts'],
  },
  {
    name: 'the fidelity gate lets a failure through when amd64 was not run (an ARM-only failure counted as environment-dependent)',
    file: 'pipelines/lib/go/fidelity.mjs',
    find: "      if (native?.state === 'failed') {\n",
    replace: "      if (native?.state !== 'passed') {\n",
    tests: ['test/unit/fidelity.test.ts'],
  },
  {
    name: 'run-step runs a step again although its published output is there (a resumed deploy redoes finished steps)',
    file: 'pipelines/run-step.mjs',
    find: '    if (published) {\n',
    replace: '    if (published && !published) {\n',
    tests: ['test/unit/run-step.test.ts', 'test/e2e/deploy-resume.test.ts'],
  },
  {
    name: 'the fidelity gate declares a timing flake a fidelity failure (no re-run under emulation)',
    file: 'pipelines/fidelity.mjs',
    find: 'const ARM_RERUNS = 2;\n',
    replace: 'const ARM_RERUNS = 0;\n',
    tests: ['test/e2e/fidelity-gate.test.ts'],
    only: 'flaky',
  },
  {
    name: 'the fidelity gate keeps the results of a refused suite (its failure is replayed, not run again)',
    file: 'pipelines/fidelity.mjs',
    find: 'suites.filter((x) => !verdict.refusedSuites.includes(x))',
    replace: 'suites.filter((x) => x)',
    tests: ['test/e2e/fidelity-gate.test.ts'],
    only: 'refused suite again',
  },
  {
    name: "a plan step's triggers_replace forgets its unfinished runs (a deploy killed after a state write never re-runs the step)",
    file: 'constructs/plan/plan-step.ts',
    find: ', unfinished: unfinishedRunsExpression(graph.rootFromStackDir, this.stepId, this.trigger) }',
    replace: ' }',
    tests: ['test/synth/lab-plan.test.ts', 'test/e2e/deploy-resume.test.ts'],
    only: 'run started and did not finish|runs again a step',
  },
  {
    name: 'run-step leaves a finished run counted as unfinished (every deploy after it replaces the step)',
    file: 'pipelines/run-step.mjs',
    find: '    if (unfinished && child.code === 0) countUnfinished(unfinished, -1);\n',
    replace: '',
    tests: ['test/unit/run-step.test.ts'],
  },
  {
    name: 'crash-check no longer looks for processes a killed run left (one that escaped the kill goes unreported)',
    file: 'pipelines/crash-check.mjs',
    find: '    const procs = await processesLeftAfter(5000);\n',
    replace: '    const procs = [processesLeftAfter].slice(1);\n',
    tests: ['test/e2e/crash-harness.test.ts'],
  },
];
