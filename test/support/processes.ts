import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Running processes that belong to one of `dirs`: working inside one (terraform, a step script) or naming
 * one on their command line (a packaging script of a step's output). Each as "<pid> <command line>".
 */
export function processesIn(dirs: string[]): string[] {
  const inside = (p: string) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (cmdline.length === 0) return []; // a zombie or a kernel thread: nothing runs
      const named = cmdline.some((arg) => dirs.some((d) => arg.includes(d)));
      return named || inside(readlinkSync(`/proc/${pid}/cwd`)) ? [`${pid} ${cmdline.join(' ')}`] : [];
    } catch {
      return []; // ended while being read, or not ours to read
    }
  });
}
