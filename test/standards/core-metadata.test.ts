// Differential tests: src/standards/core-metadata.ts against packaging 26's
// metadata.parse_email (email.parser, compat32 policy) on METADATA / PKG-INFO texts.
import { beforeAll, describe, expect, it } from 'vitest';
import { CoreMetadataError, headerValues, parseCoreMetadata } from '../../src/standards/core-metadata.js';
import { askPackaging, isOracleError } from './oracle/packaging-oracle.js';
import { chance, pick, seededRandom } from './case-generators.js';

const LINES = [
  'Metadata-Version: 2.1', 'Metadata-Version: 2.2', 'Name: foo', 'Version: 1.0', 'Requires-Dist: bar>=1',
  "Requires-Dist: baz; extra == 'x'", 'requires-dist: Qux', 'Provides-Extra: x', 'Provides-Extra: Test_Stuff',
  'Dynamic: Requires-Dist', 'Dynamic: version', 'Requires-Python: >=3.8', 'Summary: a summary', 'Description: inline',
  'X-Custom: y', 'Keywords: a, b ,c', 'Keywords: d', 'Project-URL: Home, https://x', 'Project-URL: Home, https://y',
  'Project-URL: Docs,https://d', 'Name: dup', ' continuation', '\tcont  ', 'From me', 'Bad Header: x', ':nocolon',
  'NoColonLine', 'Description-Content-Type: text/markdown', 'Name:nospace', 'Version:   spaced  ', 'Classifier: A :: B',
  'License-File: LICENSE', 'Import-Name:', 'Summary: é ünïcode', 'Requires-Dist:', '',
];
const ENDINGS = ['\n', '\r\n', '\r'];
const BODIES = ['', '', 'Body text\nmore lines\n', 'Body: not a header\n', '\nafter blank\n', 'From the body\n'];

const HAND = [
  'Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: bar (>=1.0)\nRequires-Dist: baz ; extra == "test"\nProvides-Extra: test\n\nLong description\n',
  'Metadata-Version: 2.2\nName: foo\nVersion: 1.0\nDynamic: Requires-Dist\n',
  'Name: a\n  folded\n   twice\nVersion: 1\n',
  'From nobody\nName: a\n',
  'Name: a\nFrom nobody\n',
  'Name: a\nFrom x\nVersion: 1\n',
  'Name: a\nDescription: head\n\nbody\n',
  '',
  '\n',
  '\nName: a\n',
  ' cont\nName: a\n',
  'Name: a\r\nVersion: 1\r\n\r\nbody\r\n',
  'Name: a\n\n\n',
  'Name: a\nVersion: 1',
  'Name: a\n\tVersion: 1\n',
  '\ufeffName: a\n',
];

const random = seededRandom(822);
const DOCUMENTS = [
  ...HAND,
  ...Array.from({ length: 600 }, () => {
    const ending = pick(random, ENDINGS);
    const count = 1 + Math.floor(random() * 10);
    const lines = Array.from({ length: count }, () => pick(random, LINES));
    let text = lines.join(ending);
    if (chance(random, 0.7)) text += ending;
    const body = pick(random, BODIES);
    if (body !== '') text += ending + body.replace(/\n/g, ending);
    return text;
  }),
];

/** JSON with sorted object keys, so dict order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

let answers: unknown[];
beforeAll(() => {
  [answers] = askPackaging([{ op: 'metadata', cases: DOCUMENTS }]) as [unknown[]];
});

describe('parseCoreMetadata vs packaging.metadata.parse_email', () => {
  it(`splits ${DOCUMENTS.length} documents into the same raw and unparsed fields`, () => {
    const mismatches: unknown[] = [];
    DOCUMENTS.forEach((text, i) => {
      const expected = answers[i];
      expect(isOracleError(expected)).toBe(false);
      const parsed = parseCoreMetadata(text);
      const got = { raw: parsed.raw, unparsed: parsed.unparsed };
      if (canonical(got) !== canonical(expected)) mismatches.push({ text, expected, got });
    });
    expect(mismatches).toEqual([]);
  });

  it('exposes the fields the resolver needs', () => {
    const metadata = parseCoreMetadata(HAND[0]!);
    expect(metadata.metadataVersion).toBe('2.1');
    expect(metadata.name).toBe('foo');
    expect(metadata.version).toBe('1.0');
    expect(metadata.requiresDist).toEqual(['bar (>=1.0)', 'baz ; extra == "test"']);
    expect(metadata.providesExtra).toEqual(['test']);
    expect(metadata.description).toBe('Long description\n');
    expect(parseCoreMetadata(HAND[1]!).dynamic).toEqual(['requires-dist']);
    expect(headerValues(metadata, 'REQUIRES-DIST')).toHaveLength(2);
  });

  it('decodes bytes as UTF-8 and names the line of a bad byte', () => {
    const good = new TextEncoder().encode('Name: é\nVersion: 1\n');
    expect(parseCoreMetadata(good).name).toBe('é');
    const bad = new Uint8Array([...new TextEncoder().encode('Name: a\nSummary: '), 0xff, 0x0a]);
    try {
      parseCoreMetadata(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreMetadataError);
      expect((error as CoreMetadataError).line).toBe(2);
      expect((error as CoreMetadataError).position).toBe(17);
    }
  });
});
