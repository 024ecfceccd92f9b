// PEP 751 reading as pip 26.1+ does it: validation and selection checked against packaging 26.2's
// pylock.py (Pylock.from_dict / select, the code pip vendors) in one python3 process, with the
// machine's own marker environment and tag list; the requirement pip builds from each selected
// package checked against pip 26.2.1's utils/pylock.py rules (read from its source).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  isPylockFilename,
  parsePylock,
  pylockRequirement,
  PylockError,
  selectFromPylock,
  type PylockEnvironment,
} from '../../src/standards/pylock.js';
import type { MarkerEnvironment } from '../../src/standards/interpreter-facts.js';

const ORACLE = String.raw`
import json, sys, tomllib
from pathlib import Path
from packaging.pylock import Pylock, is_valid_pylock_path
from packaging.markers import default_environment
from packaging.tags import sys_tags
req = json.load(sys.stdin)
out = {"env": default_environment(), "tags": [str(t) for t in sys_tags()], "cases": [], "names": []}
for text in req["locks"]:
    try:
        lock = Pylock.from_dict(tomllib.loads(text))
    except Exception as e:
        out["cases"].append({"invalid": f"Invalid pylock file 'pylock.toml': {e}"})
        continue
    try:
        sel = [{"name": p.name, "kind": type(d).__name__.replace("Package", "").lower(), "file": getattr(d, "filename", None) if type(d).__name__ in ("PackageWheel", "PackageSdist") else None} for p, d in lock.select()]
        out["cases"].append({"selected": sel})
    except Exception as e:
        out["cases"].append({"select": f"Cannot select requirements from pylock file 'pylock.toml': {e}"})
for name in req["names"]:
    out["names"].append(is_valid_pylock_path(Path(name)))
print(json.dumps(out))
`;

const HEAD = 'lock-version = "1.0"\ncreated-by = "test"\n';
const H = 'hashes = {sha256 = "aa"}';
const LOCKS: string[] = [
  // selection
  `${HEAD}[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [\n {url = "https://x/a-1.0-py3-none-any.whl", ${H}},\n {url = "https://x/a-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", ${H}},\n {url = "https://x/a-1.0-cp399-cp399-win_amd64.whl", ${H}},\n]\n`,
  `${HEAD}[[packages]]\nname = "b"\nversion = "2.0"\nsdist = {url = "https://x/b-2.0.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "c"\nwheels = [{url = "https://x/c-1.0-cp399-none-win_amd64.whl", ${H}}]\nsdist = {path = "dist/c-1.0.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "d"\nwheels = [{url = "https://x/d-1.0-cp399-none-win_amd64.whl", ${H}}]\n`,
  `${HEAD}[[packages]]\nname = "e"\nvcs = {type = "git", url = "https://g/e.git", commit-id = "abc123"}\n[[packages]]\nname = "f"\ndirectory = {path = "../f", editable = true}\n[[packages]]\nname = "g"\narchive = {url = "https://x/g.zip", subdirectory = "sub", ${H}}\n`,
  `${HEAD}default-groups = ["dev"]\n[[packages]]\nname = "h"\nmarker = "'dev' in dependency_groups"\nsdist = {url = "https://x/h-1.tar.gz", ${H}}\n[[packages]]\nname = "i"\nmarker = "'test' in dependency_groups or 'x' in extras"\nsdist = {url = "https://x/i-1.tar.gz", ${H}}\n[[packages]]\nname = "j"\nmarker = "python_version < '3'"\nsdist = {url = "https://x/j-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "k"\nmarker = 'extra == "a"'\nsdist = {url = "https://x/k-1.tar.gz", ${H}}\n`,
  `${HEAD}requires-python = ">=3.99"\npackages = []\n`,
  `${HEAD}environments = ["sys_platform == 'win32'"]\npackages = []\n`,
  `${HEAD}environments = ["sys_platform == 'win32'", "python_version >= '3'"]\npackages = []\n`,
  `${HEAD}[[packages]]\nname = "l"\nrequires-python = "<3"\nsdist = {url = "https://x/l-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "m"\nsdist = {url = "https://x/m-1.tar.gz", ${H}}\n[[packages]]\nname = "m"\nsdist = {url = "https://x/m-2.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "m"\nmarker = "python_version < '3'"\nsdist = {url = "https://x/m-1.tar.gz", ${H}}\n[[packages]]\nname = "m"\nsdist = {url = "https://x/m-2.tar.gz", ${H}}\n`,
  // validation
  `${HEAD}[[packages]]\nname = "X"\nsdist = {url = "https://x/x-1.tar.gz", ${H}}\n`,
  'lock-version = "1.0"\npackages = []\n',
  'created-by = "t"\npackages = []\n',
  'lock-version = "2.0"\ncreated-by = "t"\npackages = []\n',
  'lock-version = "1.5"\ncreated-by = "t"\npackages = []\n',
  'lock-version = "x"\ncreated-by = "t"\npackages = []\n',
  `${HEAD}`,
  `${HEAD}packages = "nope"\n`,
  `${HEAD}packages = [1]\n`,
  `${HEAD}[[packages]]\nname = "n"\n`,
  `${HEAD}[[packages]]\nname = "n"\nsdist = {url = "https://x/n-1.tar.gz", ${H}}\nvcs = {type = "git", url = "u", commit-id = "c"}\n`,
  `${HEAD}[[packages]]\nname = "n"\nsdist = {url = "https://x/n-1.tar.gz", hashes = {}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nsdist = {url = "https://x/n-1.tar.gz"}\n`,
  `${HEAD}[[packages]]\nname = "n"\nsdist = {${H}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nsdist = {url = "https://x/other-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nversion = "2"\nsdist = {url = "https://x/n-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nversion = "1.0"\nwheels = [{url = "https://x/n-1.0-py3-none-any.whl", ${H}}, {url = "https://x/n-2.0-py3-none-any.whl", ${H}}]\n`,
  `${HEAD}[[packages]]\nname = "n"\nwheels = [{url = "https://x/not-a-wheel.whl", ${H}}]\n`,
  `${HEAD}[[packages]]\nname = "n"\nversion = 1\nsdist = {url = "https://x/n-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nmarker = "python_version >"\nsdist = {url = "https://x/n-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nrequires-python = ">=bogus"\nsdist = {url = "https://x/n-1.tar.gz", ${H}}\n`,
  `${HEAD}[[packages]]\nname = "n"\nvcs = {type = "git", url = "u"}\n`,
  `${HEAD}[[packages]]\nname = "n"\ndirectory = {path = "d", editable = "yes"}\n`,
  `${HEAD}[[packages]]\nname = "n"\narchive = {url = "u", ${H}, size = "big"}\n`,
  `${HEAD}extras = ["Not_Normal"]\npackages = []\n`,
  `${HEAD}environments = ["bogus marker"]\npackages = []\n`,
  `${HEAD}[[packages]]\nname = "n"\nattestation-identities = [{x = 1}]\nsdist = {url = "https://x/n-1.tar.gz", ${H}}\n`,
];
const NAMES = ['pylock.toml', 'pylock.dev.toml', 'pylock..toml', 'pylock.a.b.toml', 'dir/pylock.toml', 'Pylock.toml', 'pylock.toml/', 'requirements.txt', 'pylock.toml.txt'];

const oracle = JSON.parse(execFileSync('python3', ['-c', ORACLE], { input: JSON.stringify({ locks: LOCKS, names: NAMES }), encoding: 'utf8', env: { ...process.env } })) as {
  env: MarkerEnvironment;
  tags: string[];
  cases: ({ invalid: string } | { select: string } | { selected: { name: string; kind: string; file: string | null }[] })[];
  names: boolean[];
};
const ENV: PylockEnvironment = { markers: oracle.env, tags: oracle.tags };

describe('parsePylock + selectFromPylock against packaging 26.2', () => {
  it.each(LOCKS.map((text, i) => [i, text, oracle.cases[i]!] as const))('lock %i', (_i, text, want) => {
    let got: unknown;
    try {
      const lock = parsePylock(text, 'pylock.toml');
      got = {
        selected: selectFromPylock(lock, ENV, 'pylock.toml').map((s) => ({
          name: s.package.name,
          kind: s.source.kind,
          file: s.source.kind === 'wheel' || s.source.kind === 'sdist' ? s.source.distribution.filename : null,
        })),
      };
    } catch (error) {
      if (!(error instanceof PylockError)) throw error;
      got = error.kind === 'invalid' ? { invalid: error.pipMessage } : { select: error.pipMessage };
    }
    expect(got).toEqual(want);
  });
  it('file names pip treats as lock files', () => {
    expect(NAMES.map(isPylockFilename)).toEqual(oracle.names);
    expect(isPylockFilename('https://h/locks/pylock.web.toml?x=1')).toBe(true);
    expect(isPylockFilename('https://h/pylock.toml/other.txt')).toBe(false);
  });
});

describe('pylockRequirement (pip 26.2.1 install_req_from_pylock_package)', () => {
  const select = (text: string, location: string) => selectFromPylock(parsePylock(text, location), ENV, location);
  it('wheels and sdists become name==version with the locked file and its hashes', () => {
    const [wheel] = select(`${HEAD}[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [{url = "https://x/a-1.0-py3-none-any.whl", ${H}}]\n`, 'locks/pylock.toml');
    expect(pylockRequirement(wheel!, 'locks/pylock.toml', '/work')).toEqual({
      form: 'pinned',
      text: 'a==1.0',
      url: 'https://x/a-1.0-py3-none-any.whl',
      lockedUrl: 'https://x/a-1.0-py3-none-any.whl',
      hashes: { sha256: ['aa'] },
    });
    const [sdist] = select(LOCKS[2]!, 'locks/pylock.toml');
    // No version in the lock: pip takes it from the filename; a relative path joins the lock's directory.
    expect(pylockRequirement(sdist!, 'locks/pylock.toml', '/work')).toMatchObject({ form: 'pinned', text: 'c==1.0', url: 'file:///work/locks/dist/c-1.0.tar.gz' });
    expect(pylockRequirement(sdist!, 'https://h/l/pylock.toml', '/work').url).toBe('https://h/l/dist/c-1.0.tar.gz');
  });
  it('vcs, directory and archive entries', () => {
    const [vcs, dir, archive] = select(LOCKS[4]!, '/p/pylock.toml');
    expect(pylockRequirement(vcs!, '/p/pylock.toml', '/work')).toMatchObject({ form: 'pep508', text: 'e @ git+https://g/e.git@abc123', hashes: null });
    expect(pylockRequirement(dir!, '/p/pylock.toml', '/work')).toMatchObject({ form: 'editable', text: 'file:///f/' });
    expect(pylockRequirement(archive!, '/p/pylock.toml', '/work')).toMatchObject({ form: 'pep508', text: 'g @ https://x/g.zip#subdirectory=sub', hashes: { sha256: ['aa'] } });
    expect(() => pylockRequirement(dir!, 'https://h/pylock.toml', '/work')).toThrow("Directory entries are not supported in remote pylock.toml 'https://h/pylock.toml'");
  });
  it("a remote lock cannot point outside itself", () => {
    const lock = `${HEAD}[[packages]]\nname = "o"\nsdist = {path = "/etc/o-1.tar.gz", ${H}}\n[[packages]]\nname = "p"\nsdist = {path = "file:///etc/p-1.tar.gz", ${H}}\n`;
    const [abs, scheme] = select(lock, 'https://h/pylock.toml');
    expect(() => pylockRequirement(abs!, 'https://h/pylock.toml', '/w')).toThrow("Absolute paths are not supported in pylock files obtained from a URL: '/etc/o-1.tar.gz' in 'https://h/pylock.toml'");
    expect(() => pylockRequirement(scheme!, 'https://h/pylock.toml', '/w')).toThrow("Path 'file:///etc/p-1.tar.gz' in pylock file obtained from a URL resolves outside its location: 'https://h/pylock.toml'");
  });
});
