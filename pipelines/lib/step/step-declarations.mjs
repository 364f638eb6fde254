#!/usr/bin/env node
// @ts-check
// Prints what each named step script declares (its --arguments, required or not) without running it:
// the synth checks every planned step's arguments against this, so a misspelt argument fails synth
// instead of the deploy. usage: node step-declarations.mjs <script>... (names under pipelines/)
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DESCRIBE_STEP_ENV, recordedDeclarations } from './step.mjs';

const pipelines = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env[DESCRIBE_STEP_ENV] = '1';
/** @type {Record<string, { args: Record<string, { type: string, required: boolean }>, positionals: number }>} */
const out = {};
for (const script of process.argv.slice(2)) {
  const before = recordedDeclarations().length;
  await import(pathToFileURL(join(pipelines, `${script}.mjs`)).href);
  const declared = recordedDeclarations().slice(before);
  if (declared.length !== 1) {
    process.stderr.write(`step-declarations: pipelines/${script}.mjs declared ${declared.length} steps, expected one step() call\n`);
    process.exit(1);
  }
  out[script] = { args: declared[0].args, positionals: declared[0].positionals };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
