// Differential tests: classifyRequirementString against pip's own install_req_from_line /
// install_req_from_editable (pip 23.2.1, 23.0.1 and 24.2 on this machine), over a fixture directory with
// archives, wheels, project directories and a non-project directory. Compared: the error pip raises (type and
// message), the link pip builds (URL, wheel/VCS), the requirement name and specifier, extras, markers and the
// missing-file warning.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClassifiedRequirement, classifyRequirementString, RequirementLineError } from '../../src/pip/requirement-line.js';
import { formatMarker, parseMarker } from '../../src/standards/pep508/markers.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ORACLE = fileURLToPath(new URL('../standards/oracle-reqfile/classify_oracle.py', import.meta.url));
const PYTHONS: Record<string, string> = {
  '23.2.1': 'python3',
  '23.0.1': '/usr/bin/python3',
  '24.2': '/root/.pyenv/versions/3.13.0/bin/python3',
};

interface Case {
  text: string;
  editable: boolean;
}

const ARCHIVES = ['pkg-1.0.tar.gz', 'pkg-1.0.zip', 'Pkg-1.0.TAR.GZ', 'pkg-1.0.tar.bz2', 'pkg-1.0.tgz', 'pkg-1.0.tar.xz', 'pkg-1.0.tbz', 'pkg-1.0.tar', 'pkg-1.0.txz', 'pkg-1.0.tar.lzma'];

const LINES: string[] = [
  // named
  'foo', 'foo==1.0', 'Foo_Bar>=1,<2', 'foo[bar,baz]>=1', "foo ; python_version<'3'", 'foo; python_version < "3.8"',
  "foo==1.0; extra == 'x'", 'foo (>=1.0)', 'foo=1.0', 'foo>=1.0[extra]', 'foo==', '1foo', 'foo bar', 'foo==1.*', 'foo~=1.0',
  'foo>=1,!=1.5', 'foo[]', ' foo ', 'foo;', 'foo ;', 'foo[Bar]', 'foo.bar', 'foo-bar_baz', 'foo>=1 ; os_name == "posix" and python_version >= "3"',
  'foo=bar', 'foo >= 1.0', 'foo<2;python_version>"3"', 'foo[a]; python_version>"3"', 'foo!=1.0,>=0.5', 'foo @',
  // packaging 21.3's legacy specifiers (pip <= 24.0) and what it still rejects
  'flask>=>1', 'foo==2010i', 'foo>=1.0.0-SNAPSHOT', 'foo~=1', 'foo===abc', 'foo===', 'foo>=1.0,', 'foo==2010i,>=1', 'foo (==2010i)',
  'foo==2010i; python_version>"3"', 'foo<=1.0 ,!=abc', 'foo>= 2010i',
  // name @ url
  'foo @ https://x.example/foo-1.0.tar.gz', 'foo @ https://x.example/foo-1.0-py3-none-any.whl', 'foo @ git+https://x.example/foo.git',
  'foo @ git+file:///tmp/repo', 'foo @ file:///tmp/foo-1.0.tar.gz', "foo[extra] @ https://x.example/y.zip ; python_version>'3'",
  'foo@https://x.example/y.zip', "foo @ https://x.example/y.zip; python_version>'3'", 'foo @ https://x.example/y.zip#sha256=abc',
  'foo @ git+https://x.example/foo.git@v1#subdirectory=sub', 'Foo-Bar @ https://x.example/a/b/c.tar.gz', 'foo @ https://user:pw@x.example/y.zip',
  // bare URLs
  'https://x.example/pkg-1.0.tar.gz', 'https://x.example/pkg-1.0.tar.gz#egg=pkg', 'https://x.example/dl?file=pkg.zip',
  'https://x.example/demo_pkg-1.0-py3-none-any.whl', 'https://x.example/bad.whl', 'HTTPS://X.example/p.tar.gz', 'git+https://x.example/r.git#egg=r',
  'git+https://x.example/r.git', 'git+ssh://git@x.example/r.git#egg=r&subdirectory=sub', 'hg+https://x.example/r#egg=r', 'svn+svn://x.example/r#egg=r',
  'bzr+lp:foo#egg=foo', 'git+file:///tmp/r#egg=r', 'ftp://x.example/p.tar.gz', "https://x.example/p.tar.gz; python_version>'3'",
  "https://x.example/p.tar.gz;python_version>'3'", 'https://x.example/p.tar.gz#egg=p[extra]', 'git://x.example/r.git#egg=r',
  'https://x.example/p.tar.gz#egg=p&subdirectory=s', 'https://x.example/', 'https://x.example/Demo_Pkg-2.0_beta-py2.py3-none-any.whl',
  'https://x.example/demo-1.0-1build-py3-none-any.whl', 'https://x.example/p.WHL', 'https://x.example/a%20b-1.0.tar.gz', 'git+https://x.example/r.git@main#egg=r',
  'https://x.example/p.tar.gz#egg=1bad-', 'hg+static-http://x.example/r#egg=r', 'svn+https://x.example/r#egg=r', 'git+git://x.example/r#egg=r',
  'ssh://x.example/r', 'file:{{DIR}}/pkg-1.0.zip', 'file://{{DIR}}/pkg-1.0.tar.gz', 'file://{{DIR}}/sub/../pkg-1.0.tar.gz', 'file://{{DIR}}/dir_proj',
  // paths
  ...ARCHIVES.map((a) => `./${a}`),
  ...ARCHIVES.map((a) => a),
  './missing-1.0.tar.gz', 'missing-1.0.tar.gz', 'foo@missing-1.0.tar.gz', './x@1.0.tar.gz', 'foo @ ./missing-1.0.tar.gz',
  './dir_proj', 'dir_proj', './dir_setup', './dir_empty', './dir_proj[extra]', './dir_proj[Extra,other]', './pkg-1.0.tar.gz[extra]',
  './notes.txt', './demo_pkg-1.0-py3-none-any.whl', 'demo_pkg-1.0-py3-none-any.whl', './bad.whl', './missing.whl', '/nonexistent/path/missing-1.0.zip',
  '{{DIR}}/pkg-1.0.zip', './sub/../pkg-1.0.tgz', "./dir_proj ; python_version>'3'", "./dir_proj; python_version>'3'", '.', '..', './',
  'sub/pkg-2.0.tar.gz', 'sub', './sub', 'foo/bar', './dir_proj/', 'dir_setup/', '{{DIR}}/dir_proj', './missing_dir', '.hidden-1.0.tar.gz',
  './pkg-1.0.tar.gz; python_version>"3"', 'pkg-1.0.tar.gz[extra]', './Pkg-1.0.TAR.GZ[x]', 'sub/../dir_proj',
];

const EDITABLES: string[] = [
  './dir_proj', '.', './dir_proj[dev]', 'dir_proj', './dir_empty', 'file://{{DIR}}/dir_proj', 'file://{{DIR}}/dir_proj#egg=proj',
  'git+https://x.example/r.git#egg=r', 'git+https://x.example/r.git', 'git://x.example/r.git#egg=r', 'hg://x.example/r#egg=r', 'svn:foo#egg=foo',
  'https://x.example/r.tar.gz', 'foo', 'git+https://x.example/r.git#egg=r[extra]', 'git+https://x.example/r#egg=', './missing_dir',
  'git+ssh://git@x.example/r.git#egg=r&subdirectory=s', 'bzr+https://x.example/r#egg=r', 'GIT://x.example/r#egg=r', 'dir_setup[a,b]',
  'file:///nonexistent#egg=x', 'git+https://x.example/r.git#egg=bad name', 'hg+https://x.example/r#egg=r', 'sub', 'foo @ git+https://x.example/r.git',
];

const CASES: Case[] = [...LINES.map((text) => ({ text, editable: false })), ...EDITABLES.map((text) => ({ text, editable: true }))];

let dir: string;
const results = new Map<string, OracleOutput[]>();

interface OracleOutput {
  pip: string;
  error: { type: string; message: string } | null;
  name?: string | null;
  specifier?: string | null;
  url_in_req?: string | null;
  extras?: string[];
  markers?: string | null;
  link?: { url: string; scheme: string; is_wheel: boolean; is_vcs: boolean; filename: string } | null;
  warnings: string[];
}

beforeAll(async () => {
  dir = makeTempDir('safe-pip-classify-');
  for (const a of [...ARCHIVES, 'demo_pkg-1.0-py3-none-any.whl', 'bad.whl', 'notes.txt', 'sub/pkg-2.0.tar.gz', '.hidden-1.0.tar.gz']) {
    mkdirSync(join(dir, a, '..'), { recursive: true });
    writeFileSync(join(dir, a), a === 'notes.txt' ? 'not a requirement!!\n' : 'x');
  }
  for (const [d, file] of [['dir_proj', 'pyproject.toml'], ['dir_setup', 'setup.py'], ['foo', 'setup.py']] as const) {
    mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, d, file), '');
  }
  mkdirSync(join(dir, 'dir_empty'));
  const input = JSON.stringify(CASES.map((c) => ({ dir, text: fill(c.text), editable: c.editable })));
  await Promise.all(
    Object.entries(PYTHONS).map(async ([version, python]) => {
      const out = await execa(python, [ORACLE], { input, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, extendEnv: false });
      results.set(version, JSON.parse(out.stdout) as OracleOutput[]);
    }),
  );
});

function fill(text: string): string {
  return text.replaceAll('{{DIR}}', dir);
}

const fs = {
  isFile: (p: string) => existsSync(p) && statSync(p).isFile(),
  isDir: (p: string) => existsSync(p) && statSync(p).isDirectory(),
  dirHasProjectFile: (p: string) =>
    [join(p, 'pyproject.toml'), join(p, 'setup.py')].some((f) => existsSync(f) && statSync(f).isFile()),
};

/** pip 23's safe_extra, applied to extras pip keeps from a requirement. */
const safeExtra = (e: string): string => e.replace(/[^A-Za-z0-9.-]+/g, '_').toLowerCase();

function linkUrl(ours: ClassifiedRequirement): string | null {
  if (ours.kind === 'named') return null;
  return ours.url;
}

describe.each(Object.keys(PYTHONS))('requirement strings against pip %s', (version) => {
  it('has a large corpus', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(results.get(version)![0]!.pip).toBe(version);
  });

  it.each(CASES.map((c, i) => [`${c.editable ? '-e ' : ''}${c.text}`, i] as const))('%s', (_name, index) => {
    const c = CASES[index]!;
    const pip = results.get(version)![index]!;
    let ours: ClassifiedRequirement | RequirementLineError;
    try {
      ours = classifyRequirementString(fill(c.text), { cwd: dir, fs, editable: c.editable, pipVersion: version });
    } catch (error) {
      if (!(error instanceof RequirementLineError)) throw error;
      ours = error;
    }
    if (pip.error !== null) {
      expect(ours, `pip: ${pip.error.type}: ${pip.error.message}`).toBeInstanceOf(RequirementLineError);
      const error = ours as RequirementLineError;
      expect(['InstallationError', 'InvalidWheelFilename', 'InvalidEggFragment']).toContain(pip.error.type);
      if (version.startsWith('23.')) expect(error.pipMessage).toBe(pip.error.message);
      else expect(pip.error.message.startsWith(error.pipMessage.split(': ').slice(0, 2).join(': '))).toBe(true);
      return;
    }
    expect(ours, ours instanceof Error ? ours.message : '').not.toBeInstanceOf(Error);
    const r = ours as ClassifiedRequirement;
    expect(linkUrl(r)).toBe(pip.link?.url ?? null);
    expect(r.name).toBe(pip.name);
    if (r.requirement !== null) expect(r.requirement.specifier).toBe(pip.specifier);
    const ourExtras = (r.kind === 'path' || (r.kind === 'editable' && r.local) ? r.extras : r.extras.map(safeExtra)).sort();
    expect(ourExtras).toEqual(pip.extras);
    expect(r.marker === null ? null : formatMarker(parseMarker(r.marker))).toBe(pip.markers);
    if (pip.link) {
      const ourWheel = r.kind === 'path' ? r.isWheel : r.kind === 'url' ? r.linkKind === 'wheel' : false;
      expect(ourWheel).toBe(pip.link.is_wheel);
      expect(r.kind === 'editable' ? r.vcs : r.kind === 'url' && r.linkKind === 'vcs').toBe(pip.link.is_vcs);
    }
    expect(r.kind === 'named').toBe(pip.link === null);
    expect(r.warnings.filter((w) => w.includes('looks like a filename'))).toEqual(pip.warnings);
  });
});
