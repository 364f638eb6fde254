import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PlannedStep } from '../../constructs/plan/plan-graph';
import { synthLab } from '../../stacks/synth';
import { PROJECT_ROOT, UPSTREAM_FIXTURES, writeLab } from '../support/lab-files';
import { runMjs } from '../support/mjs';

type Located = { rootfs: string; bundle: string; buildpack: string } | { error: string };

/** cellArtifacts run in a child node against a project root; errors come back as their message. */
function locate(root: string, args: Record<string, string> = {}): Located {
  return runMjs<Located>(
    `const { cellArtifacts, labStack } = await lib('try-app/try-app-inputs');
     try { out(cellArtifacts({ root: input.root, stack: labStack(input.root + '/lab.yaml', 'rpifs'), args: { buildpack: 'binary_buildpack', ...input.args } })); }
     catch (e) { out({ error: e.message }); }`,
    { root, args },
  );
}

// The default lab's plan.json, from a real synth: try-app must find its inputs in the plan the synth
// writes, not in a plan this test imagines.
const scratch = mkdtempSync(join(tmpdir(), 'se-try-app-inputs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let planText: string;
let steps: PlannedStep[];
beforeAll(() => {
  const labFile = writeLab(undefined, join(scratch, 'lab'));
  const res = synthLab({ projectRoot: PROJECT_ROOT, labFile, outdir: join(scratch, 'synth', 'cdktf.out'), upstreamDir: UPSTREAM_FIXTURES, artifactsOnly: true });
  planText = readFileSync(join(res.stackDir, 'plan.json'), 'utf8');
  steps = (JSON.parse(planText) as { steps: PlannedStep[] }).steps;
});

/** A project root of its own for each test (lab.yaml and the synthesized plan.json, nothing built): no test sees another's files. */
function freshRoot(): string {
  const root = mkdtempSync(join(scratch, 'root-'));
  writeLab(undefined, root);
  mkdirSync(join(root, 'cdktf.out', 'stacks', 'lab'), { recursive: true });
  writeFileSync(join(root, 'cdktf.out', 'stacks', 'lab', 'plan.json'), planText);
  return root;
}

const stepById = (id: string): PlannedStep => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in the default lab's plan`);
  return s;
};

/**
 * What a cell gets, as the plan says it: the file the plan step `id` packs into its release whose path
 * ends with `name` (its `blob` argument: `{root}/<file>:<path in the release>`, comma-separated), relative to the root.
 */
function packed(id: string, name: string): string {
  const files = String(stepById(id).args.blob).split(',').map((b) => b.split(':')[0]);
  const file = files.find((f) => f.endsWith(name));
  if (!file) throw new Error(`step ${id} packs no ${name}: ${files.join(', ')}`);
  return file.replace(/^\{root\}\//, '');
}

/** The three files a cell gets: the rootfs its release packs, the bundle the control plane's Diego release packs, the zip the buildpack release packs. */
const cellFiles = (): { rootfs: string; bundle: string; buildpack: string } => ({
  rootfs: packed('lab-rootfs-release-rpifs-create', 'rootfs.tgz'),
  bundle: packed('lab-diego-controlplane-create', 'buildpack_app_lifecycle.tgz'),
  buildpack: packed('lab-buildpack-rpifs-release-create', '.zip'),
});

/** The plan step whose out dir holds `rel`. */
const producer = (rel: string): PlannedStep => {
  const s = steps.find((x) => rel.startsWith(`${x.out}/`));
  if (!s) throw new Error(`no plan step's out dir holds ${rel}`);
  return s;
};

function build(root: string, rel: string): string {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), 'x');
  return join(root, rel);
}

describe('where try-app finds what a cell would get', () => {
  it('names the plan step to run when an output is not built yet, and the override flag', () => {
    const root = freshRoot();
    const files = cellFiles();
    const rootfsStep = producer(files.rootfs);
    expect(locate(root)).toEqual({ error: `rootfs tarball for stack rpifs is not built yet (${rootfsStep.out}; fix: run the plan step ${rootfsStep.id} with cdktf deploy, or pass --rootfs=<file>)` });
    build(root, files.rootfs);
    const bundleStep = producer(files.bundle);
    expect(locate(root)).toEqual({ error: `lifecycle bundle (buildpack_app_lifecycle.tgz) for stack rpifs is not built yet (${bundleStep.out}; fix: run the plan step ${bundleStep.id} with cdktf deploy, or pass --bundle=<file>)` });
    build(root, files.bundle);
    const buildpackStep = producer(files.buildpack);
    expect(locate(root)).toEqual({ error: `buildpack binary_buildpack for stack rpifs is not built yet (${buildpackStep.out}; fix: run the plan step ${buildpackStep.id} with cdktf deploy, or pass --buildpack-zip=<file>)` });
  });

  it('takes the very files the plan packs into the releases a cell gets', () => {
    const root = freshRoot();
    const files = cellFiles();
    const built = { rootfs: build(root, files.rootfs), bundle: build(root, files.bundle), buildpack: build(root, files.buildpack) };
    expect(locate(root)).toEqual(built);
  });

  it('takes --bundle over the plan, and names an override that does not exist', () => {
    const root = freshRoot();
    const files = cellFiles();
    const built = { rootfs: build(root, files.rootfs), bundle: build(root, files.bundle), buildpack: build(root, files.buildpack) };
    const other = build(root, 'elsewhere/bundle.tgz');
    expect(locate(root, { bundle: other })).toEqual({ ...built, bundle: other });
    expect(locate(root, { bundle: join(root, 'missing.tgz') })).toEqual({ error: `--bundle=${join(root, 'missing.tgz')}: no such file` });
  });
});
