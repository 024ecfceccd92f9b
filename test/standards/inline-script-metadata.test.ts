// PEP 723 for `--requirements-from-script`, checked against pip 26's req/pep723.py algorithm (the
// spec's reference regex run by Python's `re`, the file opened as pip opens it, tomllib) and the
// requires-python check of cli/req_command.py (packaging's SpecifierSet), in one python3 process.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  checkScriptRequiresPython,
  decodeScript,
  readScriptMetadata,
  scriptDependencies,
  ScriptMetadataError,
} from '../../src/standards/inline-script-metadata.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// pip 26.2.1 src/pip/_internal/req/pep723.py, plus what get_requirements does with the result.
const ORACLE = String.raw`
import json, re, sys, tomllib
from packaging.specifiers import SpecifierSet
from packaging.version import Version
REGEX = r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
def pep723_metadata(scriptfile):
    with open(scriptfile, encoding="utf8") as f:
        script = f.read()
    name = "script"
    matches = list(filter(lambda m: m.group("type") == name, re.finditer(REGEX, script)))
    if len(matches) > 1:
        raise ValueError(f"Multiple {name!r} blocks found in {scriptfile!r}")
    elif len(matches) == 1:
        content = "".join(line[2:] if line.startswith("# ") else line[1:] for line in matches[0].group("content").splitlines(keepends=True))
        try:
            metadata = tomllib.loads(content)
        except Exception as exc:
            raise ValueError(f"Failed to parse TOML in {scriptfile!r}") from exc
    else:
        raise ValueError(f"File does not contain {name!r} metadata: {scriptfile!r}")
    return metadata
out = []
for case in json.load(sys.stdin):
    try:
        md = pep723_metadata(case["path"])
    except ValueError as e:
        out.append({"error": str(e)})
        continue
    rp = md.get("requires-python", "")
    ok = None
    if rp:
        try:
            ok = Version(".".join(map(str, case["python"]))) in SpecifierSet(rp)
        except Exception as e:
            ok = "crash"
    try:
        deps = [str(d) for d in md.get("dependencies", [])]
    except Exception:
        deps = "crash"
    out.append({"deps": deps, "requiresPython": ok})
print(json.dumps(out))
`;

const SCRIPTS: Record<string, string> = {
  plain: '# /// script\n# dependencies = ["requests<3", "rich"]\n# requires-python = ">=3.11"\n# ///\nprint(1)\n',
  shebang: '#!/usr/bin/env python3\n# /// script\n# dependencies = [\n#   "x>=1",\n#\n# ]\n# ///\n',
  noSpace: '# /// script\n#dependencies = ["x"]\n# ///\n',
  none: 'print("hello")\n',
  two: '# /// script\n# dependencies = ["x"]\n# ///\n\n# /// script\n# dependencies = ["y"]\n# ///\n',
  adjacent: '# /// script\n# dependencies = ["x"]\n# ///\n# /// script\n# dependencies = ["y"]\n# ///\n',
  twoSeparated: '# /// script\n# dependencies = ["x"]\n# ///\nimport os\n# /// script\n# dependencies = ["y"]\n# ///\n',
  otherType: '# /// pyproject\n# [tool.x]\n# ///\n# /// script\n# dependencies = ["z"]\n# ///\n',
  badToml: '# /// script\n# dependencies = [\n# ///\n',
  crlf: '# /// script\r\n# dependencies = ["crlf"]\r\n# ///\r\n',
  bom: '\ufeff# /// script\n# dependencies = ["bom"]\n# ///\n',
  stringDeps: '# /// script\n# dependencies = "ab"\n# ///\n',
  tooNew: '# /// script\n# requires-python = ">=3.99"\n# dependencies = ["x"]\n# ///\n',
  badSpec: '# /// script\n# requires-python = "bogus"\n# ///\n',
  unterminated: '# /// script\n# dependencies = ["x"]\n',
  trailingSpace: '# /// script \n# dependencies = ["x"]\n# ///\n',
  formfeed: '# /// script\n# dependencies = ["ff"] \x0c\n# ///\n',
  tableDeps: '# /// script\n# [dependencies]\n# a = 1\n# b = 2\n# ///\n',
  noDeps: '# /// script\n# requires-python = ">=3"\n# ///\n',
};

const PYTHON = [3, 11, 7];

describe('readScriptMetadata / scriptDependencies / checkScriptRequiresPython (pip 26 pep723.py)', () => {
  const dir = makeTempDir('pep723-');
  const names = Object.keys(SCRIPTS);
  for (const name of names) writeFileSync(join(dir, `${name}.py`), SCRIPTS[name]!);
  const expected = JSON.parse(
    execFileSync('python3', ['-c', ORACLE], {
      input: JSON.stringify(names.map((n) => ({ path: `${n}.py`, python: PYTHON }))),
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env },
    }),
  ) as { error?: string; deps?: string[] | 'crash'; requiresPython?: boolean | null | 'crash' }[];
  it.each(names.map((n, i) => [n, expected[i]!] as const))('%s', (name, want) => {
    const input = `${name}.py`;
    const text = decodeScript(readFileSync(join(dir, input)), input);
    let metadata;
    try {
      metadata = readScriptMetadata(text, input);
    } catch (error) {
      if (!(error instanceof ScriptMetadataError)) throw error;
      expect({ error: error.pipMessage }).toEqual({ error: want.error });
      return;
    }
    expect(want.error).toBeUndefined();
    let deps: string[] | 'crash';
    try {
      deps = scriptDependencies(metadata, input);
    } catch (error) {
      if (!(error instanceof ScriptMetadataError) || error.kind !== 'crash') throw error;
      deps = 'crash';
    }
    expect(deps).toEqual(want.deps);
    let requiresPython: boolean | null | 'crash' = null;
    try {
      checkScriptRequiresPython(metadata, input, PYTHON);
      if (want.requiresPython !== null) requiresPython = true;
    } catch (error) {
      if (!(error instanceof ScriptMetadataError)) throw error;
      requiresPython = error.kind === 'crash' ? 'crash' : false;
    }
    expect(requiresPython).toBe(want.requiresPython);
  });
});

describe('pip 26.2.1 wording (measured)', () => {
  it('requires-python not met names the X.Y version', () => {
    const metadata = readScriptMetadata(SCRIPTS.tooNew!, 'rp.py');
    expect(() => checkScriptRequiresPython(metadata, 'rp.py', [3, 11, 7])).toThrow("Script 'rp.py' requires a different Python: 3.11 not in '>=3.99'");
    expect(() => checkScriptRequiresPython(metadata, 'rp.py', [3, 99])).not.toThrow();
  });
  it('adjacent blocks fail as TOML (the greedy regex takes both), separated ones are "Multiple", none is its own error', () => {
    expect(() => readScriptMetadata(SCRIPTS.adjacent!, 'multi.py')).toThrow("Failed to parse TOML in 'multi.py'");
    expect(() => readScriptMetadata(SCRIPTS.two!, 'multi.py')).toThrow("Multiple 'script' blocks found in 'multi.py'");
    expect(() => readScriptMetadata(SCRIPTS.none!, 'none.py')).toThrow("File does not contain 'script' metadata: 'none.py'");
  });
  it('invalid UTF-8 is a crash (exit 2)', () => {
    expect(() => decodeScript(new Uint8Array([0x23, 0xff]), 'bad.py')).toThrow(expect.objectContaining({ kind: 'decode', exitCode: 2 }));
  });
});
