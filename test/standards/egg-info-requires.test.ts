// parseEggInfoRequires against the machine's Python: importlib.metadata's
// `Distribution._deps_from_requires_text`, which pip's importlib backend uses to read an egg-info.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEggInfoRequires } from '../../src/standards/egg-info-requires.js';

const ORACLE = `
import importlib.metadata as m, json, sys
texts = json.load(sys.stdin)
print(json.dumps([list(m.Distribution._deps_from_requires_text(t)) for t in texts]))
`;

function pythonRequiresDist(texts: readonly string[]): string[][] {
  const out = execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(texts), env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
  return JSON.parse(out.toString('utf8')) as string[][];
}

const handWritten = [
  '',
  'simple==3.0\n',
  'TopoRequires2\nTopoRequires3\nTopoRequires4\n',
  // setuptools' own layout: base requirements, then one section per extra / marker / both.
  'six>=1.0\nidna\n\n[:python_version < "3.8"]\nimportlib-metadata\n\n[Fancy_Out]\nrich\n\n[socks:sys_platform == "win32"]\nwin-inet-pton\n\n[test]\npytest>=7\n',
  '  padded  \r\n\r\n[ extra ]\n\tx\n',
  '[[double]]\ny\n',
  '[:]\nz\n',
  'pkg @ https://example.invalid/pkg-1.0.tar.gz\n[net]\nother @ file:///tmp/o.tar.gz\n',
  '# a comment\nsix\n',
  '[unterminated\nsix\n',
  'a\u2028b\x0cc\x1dd\n',
];

const line = fc.oneof(
  fc.constantFrom('six', 'six>=1', 'pkg @ https://h/x.whl', '# c', '', '  ', '[x]', '[:os_name == "nt"]', '[e:python_version >= "3"]', '[]', '[[a]]', '[a:b:c]'),
  fc.string({ maxLength: 6 }),
);
const generated = fc.sample(fc.array(line, { maxLength: 8 }).map((lines) => lines.join(fc.sample(fc.constantFrom('\n', '\r\n', '\r'), 1)[0]!)), { numRuns: 200, seed: 11 });

describe('egg-info requires.txt as importlib.metadata reads it', () => {
  const texts = [...handWritten, ...generated];
  const expected = pythonRequiresDist(texts);
  texts.forEach((text, i) => {
    it(JSON.stringify(text).slice(0, 80), () => {
      expect(parseEggInfoRequires(text).requiresDist).toEqual(expected[i]);
    });
  });

  it('lists the extras named by section headers', () => {
    expect(parseEggInfoRequires(handWritten[3]!).extras).toEqual(['Fancy_Out', 'socks', 'test']);
    expect(parseEggInfoRequires('[:sys_platform == "win32"]\nx\n').extras).toEqual([]);
  });
});
