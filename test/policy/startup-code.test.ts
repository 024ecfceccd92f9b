// The pure start-up code classifier (src/policy/startup-code.ts): site.py's .pth rules, customize
// modules, PEP 829 .start files, and the policy that refuses them unless allowed.
import { describe, expect, it } from 'vitest';
import { classifyPthText, decideStartupCode, findStartupCode, sitePackagesPath, startupFilesToRead, type InspectedWheel } from '../../src/policy/startup-code.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const wheel = (files: Record<string, string>) => ({ names: Object.keys(files), contents: new Map(startupFilesToRead(Object.keys(files)).map((n) => [n, bytes(files[n]!)])) });

describe('classifyPthText (site.py addpackage)', () => {
  it('executes only lines starting with "import " or "import\\t"; everything else is a path or skipped', () => {
    const text = '# import os\n\nimport os; print(1)\nimport\tsys\n  import os\nimportlib\nsub/dir\nimport\n';
    const { executed, paths } = classifyPthText(text);
    expect(executed).toEqual([
      { line: 3, text: 'import os; print(1)' },
      { line: 4, text: 'import\tsys' },
    ]);
    expect(paths.map((p) => p.text)).toEqual(['  import os', 'importlib', 'sub/dir', 'import']);
  });
  it('splits on every str.splitlines() boundary, so a line hidden behind \\v or \\u2028 is still found', () => {
    expect(classifyPthText('x\x0bimport os').executed).toEqual([{ line: 2, text: 'import os' }]);
    expect(classifyPthText('x\u2028import os').executed).toHaveLength(1);
    expect(classifyPthText('x\r\nimport os\rimport sys').executed.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('sitePackagesPath', () => {
  it('maps top-level and .data/purelib|platlib members into site-packages; other .data schemes are elsewhere', () => {
    expect(sitePackagesPath('evil.pth')).toBe('evil.pth');
    expect(sitePackagesPath('p-1.0.data/purelib/evil.pth')).toBe('evil.pth');
    expect(sitePackagesPath('p-1.0.data/platlib/sitecustomize.py')).toBe('sitecustomize.py');
    expect(sitePackagesPath('p-1.0.data/data/evil.pth')).toBeNull();
    expect(sitePackagesPath('p-1.0.data/scripts/x')).toBeNull();
  });
});

describe('findStartupCode', () => {
  it('quotes each executed .pth line with its file and line number', () => {
    const found = findStartupCode(wheel({ 'evil.pth': 'somedir\nimport os; os.system("x")\n', 'evil/__init__.py': '' }));
    expect(found).toEqual([expect.objectContaining({ file: 'evil.pth', line: 2, text: 'import os; os.system("x")', reason: 'pth-import-line' })]);
  });
  it('ignores a .pth with only paths and comments, and .pth files not in site-packages', () => {
    expect(findStartupCode(wheel({ 'paths.pth': '# comment\nsrc\n', 'pkg/inner.pth': 'import os\n', 'p-1.0.data/data/x.pth': 'import os\n' }))).toEqual([]);
  });
  it('finds .pth files under .data/purelib and a BOM-prefixed import line', () => {
    const found = findStartupCode(wheel({ 'p-1.0.data/purelib/a.pth': '\ufeffimport os\n' }));
    expect(found).toEqual([expect.objectContaining({ file: 'p-1.0.data/purelib/a.pth', line: 1, reason: 'pth-import-line' })]);
  });
  it('finds sitecustomize/usercustomize as modules, packages, bytecode and extensions', () => {
    for (const name of ['sitecustomize.py', 'usercustomize.py', 'sitecustomize/__init__.py', 'sitecustomize.pyc', 'sitecustomize.cpython-312-x86_64-linux-gnu.so', 'p-1.0.data/platlib/usercustomize.pyd']) {
      const found = findStartupCode(wheel({ [name]: '' }));
      expect(found, name).toEqual([expect.objectContaining({ file: name, line: null, reason: 'customize-module' })]);
    }
    expect(findStartupCode(wheel({ 'pkg/sitecustomize.py': '', 'sitecustomize_helpers.py': '' }))).toEqual([]);
  });
  it('finds a sitecustomize inside a directory that a .pth path line adds to sys.path', () => {
    const found = findStartupCode(wheel({ 'hook.pth': './hidden\n', 'hidden/sitecustomize.py': 'print(1)' }));
    expect(found).toEqual([expect.objectContaining({ file: 'hidden/sitecustomize.py', reason: 'customize-module-via-pth' })]);
    expect(found[0]!.explanation).toContain('hook.pth line 1');
  });
  it('finds PEP 829 .start entry points', () => {
    const found = findStartupCode(wheel({ 'evil.start': '# entry points\n\nevil.boot:run\n' }));
    expect(found).toEqual([expect.objectContaining({ file: 'evil.start', line: 3, text: 'evil.boot:run', reason: 'start-entry-point' })]);
  });
});

describe('decideStartupCode', () => {
  const evil: InspectedWheel = {
    name: 'evil',
    version: '1.0',
    filename: 'evil-1.0-py3-none-any.whl',
    requiredBy: ['<user>'],
    findings: findStartupCode(wheel({ 'evil.pth': 'import os; open("m","w")\n' })),
  };
  it('install: refused, quoting the file and the line, with the setting that allows it', () => {
    const decision = decideStartupCode('install', [evil], new Set());
    expect(decision.refusals).toHaveLength(1);
    const refusal = decision.refusals[0]!;
    expect(refusal).toMatchObject({ project: 'evil', version: '1.0', requiredBy: 'your requirements' });
    expect(refusal.why).toContain('evil.pth line 1: "import os; open(\\"m\\",\\"w\\")"');
    expect(refusal.allowWith).toContain('SAFE_PIP_ALLOW_STARTUP_CODE=evil');
    expect(refusal.allowWith).toContain('allow-startup-code = ["evil"]');
  });
  it('install of an allowed project: a note, no refusal', () => {
    const decision = decideStartupCode('install', [evil], new Set(['evil']));
    expect(decision.refusals).toEqual([]);
    expect(decision.notes[0]).toMatch(/allowed by allow-startup-code/);
  });
  it('download: nothing runs, so only a note', () => {
    const decision = decideStartupCode('download', [evil], new Set());
    expect(decision.refusals).toEqual([]);
    expect(decision.notes[0]).toMatch(/would run code at every Python start-up once installed: evil\.pth line 1/);
  });
  it('a clean wheel gives nothing', () => {
    expect(decideStartupCode('install', [{ ...evil, findings: [] }], new Set())).toEqual({ refusals: [], notes: [] });
  });
});
