// Boots the garden VM (qemu-system-arm -M virt -cpu cortex-a15 -smp 2 -m 2048 -nic none) from a
// kernel and the initramfs make-initramfs.sh wrote, and reads its console: "SE-PHASE <name> <uptime>"
// lines time the phases, "SE-PROBE {json}" lines are the probe's results, "SE-DONE <rc>" ends the
// run. Prints one JSON object: { phases: {name: hostSeconds}, probe: [...], done: rc, console }.
// usage: node run-vm.mjs <vmlinuz> <initrd.gz> [--cycles=N] [--timeout=seconds] [--console=file]
// child_process needed: the console is read line by line while qemu runs and qemu is killed on a
// deadline; zx's $ collects output for a finished process.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * @typedef {{ step: string, privileged: boolean, ok: boolean, ms: number, out?: string, err?: string, host: number }} ProbeRecord one SE-PROBE result (probe/main.go) and when the host read it
 * @typedef {{ t: number, line: string }} ConsoleLine a console line and when the host read it
 * @typedef {{ phases: Record<string, { host: number, guest: number }>, probe: ProbeRecord[], done: number | null }} ConsoleRun
 * @typedef {ConsoleRun & { qemuExit: number | null, timedOut: boolean, seconds: number, console?: string[] }} VmRun console: always set by runVm; optional so the CLI can drop it before printing
 */

/**
 * Parses the console text of a run into phases, probe results and the exit code of the probe.
 * @param {ConsoleLine[]} lines
 * @returns {ConsoleRun}
 */
export function parseConsole(lines) {
  /** @type {ConsoleRun['phases']} */
  const phases = {};
  /** @type {ProbeRecord[]} */
  const probe = [];
  let done = null;
  for (const { t, line } of lines) {
    let m = /SE-PHASE (\S+) ([0-9.]+)/.exec(line);
    if (m) phases[m[1]] = { host: t, guest: Number(m[2]) };
    m = /SE-PROBE (\{.*\})/.exec(line);
    if (m) probe.push({ ...JSON.parse(m[1]), host: t });
    m = /SE-DONE (\d+)/.exec(line);
    if (m) done = Number(m[1]);
  }
  return { phases, probe, done };
}

/**
 * @param {string} kernel
 * @param {string} initrd
 * @param {number} cycles
 */
export function qemuArgs(kernel, initrd, cycles) {
  return [
    '-M', 'virt', '-cpu', 'cortex-a15', '-smp', '2', '-m', '2048', '-nic', 'none',
    '-nographic', '-no-reboot', '-kernel', kernel, '-initrd', initrd,
    '-append', `console=ttyAMA0 panic=-1 quiet loglevel=3 se.cycles=${cycles}`,
  ];
}

/** Runs the VM to its end (poweroff) or the timeout; resolves with what parseConsole found. */
/**
 * @param {{ kernel: string, initrd: string, cycles?: number, timeoutSeconds?: number, onLine?: (line: string) => void }} opts
 * @returns {Promise<VmRun>}
 */
export function runVm({ kernel, initrd, cycles = 1, timeoutSeconds = 900, onLine = (_line) => {} }) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
    const child = spawn('qemu-system-arm', qemuArgs(kernel, initrd, cycles), { stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {ConsoleLine[]} */
    const lines = [];
    let partial = '';
    const take = (/** @type {Buffer} */ chunk) => {
      partial += chunk.toString('utf8');
      const parts = partial.split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push({ t: seconds(), line });
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutSeconds * 1000);
    child.on('error', (err) => { clearTimeout(timer); reject(new Error(`qemu-system-arm: ${err.message} (fix: npm run setup installs qemu-system-arm)`)); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial) lines.push({ t: seconds(), line: partial });
      resolve({ ...parseConsole(lines), qemuExit: code, timedOut, seconds: seconds(), console: lines.map((l) => l.line) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kernel, initrd, ...rest] = process.argv.slice(2);
  const opt = (/** @type {string} */ name, /** @type {string | number} */ dflt) => (rest.find((a) => a.startsWith(`--${name}=`)) ?? `=${dflt}`).split('=')[1];
  if (!kernel || !initrd) {
    console.error('usage: node run-vm.mjs <vmlinuz> <initrd.gz> [--cycles=N] [--timeout=seconds] [--console=file]');
    process.exit(2);
  }
  const r = await runVm({ kernel, initrd, cycles: Number(opt('cycles', 1)), timeoutSeconds: Number(opt('timeout', 900)), onLine: (l) => process.stderr.write(`vm: ${l}\n`) });
  const consoleFile = opt('console', '');
  if (consoleFile) writeFileSync(consoleFile, /** @type {string[]} */ (r.console).join('\n') + '\n');
  delete r.console;
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.done === 0 ? 0 : 1);
}
