import { InputError } from '../../lab/errors';

/**
 * Turns a stack's locale names into /etc/locale.gen lines. cflinuxfs4's list names bare locales
 * (`af_ZA`), labs usually write `en_US.UTF-8`; both mean the UTF-8 variant unless a charset is given.
 */
export function localeGenLine(locale: string, where = 'a stack', path = 'locales'): string {
  const m = /^([A-Za-z]{1,8}(?:_[A-Za-z]{2,3})?)(?:\.([A-Za-z0-9-]+))?(@[A-Za-z0-9]+)?$/.exec(locale);
  if (!m) throw InputError.at({ file: where, path, found: `'${locale}'`, expected: 'a locale of the form ll_CC, ll_CC.CHARSET or ll_CC.CHARSET@modifier', fix: 'write it like en_US.UTF-8 (stacks[].locales in the lab)' });
  const [, given, charset = 'UTF-8', modifier = ''] = m;
  const name = RENAMED[given] ?? given;
  const canonical = /^utf-?8$/i.test(charset) ? 'UTF-8' : charset;
  return `${name}.${canonical}${modifier} ${canonical}`;
}

/** Sorted, de-duplicated locale.gen lines (order carries no meaning to locale-gen). */
export function localeGenLines(locales: readonly string[], where?: string): string[] {
  return [...new Set(locales.map((l, i) => localeGenLine(l, where, `locales[${i}]`)))].sort();
}

/**
 * Names in cflinuxfs4's list that glibc has since renamed and Debian's locale-gen no longer knows
 * (Ubuntu keeps aliases for them): Hebrew iw -> he, Norwegian no -> nb (Bokmål), Serbia sr_YU -> sr_RS.
 */
const RENAMED: Readonly<Record<string, string>> = { iw_IL: 'he_IL', no_NO: 'nb_NO', sr_YU: 'sr_RS' };
