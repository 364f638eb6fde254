import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { load as parseYaml, YAMLException } from 'js-yaml';
import type { ZodIssue } from 'zod';
import { LabError, LabErrors } from './errors';
import { DocPath, formatPath, lineOf, valueAt } from './locate';
import { defaultLifecycleBundle, Lab, RootfsBase, StackSpec, stemcellArchOf } from './model';
import { checkLabRules } from './rules';
import { describeValue, issueWording } from './schema-wording';
import { LabDocument, labSchema } from './schema';

/**
 * Reads, validates and freezes a lab file. Every problem becomes a LabError naming the file (relative to
 * the project root), the line, the document path, what was found and what was expected.
 */
export function loadLab(absLabFile: string, projectRoot: string): Lab {
  const file = displayPath(absLabFile, projectRoot);
  if (!existsSync(absLabFile)) {
    throw new LabError(file, '', 'no such file', 'a lab YAML file', undefined, 'pass an existing file in STACK_ELEVATOR_LAB or restore lab.yaml');
  }
  const text = readFileSync(absLabFile, 'utf8');
  let raw: unknown;
  try {
    raw = parseYaml(text, { filename: file });
  } catch (err) {
    if (err instanceof YAMLException) {
      throw new LabError(file, '', `invalid YAML (${err.reason})`, 'a well-formed YAML document', err.mark ? err.mark.line + 1 : undefined);
    }
    throw err;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LabError(file, '', describeValue(raw), 'a mapping with name, director, upstream, networks, stemcells, stacks, control_plane, cells_deployment and cells', 1);
  }
  const parsed = labSchema.safeParse(raw);
  if (!parsed.success) {
    throw collect(parsed.error.issues.map((i) => issueToError(i, raw, text, file)));
  }
  const doc = parsed.data;
  const violations = checkLabRules(doc);
  if (violations.length > 0) {
    throw collect(violations.map((v) => new LabError(file, formatPath(v.path), v.found, v.expected, lineOf(text, v.path), v.fix)));
  }
  return deepFreeze(toLab(doc, file, dirname(absLabFile), projectRoot, text));
}

function toLab(doc: LabDocument, file: string, labDir: string, projectRoot: string, text: string): Lab {
  const stacks: StackSpec[] = doc.stacks.map((s, i) => {
    const { packages, source } = readPackages(s.packages, ['stacks', i, 'packages'], file, labDir, projectRoot, text);
    const base: RootfsBase =
      'mmdebstrap' in s.base
        ? { kind: 'mmdebstrap', suite: s.base.mmdebstrap.suite, variant: s.base.mmdebstrap.variant, include: [...s.base.mmdebstrap.include].sort() }
        : { kind: 'image', ref: s.base.image };
    return {
      name: s.name,
      description: s.description,
      arch: s.arch,
      base,
      packages,
      packagesSource: source,
      locales: [...s.locales],
      lifecycleBundle: s.lifecycle_bundle ?? defaultLifecycleBundle(s.arch),
      ...(s.buildpack_package !== undefined ? { buildpackPackage: s.buildpack_package } : {}),
    };
  });
  return {
    file,
    name: doc.name,
    director: { name: doc.director.name, variables: [...doc.director.variables].sort() },
    upstream: { cfDeployment: doc.upstream.cf_deployment, diegoRelease: doc.upstream.diego_release, cflinuxfs4Release: doc.upstream.cflinuxfs4_release },
    stacks,
    controlPlane: {
      deployment: doc.control_plane.deployment,
      mode: doc.control_plane.mode,
      network: doc.control_plane.network,
      az: doc.control_plane.az,
      stemcell: doc.control_plane.stemcell,
      systemDomain: doc.control_plane.system_domain,
    },
    cellsDeployment: doc.cells_deployment,
    cellReleases: Object.fromEntries(Object.entries(doc.cell_releases).flatMap(([k, v]) => (v ? [[k, { ...v }]] : []))),
    ...(doc.dns_runtime_config ? { dnsRuntimeConfig: { boshDns: doc.dns_runtime_config.bosh_dns } } : {}),
    cells: doc.cells.map((c) => ({
      name: c.name,
      arch: c.arch,
      goarm: c.goarm,
      stack: c.stack,
      network: c.network,
      ip: c.ip,
      az: c.az,
      vmType: c.vm_type,
      stemcell: c.stemcell,
      placementTags: [...c.placement_tags],
    })),
    networks: doc.networks.map((n) => ({ name: n.name, cidr: n.cidr, gateway: n.gateway, dns: [...n.dns], static: [...n.static], cloudProperties: n.cloud_properties })),
    stemcells: doc.stemcells.map((s) => {
      const arch = s.arch ?? stemcellArchOf(s.os);
      return { alias: s.alias, os: s.os, version: s.version, ...(arch ? { arch } : {}) };
    }),
    isolationSegments: doc.isolation_segments.map((g) => ({ name: g.name, orgs: [...g.orgs], spaces: g.spaces.map((x) => ({ org: x.org, space: x.space })) })),
  };
}

/** A package list is inline or a file (one name per line, # comments) relative to the lab file. */
function readPackages(spec: string | string[], path: DocPath, file: string, labDir: string, projectRoot: string, text: string): { packages: string[]; source: string } {
  if (Array.isArray(spec)) return { packages: sortUnique(spec), source: 'inline' };
  const abs = resolve(labDir, spec);
  if (!existsSync(abs)) {
    throw new LabError(file, formatPath(path), `'${spec}' (no such file)`, 'a package list file relative to the lab file, or an inline list', lineOf(text, path));
  }
  const lines = readFileSync(abs, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '');
  const bad = lines.find((l) => !/^[a-z0-9][a-z0-9+.-]+$/.test(l));
  if (bad !== undefined || lines.length === 0) {
    throw new LabError(file, formatPath(path), bad !== undefined ? `'${bad}' in ${spec}` : `an empty list in ${spec}`, 'one Debian package name per line', lineOf(text, path));
  }
  return { packages: sortUnique(lines), source: displayPath(abs, projectRoot) };
}

function issueToError(issue: ZodIssue, raw: unknown, text: string, file: string): LabError {
  const path = issue.path as DocPath;
  const line = lineOf(text, path);
  if (issue.code === 'unrecognized_keys') {
    const keyPath = [...path, issue.keys[0]];
    return new LabError(file, formatPath(keyPath), `unknown key '${issue.keys.join("', '")}'`, `only the keys the lab schema defines at ${formatPath(path) || 'the top level'}`, lineOf(text, keyPath), 'check the spelling or remove the key');
  }
  const value = valueAt(raw, path);
  if (isDirectorVariable(path)) return variableEntryError(file, path, value, line);
  const { found, expected } = issueWording(issue, value, unionExpectation(path));
  return new LabError(file, formatPath(path), found, expected, line);
}

/** director.variables or one of its entries (a key misspelt inside it is not a value and keeps the usual error). */
const isDirectorVariable = (path: DocPath): boolean => path[0] === 'director' && path[1] === 'variables' && (path.length === 2 || typeof path[2] === 'number');

/**
 * director.variables lists names, never values: an entry (or a whole value where the list belongs) that
 * is not a name may be the credential itself, so the error names the place and the rule but never
 * echoes what was written.
 */
function variableEntryError(file: string, path: DocPath, value: unknown, line: number | undefined): LabError {
  const wrapped = typeof value === 'string' ? /^\(\(([a-z][a-z0-9_]*)\)\)$/.exec(value.trim()) : null;
  if (wrapped) {
    return new LabError(file, formatPath(path), `'((${wrapped[1]}))'`, `the bare variable name ${wrapped[1]}`, line, `write ${wrapped[1]}: the list names the ((variables)) the operator supplies at deploy time`);
  }
  const entry = path.length > 2;
  return new LabError(
    file,
    formatPath(path),
    value !== null && typeof value === 'object' ? 'a mapping (not shown: it may hold a credential)' : 'a literal value (not shown: it may be a credential)',
    entry ? 'the name of a BOSH ((variable)) like system_domain' : 'a list of BOSH ((variable)) names like [system_domain, uaa_ssl]',
    line,
    'a literal credential is not allowed in a lab file: list the name of the ((variable)) that holds it (e.g. uaa_ssl) and supply its value at deploy time (bosh -v/-l or CredHub)',
  );
}

function unionExpectation(path: DocPath): string {
  const last = path[path.length - 1];
  if (last === 'base') return 'either {mmdebstrap: {suite, variant, include}} or {image: <reference>}';
  if (last === 'packages') return 'a package list file name or a list of Debian package names';
  if (last === 'goarm') return '6 or 7';
  return 'one of the allowed forms';
}

function collect(errors: LabError[]): LabError {
  return errors.length === 1 ? errors[0] : new LabErrors(errors);
}

function sortUnique(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}

export function displayPath(abs: string, projectRoot: string): string {
  const rel = relative(projectRoot, abs).split('\\').join('/');
  return rel.startsWith('..') ? abs : rel;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o as Record<string, unknown>).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}
