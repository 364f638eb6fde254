// The Debian mirror the base is bootstrapped from comes from the building machine's own apt sources,
// never from the repository: labs sit behind their own mirrors and proxies. STACK_ELEVATOR_DEBIAN_MIRROR
// overrides it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ types: string[], uris: string[], suites: string[], components: string[] }} AptStanza one apt source entry, from either format */

/**
 * Parses deb822 (.sources) text into { uris, suites, components, types } stanzas.
 * @param {string} text
 * @returns {AptStanza[]}
 */
export function parseDeb822(text) {
  const stanzas = [];
  for (const block of text.split(/\n\s*\n/)) {
    /** @type {Record<string, string>} */
    const fields = {};
    let last;
    for (const raw of block.split('\n')) {
      if (raw.startsWith('#') || raw.trim() === '') continue;
      if (/^\s/.test(raw) && last) {
        fields[last] += ` ${raw.trim()}`;
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(raw);
      if (!m) continue;
      last = m[1].toLowerCase();
      fields[last] = m[2].trim();
    }
    if (!fields.uris || !fields.suites) continue;
    if (fields.enabled && fields.enabled.toLowerCase() === 'no') continue;
    stanzas.push({
      types: (fields.types ?? 'deb').split(/\s+/),
      uris: fields.uris.split(/\s+/),
      suites: fields.suites.split(/\s+/),
      components: (fields.components ?? '').split(/\s+/).filter(Boolean),
    });
  }
  return stanzas;
}

/**
 * Parses one-line sources.list text (`deb [opts] uri suite components...`).
 * @param {string} text
 * @returns {AptStanza[]}
 */
export function parseOneLine(text) {
  const stanzas = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    stanzas.push({ types: [m[1]], uris: [m[2]], suites: [m[3]], components: m[4].split(/\s+/).filter(Boolean) });
  }
  return stanzas;
}

/** @returns {AptStanza[]} */
export function machineSources(aptDir = '/etc/apt') {
  const stanzas = [];
  const list = join(aptDir, 'sources.list');
  if (existsSync(list)) stanzas.push(...parseOneLine(readFileSync(list, 'utf8')));
  const dir = join(aptDir, 'sources.list.d');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (f.endsWith('.sources')) stanzas.push(...parseDeb822(text));
      else if (f.endsWith('.list')) stanzas.push(...parseOneLine(text));
    }
  }
  return stanzas;
}

/**
 * The mmdebstrap mirror line for a suite. Only the suite itself: -updates and -security would be what a
 * production stack wants, but they are a lab decision (a recipe field, not a machine accident), and the
 * security mirror seen on these machines serves index files that fail apt's size check.
 * @param {string} suite
 * @param {AptStanza[]} stanzas
 */
export function mirrorLinesFor(suite, stanzas, override = process.env.STACK_ELEVATOR_DEBIAN_MIRROR) {
  const st = stanzas.find((x) => x.types.includes('deb') && x.suites.includes(suite) && (x.components.length === 0 || x.components.includes('main')));
  const uri = override || st?.uris[0];
  if (!uri) {
    throw new Error(
      `no Debian mirror for suite ${suite} in this machine's apt sources (/etc/apt/sources.list*); ` +
        `set STACK_ELEVATOR_DEBIAN_MIRROR=<mirror URI> to name one`,
    );
  }
  return [`deb ${uri} ${suite} main`];
}
