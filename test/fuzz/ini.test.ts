// Property-based tests of src/pip/ini.ts (configparser.RawConfigParser as pip uses it): any text
// parses or throws only IniParseError, and a batch of near-valid files is checked against
// CPython's own configparser in one python3 process (sections, items, error class).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IniParseError, parseIni } from '../../src/pip/ini.js';
import { FUZZ_SEED, arbitraryText, askPython, assertWithinBudget, fuzzParams, fuzzSample, longRepeat, mutated, onlyThrows, show } from './fuzz-support.js';

const line = fc.oneof(
  fc.constantFrom('[global]', '[install]', '[DEFAULT]', '[download]', '[ global ]', '[]', '[x]]', '[unclosed'),
  fc.tuple(fc.constantFrom('index-url', 'Timeout', 'no-binary', 'trusted_host', 'find-links', '', ' key'), fc.constantFrom(' = ', '=', ': ', ' :', ' =  '), fc.constantFrom('https://x/simple', '60', ':all:', 'a b', '', 'x = y', '%(interp)s')).map((p) => p.join('')),
  fc.constantFrom('    continued', '\tmore', '# comment', '; comment', '', '   ', 'no delimiter here', '  # indented comment'),
);
const iniText = fc
  .tuple(fc.array(line, { maxLength: 10 }), fc.constantFrom('\n', '\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol));
const FRAGMENTS = ['[', ']', '=', ':', '#', ';', '\n', '\r', ' ', '\t', '\ufeff', '\u00a0', '\x1c', 'global', 'DEFAULT', '\u2028', '\x0b'];
const input = fc.oneof({ weight: 3, arbitrary: mutated(iniText, FRAGMENTS) }, iniText, arbitraryText(FRAGMENTS, 100));

describe('parseIni (fast-check)', () => {
  it('returns or throws only IniParseError', () => {
    fc.assert(
      fc.property(input, (text) => {
        const sections = onlyThrows([IniParseError], text, () => parseIni(text, '/etc/pip.conf'));
        if (sections === undefined) return;
        for (const section of sections) for (const entry of section.entries) expect(typeof entry.value).toBe('string');
      }),
      fuzzParams(3000),
    );
  });

  it('survives long files', () => {
    assertWithinBudget(
      [
        longRepeat('k = v\n', 200_000, '[global]\n'),
        longRepeat('  continued\n', 200_000, '[global]\nk = v\n'),
        longRepeat('[', 50_000),
      ],
      (text) => void onlyThrows([IniParseError], text.slice(0, 100), () => parseIni(text, 'x.conf')),
    );
  });

  // Regression (fails until fixed): pythonStrip/pythonRstrip (src/pip/python-repr.ts) use
  // /[ws]+$/, quadratic in V8 when a long whitespace run is followed by something else:
  // "k =" + 50 000 spaces + "v" takes ~25 s (CPython configparser: under 1 ms).
  it('regression: a value after a long whitespace run is read in linear time', () => {
    assertWithinBudget([longRepeat(' ', 20_000, '[global]\nk =', 'v')], (text) => void onlyThrows([IniParseError], text.slice(0, 100), () => parseIni(text, 'x.conf')));
  });
});

const ORACLE = String.raw`
import configparser, io, json, sys
data = json.load(sys.stdin)
out = []
for text in data:
    parser = configparser.RawConfigParser()
    try:
        parser.read_file(io.StringIO(text, newline=None), "/etc/pip.conf")
        out.append([[name, [[k, v] for k, v in parser.items(name)]] for name in parser.sections()])
    except configparser.Error as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;

const ERROR_KIND: Record<string, string> = {
  'duplicate-section': 'DuplicateSectionError',
  'duplicate-option': 'DuplicateOptionError',
  'missing-section-header': 'MissingSectionHeaderError',
  parsing: 'ParsingError',
};

describe('ini: differential fuzz against CPython configparser', () => {
  it('gives the same sections and items, or the same error class', () => {
    // Lone surrogates cannot come out of a decoded file; an empty key (a line starting with the
    // delimiter) is the known regression below, kept out of the random comparison.
    const texts = fuzzSample(fc.oneof(mutated(iniText, FRAGMENTS, 2), iniText), 800).filter(
      (t) => !/[\uD800-\uDFFF]/.test(t) && !/(^|[\n\r])[^\S\n\r]*[=:]/.test(t),
    );
    const answer = askPython<unknown[]>(ORACLE, texts);
    const mismatches: string[] = [];
    texts.forEach((text, i) => {
      let ours: unknown;
      try {
        ours = parseIni(text, '/etc/pip.conf').map((s) => [s.name, s.entries.map((e) => [e.key, e.value])]);
      } catch (error) {
        if (!(error instanceof IniParseError)) throw error;
        ours = { error: ERROR_KIND[error.kind] };
      }
      if (JSON.stringify(ours) !== JSON.stringify(answer[i])) mismatches.push(`${show(text)}: ours ${show(ours)}, configparser ${show(answer[i])}`);
    });
    expect(mismatches, `FUZZ_SEED=${FUZZ_SEED}`).toEqual([]);
  });
});

// Found by the differential above (fails until fixed): configparser continues a value only when
// the current option name is truthy (`if cursect is not None and optname and ...`), so after an
// option with an EMPTY name (": a", a parsing error) an indented line is a new option, and a second
// empty name raises DuplicateOptionError. ini.ts tests `option !== null`, treats the indented line
// as a continuation and reports only ParsingError. The blank-line branch has the same test.
// (Also measured, not a bug: a key followed by a 20 000-space run takes seconds in both CPython
// configparser and ini.ts — the OPTCRE regex is quadratic in both; config files are the user's.)
describe('regression: continuation after an option with an empty name', () => {
  it('"[download]\\n: a\\n :b" is a duplicate option, as in configparser', () => {
    let kind: string | null = null;
    try {
      parseIni('[download]\n: a\n :b\n', '/etc/pip.conf');
    } catch (error) {
      if (!(error instanceof IniParseError)) throw error;
      kind = error.kind;
    }
    const python = askPython<unknown[]>(ORACLE, ['[download]\n: a\n :b\n']);
    expect(python).toEqual([{ error: 'DuplicateOptionError' }]);
    expect(kind).toBe('duplicate-option');
  });
});
