import { z, type ZodIssue } from 'zod';

/** What a schema issue says in the project's words: `found <found>, expected <expected>`. */
export interface IssueWording {
  readonly found: string;
  readonly expected: string;
}

/**
 * Turns a zod issue into the project's wording, so no schema library default ("Invalid", "Required",
 * "Expected string, received number", "Invalid enum value...") reaches a user. A message the schema
 * itself spells (a regex's description) is kept; zod's own defaults are replaced per issue code.
 * `unionExpected` words a failed union, which zod cannot describe.
 */
export function issueWording(issue: ZodIssue, value: unknown, unionExpected = 'one of the allowed forms'): IssueWording {
  const found = describeValue(value);
  const own = ownMessage(issue);
  switch (issue.code) {
    case 'invalid_type':
      return { found: issue.received === 'undefined' ? 'nothing (missing)' : found, expected: typeWord(issue.expected) };
    case 'invalid_enum_value':
      return { found, expected: `one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}` };
    case 'invalid_literal':
      return { found, expected: JSON.stringify(issue.expected) };
    case 'invalid_union':
      return { found, expected: unionExpected };
    case 'unrecognized_keys':
      return { found: `unknown key '${issue.keys.join("', '")}'`, expected: 'only the keys the schema defines here' };
    case 'too_small':
      return { found: sizeWord(value) ?? found, expected: own ?? boundWord('at least', issue.type, Number(issue.minimum)) };
    case 'too_big':
      return { found: sizeWord(value) ?? found, expected: own ?? boundWord('at most', issue.type, Number(issue.maximum)) };
    default:
      return { found, expected: own ?? 'a value of the form the schema allows here' };
  }
}

/** The issue's message when the schema spelled it, undefined when it is zod's default wording. */
function ownMessage(issue: ZodIssue): string | undefined {
  const fallback = z.defaultErrorMap(issue, { defaultError: '', data: undefined }).message;
  return issue.message === fallback ? undefined : issue.message;
}

function typeWord(t: string): string {
  if (t === 'object') return 'a mapping';
  if (t === 'array') return 'a list';
  return t;
}

function sizeWord(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length}`;
  if (v === '') return 'an empty string';
  return undefined;
}

function boundWord(bound: string, type: string, n: number): string {
  if (type === 'array') return `${bound} ${n} ${n === 1 ? 'entry' : 'entries'}`;
  if (type === 'string') return n === 1 && bound === 'at least' ? 'a non-empty string' : `${bound} ${n} characters`;
  return `${bound} ${n}`;
}

/** A value as a user reads it in YAML or JSON: `'text'`, `number 42`, `a list`, `a mapping`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return `${typeof v} ${String(v)}`;
}
