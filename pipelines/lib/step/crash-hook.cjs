'use strict';
// Preloaded (node --require) only by the crash harness (pipelines/crash-check.mjs), never in normal runs.
// It wraps the fs calls that change entries directly inside STACK_ELEVATOR_CRASH_DIR (the folder holding
// the output path: the output link, its real folders, temp links) and numbers them. With
// STACK_ELEVATOR_CRASH_AT=n the process SIGKILLs itself just before the n-th such call: every instant
// between two steps of a swap, including the swap itself, can be hit on purpose instead of by luck.
// With STACK_ELEVATOR_CRASH_COUNT=<file> it writes how many such calls a whole run made.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.STACK_ELEVATOR_CRASH_DIR && path.resolve(process.env.STACK_ELEVATOR_CRASH_DIR);
const at = Number(process.env.STACK_ELEVATOR_CRASH_AT || 0);
const countFile = process.env.STACK_ELEVATOR_CRASH_COUNT;
const logFile = process.env.STACK_ELEVATOR_CRASH_LOG;
let n = 0;

if (dir) {
  const touches = (p) => typeof p === 'string' && path.dirname(path.resolve(p)) === dir;
  for (const name of ['rmSync', 'renameSync', 'symlinkSync', 'unlinkSync', 'rmdirSync', 'mkdirSync', 'mkdtempSync', 'writeFileSync']) {
    const orig = fs[name];
    fs[name] = function hooked(...args) {
      if (touches(args[0]) || (name !== 'symlinkSync' && touches(args[1]))) {
        n += 1;
        if (logFile) fs.appendFileSync(logFile, `${n} ${name} ${args.slice(0, 2).map((a) => (typeof a === 'string' ? path.basename(a) : '')).join(' ')}\n`);
        if (n === at) process.kill(process.pid, 'SIGKILL');
      }
      return orig.apply(this, args);
    };
  }
  if (countFile) process.on('exit', () => fs.writeFileSync(countFile, String(n)));
}
