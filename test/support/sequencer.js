// The order of a whole-suite run (jest --runInBand): fast unit and synth files first, then the deploy of
// the default lab, whose content-addressed step outputs (build/<step>/<trigger>) the later end-to-end
// files reuse instead of building the same releases again; then the rest by name, so every run is in
// the same order. Each file still passes alone: a file that finds no output builds it itself.
const Sequencer = require('@jest/test-sequencer').default;

const FIRST_E2E = ['test/e2e/lab-deploy.test.ts'];

const rank = (path) => {
  const rel = path.slice(path.indexOf('/test/') + 1);
  if (rel.startsWith('test/unit/')) return 0;
  if (rel.startsWith('test/synth/')) return 1;
  return FIRST_E2E.includes(rel) ? 2 : 3;
};

class DeployFirstSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

module.exports = DeployFirstSequencer;
