// PEP 735 `--group` reading, checked against packaging 26.2's dependency_groups (what pip 26.2.1
// vendors and calls) and pip's own `[path:]group` rule, run in one python3 process.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  DependencyGroupError,
  normalizeGroupName,
  parseGroupOption,
  resolveDependencyGroups,
  type DependencyGroupRequest,
} from '../../src/standards/dependency-groups.js';

const ORACLE = String.raw`
import json, sys, tomllib, pathlib
from packaging.dependency_groups import DependencyGroupResolver
from packaging.errors import ExceptionGroup
out = []
for case in json.load(sys.stdin):
    if case["kind"] == "option":
        path, sep, group = case["value"].rpartition(":")
        if not sep:
            out.append({"path": "pyproject.toml", "group": case["value"]})
        elif pathlib.PurePath(path).name != "pyproject.toml":
            out.append({"error": "option"})
        else:
            out.append({"path": path, "group": group})
        continue
    if case["kind"] == "name":
        import re
        out.append(re.sub(r"[-_.]+", "-", case["value"]).lower())
        continue
    table = tomllib.loads(case["toml"])["dependency-groups"]
    try:
        resolver = DependencyGroupResolver(table)
    except ExceptionGroup as eg:
        out.append({"error": "[dependency-groups] data was invalid in pyproject.toml: " + "; ".join(str(e) for e in eg.exceptions)})
        continue
    result = []
    try:
        for g in case["groups"]:
            try:
                result.extend(str(r) for r in resolver.resolve(g))
            except ExceptionGroup as eg:
                raise RuntimeError(f"[dependency-groups] resolution failed for '{g}' from 'pyproject.toml': " + "; ".join(str(e) for e in eg.exceptions))
        out.append({"ok": result})
    except RuntimeError as e:
        out.append({"error": str(e)})
    except Exception as e:
        out.append({"crash": type(e).__name__})
print(json.dumps(out))
`;

function oracle(cases: unknown[]): unknown[] {
  return JSON.parse(execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify(cases), encoding: 'utf8', env: { ...process.env } })) as unknown[];
}

const TABLES: { toml: string; groups: string[] }[] = [
  { toml: '[dependency-groups]\ntest = ["pytest>=7", "Coverage [toml] ; python_version >= \'3.8\'"]', groups: ['test'] },
  { toml: '[dependency-groups]\nTest_Group = ["a"]\nother = [{include-group = "test.group"}, "b==1.0"]', groups: ['other', 'TEST-group'] },
  { toml: '[dependency-groups]\nself = [{include-group = "self"}]', groups: ['self'] },
  { toml: '[dependency-groups]\na = [{include-group = "b"}]\nb = ["x", {include-group = "A"}]', groups: ['a'] },
  { toml: '[dependency-groups]\na = [{include-group = "b"}, {include-group = "c"}]\nb = [{include-group = "d"}]\nc = [{include-group = "d"}]\nd = ["z"]', groups: ['a', 'b', 'd'] },
  { toml: '[dependency-groups]\na = [{include-group = "nope"}, {include-group = "a"}]', groups: ['a'] },
  { toml: '[dependency-groups]\ns = "foo"', groups: ['s'] },
  { toml: '[dependency-groups]\nt = {x = 1}', groups: ['t'] },
  { toml: '[dependency-groups]\nn = [1, true]', groups: ['n'] },
  { toml: '[dependency-groups]\no = [{include-group = "a", other = 1}]\na = []', groups: ['o'] },
  { toml: '[dependency-groups]\nA_b = []\na-B = []\nc = []', groups: ['c'] },
  { toml: '[dependency-groups]\nu = ["pkg @ https://example.com/pkg-1.0.tar.gz", "other[x,a]>1,<3"]', groups: ['u'] },
  { toml: '[dependency-groups]\nx = ["not a req!!"]', groups: ['x'] },
  { toml: '[dependency-groups]\nx = []', groups: ['missing'] },
];

describe('resolveDependencyGroups (pip 26.2.1 = packaging 26.2)', () => {
  const expected = oracle(TABLES.map((t) => ({ kind: 'table', ...t })));
  TABLES.forEach((table, i) => {
    it(`${JSON.stringify(table.toml)} ${table.groups.join(',')}`, () => {
      const requests: DependencyGroupRequest[] = table.groups.map((group) => ({ path: 'pyproject.toml', group }));
      const want = expected[i] as { ok?: string[]; error?: string; crash?: string };
      let got: { ok?: string[]; error?: string; crash?: string };
      try {
        got = { ok: resolveDependencyGroups(requests, () => table.toml, '26.2.1').map((r) => r.requirement) };
      } catch (error) {
        if (!(error instanceof DependencyGroupError)) throw error;
        got = error.kind === 'crash' ? { crash: want.crash ?? 'not a crash in packaging' } : { error: error.pipMessage };
        if (error.kind === 'crash') expect(error.exitCode).toBe(2);
        else expect(error.exitCode).toBe(1);
      }
      expect(got).toEqual(want);
    });
  });
});

describe('files and tables, in pip 26.2.1 words (measured)', () => {
  const read = (files: Record<string, string>) => (path: string) => files[path] ?? null;
  it('a missing file, a missing table, a malformed table', () => {
    expect(() => resolveDependencyGroups([{ path: 'sub/pyproject.toml', group: 'dev' }], read({}), '26.2.1')).toThrow(
      "sub/pyproject.toml not found. Cannot resolve '--group' option.",
    );
    expect(() => resolveDependencyGroups([{ path: 'pyproject.toml', group: 'dev' }], read({ 'pyproject.toml': '[project]\nname="x"\n' }), '26.2.1')).toThrow(
      "[dependency-groups] table was missing from 'pyproject.toml'. Cannot resolve '--group' option.",
    );
    expect(() => resolveDependencyGroups([{ path: 'pyproject.toml', group: 'dev' }], read({ 'pyproject.toml': 'dependency-groups = 3\n' }), '26.2.1')).toThrow(
      "[dependency-groups] table was malformed in pyproject.toml. Cannot resolve '--group' option.",
    );
    expect(() => resolveDependencyGroups([{ path: 'pyproject.toml', group: 'dev' }], read({ 'pyproject.toml': 'x = [\n' }), '26.2.1')).toThrow(/^Error parsing pyproject\.toml: /);
  });
  it('every file is read before any group is resolved', () => {
    const files = { 'pyproject.toml': '[dependency-groups]\nself = [{include-group = "self"}]\n' };
    expect(() =>
      resolveDependencyGroups(
        [
          { path: 'pyproject.toml', group: 'self' },
          { path: 'b/pyproject.toml', group: 'x' },
        ],
        read(files),
        '26.2.1',
      ),
    ).toThrow('b/pyproject.toml not found');
  });
  it('a non-string include-group crashes pip (exit 2)', () => {
    const files = { 'pyproject.toml': '[dependency-groups]\nx = [{include-group = 3}]\n' };
    expect(() => resolveDependencyGroups([{ path: 'pyproject.toml', group: 'x' }], read(files), '26.2.1')).toThrow(expect.objectContaining({ kind: 'crash', exitCode: 2 }));
  });
  it('before pip 26.1 an invalid requirement was a resolution failure (exit 1)', () => {
    const files = { 'pyproject.toml': '[dependency-groups]\nx = ["not a req!!"]\n' };
    expect(() => resolveDependencyGroups([{ path: 'pyproject.toml', group: 'x' }], read(files), '25.2')).toThrow(
      expect.objectContaining({ kind: 'resolution', exitCode: 1, pipMessage: expect.stringMatching(/^\[dependency-groups\] resolution failed for 'x' from 'pyproject.toml': Expected/) }),
    );
  });
});

describe('parseGroupOption and normalizeGroupName', () => {
  const values = ['dev', 'pyproject.toml:dev', 'sub/pyproject.toml:test', './pyproject.toml:a', 'foo.toml:dev', 'a:b:c', ':x', 'pyproject.toml/:g', 'x/pyproject.toml/.:g', '', 'dir/:g'];
  const names = ['Foo_Bar', 'a..b--c', 'A-_-.B', 'plain'];
  const expected = oracle([...values.map((value) => ({ kind: 'option', value })), ...names.map((value) => ({ kind: 'name', value }))]);
  it.each(values.map((value, i) => [value, expected[i]]))('%j', (value, want) => {
    let got: unknown;
    try {
      got = parseGroupOption(value as string);
    } catch (error) {
      if (!(error instanceof DependencyGroupError)) throw error;
      expect(error.pipMessage).toBe("--group error: group paths use 'pyproject.toml' filenames");
      expect(error.exitCode).toBe(2);
      got = { error: 'option' };
    }
    expect(got).toEqual(want);
  });
  it('normalizes like packaging', () => {
    expect(names.map(normalizeGroupName)).toEqual(expected.slice(values.length));
  });
});
