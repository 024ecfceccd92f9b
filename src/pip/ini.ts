// configparser.RawConfigParser() as pip reads its config files with it (Lib/configparser.py,
// CPython 3.11: RawConfigParser._read, _join_multiline_values, items; pip/_internal/
// configuration.py _construct_parser). Default settings: delimiters `=` and `:`, full-line
// comments `#`/`;` (no inline comments), strict (a repeated section or key in one file is an
// error), empty lines kept inside multi-line values, keys lowercased, `[DEFAULT]` merged into
// every section, no interpolation.
//
// Not here: reading the file (src/io/pip-config-files.ts) and the locale's encoding (the reader
// decodes UTF-8; Python keeps a BOM as part of the first line, and so do we).
import { PY_WHITESPACE_CHARS, pyRstrip, pyStrip } from '../standards/python-text.js';
import { pythonStrRepr } from './python-repr.js';

export interface IniEntry {
  key: string;
  value: string;
  /** 1-based line of the `key = value` line. */
  line: number;
}

export interface IniSection {
  name: string;
  /** `items(section)` order: `[DEFAULT]` keys first, then the section's own. */
  entries: IniEntry[];
}

export type IniErrorKind = 'duplicate-section' | 'duplicate-option' | 'missing-section-header' | 'parsing';

/** A file configparser rejects; `message` is configparser's own text (pip prints it). */
export class IniParseError extends Error {
  readonly kind: IniErrorKind;
  readonly source: string;
  readonly line: number;
  readonly text: string;
  constructor(kind: IniErrorKind, message: string, source: string, line: number, text: string) {
    super(message);
    this.name = 'IniParseError';
    this.kind = kind;
    this.source = source;
    this.line = line;
    this.text = text;
  }
}

const SECTION = /^\[(.+)\]/su;
// configparser's OPTCRE with Python's `\s` (PY_WHITESPACE_CHARS): JavaScript's also takes U+FEFF,
// which Python keeps as part of the option name (found by the differential fuzz, FUZZ_SEED=1134093853).
const OPTION = new RegExp(`^(.*?)[${PY_WHITESPACE_CHARS}]*([=:])[${PY_WHITESPACE_CHARS}]*(.*)$`, 'su');
const NONSPACE = new RegExp(`[^${PY_WHITESPACE_CHARS}]`, 'u');

/** Python's `'%2d' % n`. */
const lineNo = (n: number): string => String(n).padStart(2, ' ');

/** Parse one file's text the way RawConfigParser.read(path) does. `source` is the path. */
export function parseIni(text: string, source: string): IniSection[] {
  // Universal newlines: \r\n and \r read as \n; each line keeps its \n (it shows in messages).
  const lines = text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const sections = new Map<string, Map<string, { value: string[]; line: number }>>();
  const defaults = new Map<string, { value: string[]; line: number }>();
  const added = new Set<string>();
  let current: Map<string, { value: string[]; line: number }> | null = null;
  let sectionName = '';
  let option: string | null = null;
  let indentLevel = 0;
  let parsing: { message: string; line: number; text: string } | null = null;

  lines.forEach((raw, index) => {
    const lineno = index + 1;
    const stripped = pyStrip(raw);
    const isComment = /^[#;]/.test(stripped);
    const value = isComment ? '' : stripped;
    // configparser tests `optname` for truth: after an option with an empty name (": a", itself a
    // parsing error) neither a blank nor an indented line continues it.
    if (value === '') {
      if (!isComment && current !== null && option) current.get(option)?.value.push('');
      return;
    }
    const firstNonSpace = NONSPACE.exec(raw);
    const indent = firstNonSpace === null ? 0 : firstNonSpace.index;
    if (current !== null && option && indent > indentLevel) {
      current.get(option)!.value.push(value);
      return;
    }
    indentLevel = indent;
    const header = SECTION.exec(value);
    if (header !== null) {
      sectionName = header[1]!;
      if (sectionName === 'DEFAULT') current = defaults;
      else if (sections.has(sectionName)) {
        if (added.has(`s:${sectionName}`)) {
          throw new IniParseError(
            'duplicate-section',
            `While reading from ${pythonStrRepr(source)} [line ${lineNo(lineno)}]: section ${pythonStrRepr(sectionName)} already exists`,
            source,
            lineno,
            raw,
          );
        }
        current = sections.get(sectionName)!;
      } else {
        current = new Map();
        sections.set(sectionName, current);
        added.add(`s:${sectionName}`);
      }
      option = null;
      return;
    }
    if (current === null) {
      throw new IniParseError(
        'missing-section-header',
        `File contains no section headers.\nfile: ${pythonStrRepr(source)}, line: ${lineno}\n${pythonStrRepr(raw)}`,
        source,
        lineno,
        raw,
      );
    }
    const match = OPTION.exec(value);
    if (match === null) {
      parsing = appendParsingError(parsing, source, lineno, raw);
      return;
    }
    if (match[1] === '') parsing = appendParsingError(parsing, source, lineno, raw);
    const key = pyRstrip(match[1]!).toLowerCase();
    const id = `o:${sectionName}\u0000${key}`;
    if (added.has(id)) {
      throw new IniParseError(
        'duplicate-option',
        `While reading from ${pythonStrRepr(source)} [line ${lineNo(lineno)}]: option ${pythonStrRepr(key)} in section ${pythonStrRepr(sectionName)} already exists`,
        source,
        lineno,
        raw,
      );
    }
    added.add(id);
    option = key;
    current.set(key, { value: [pyStrip(match[3]!)], line: lineno });
  });
  if (parsing !== null) {
    const error: { message: string; line: number; text: string } = parsing;
    throw new IniParseError('parsing', error.message, source, error.line, error.text);
  }
  const join = (entry: { value: string[] }): string => pyRstrip(entry.value.join('\n'));
  return [...sections].map(([name, entries]) => {
    const merged = new Map(defaults);
    for (const [key, entry] of entries) merged.set(key, entry);
    return { name, entries: [...merged].map(([key, entry]) => ({ key, value: join(entry), line: entry.line })) };
  });
}

function appendParsingError(
  existing: { message: string; line: number; text: string } | null,
  source: string,
  lineno: number,
  raw: string,
): { message: string; line: number; text: string } {
  const base = existing ?? { message: `Source contains parsing errors: ${pythonStrRepr(source)}`, line: lineno, text: raw };
  return { ...base, message: `${base.message}\n\t[line ${lineNo(lineno)}]: ${pythonStrRepr(raw)}` };
}
