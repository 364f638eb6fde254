import { CompiledReleaseStep } from '../../constructs/bosh/compiled-release-step';
import { createReleaseStep } from '../../constructs/bosh/release-step';
import type { PlanStep } from '../../constructs/plan/plan-step';
import { synthToDisk, Synthesized } from './cross-compile';

/**
 * A plan of two real steps on a one-package release (job `greet`, package `greeting` installing one text
 * file): `steps.source` creates the release from artifacts, `steps.compile` compiles it for the Pi stemcell.
 * `packaging` replaces the install line (a test that needs a slow step makes it sleep).
 */
export function greetingReleasePlan(name: string, greeting: string, packaging = 'cp greeting.txt "$BOSH_INSTALL_TARGET/"'): Synthesized {
  return synthToDisk((stack, store) => {
    store.add(`${name}/config/final.yml`, `---\nfinal_name: ${name}\n`);
    store.add(`${name}/config/blobs.yml`, '--- {}\n');
    store.add(`${name}/jobs/greet/spec`, '---\nname: greet\ntemplates: {}\npackages: [greeting]\nproperties: {}\n');
    store.add(`${name}/jobs/greet/monit`, '');
    store.add(`${name}/packages/greeting/spec`, '---\nname: greeting\nfiles: [greeting.txt]\n');
    store.add(`${name}/packages/greeting/packaging`, `set -e\n${packaging}\n`);
    store.add(`${name}/src/greeting.txt`, `${greeting}\n`);
    const source = createReleaseStep(stack, name, { description: name, source: { kind: 'release-dir', dir: { artifact: name } }, name, version: '1.0.0', inputs: [name] });
    const compiled = new CompiledReleaseStep(stack, `compiled-${name}-rpi`, {
      name,
      version: '1.0.0',
      source,
      stemcell: { os: 'debian-bookworm-armhf', version: '0.1.0', arch: 'armhf' },
      goarm: 7,
      sourceDateEpoch: 1747699200,
    });
    return { source, compile: compiled.step } as Record<string, PlanStep>;
  });
}
