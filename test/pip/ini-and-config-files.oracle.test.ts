// ini.ts against configparser.RawConfigParser, configFilesFor against pip's own
// get_configuration_files()/iter_config_files(), and FormatControl.allowedFormats against pip's
// get_allowed_formats — each batch in one python process.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { configFilesFor } from '../../src/pip/config-files.js';
import { FormatControl, type FormatSide } from '../../src/pip/format-control.js';
import { IniParseError, parseIni } from '../../src/pip/ini.js';

function python(code: string, input: unknown): unknown {
  const run = spawnSync('python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const INI_TEXTS = [
  '[global]\nindex-url = http://x\n',
  // U+FEFF is not whitespace to Python: it stays in the option name (JavaScript's \s would drop it).
  '[download]\nno-binary\ufeff: x\n[global]\n\ufeffkey = \ufeffv\n',
  '[global]\nkey: value\nother=  spaced  \n',
  '[global]\nfind-links =\n    a\n    b\n',
  '[global]\nv =\n  a\n\n  b\n\n',
  '[global]\nv = a\n  # comment inside\n  b\n; tail\n',
  '  [global]\n  x = 1\n',
  '[DEFAULT]\nt = 1\n[global]\nu = 2\n[install]\nt = 3\n',
  '[global]\nA_B = 1\n',
  '[global]\nx = 1\n[global]\ny = 2\n',
  '[global]\nx = 1\nX = 2\n',
  'x = 1\n',
  '\ufeff[global]\nx = 1\n',
  '[global]\njunk line\n= v\nok = 1\nmore junk\n',
  '[a]b]\nx=1\n',
  '[global] trailing\nx=1\n',
  '[global]\r\nx = 1\r\ny = 2\r',
  '[global]\nx = a = b : c\n',
  '[global]\n    \n',
  '# only comments\n; more\n',
  '[global]\nx = 1\n[DEFAULT]\ny = 2\n[DEFAULT]\nz = 3\n',
  '[global]\nx\n',
  '[s]\n#c\nk = v\n   continuation\nk2 = \n',
];

describe('parseIni', () => {
  it(`matches RawConfigParser on ${INI_TEXTS.length} texts`, () => {
    const expected = python(
      `
import configparser, json, sys
out = []
for text in json.load(sys.stdin):
    p = configparser.RawConfigParser()
    try:
        p.read_string(text, source="/x/pip.conf")
        out.append({"sections": [[s, [list(kv) for kv in p.items(s)]] for s in p.sections()]})
    except configparser.Error as e:
        out.append({"error": str(e)})
print(json.dumps(out))`,
      INI_TEXTS,
    ) as Array<{ sections?: unknown; error?: string }>;
    INI_TEXTS.forEach((text, i) => {
      let ours: unknown;
      try {
        ours = { sections: parseIni(text, '/x/pip.conf').map((s) => [s.name, s.entries.map((e) => [e.key, e.value])]) };
      } catch (error) {
        if (!(error instanceof IniParseError)) throw error;
        ours = { error: error.message };
      }
      expect(ours, JSON.stringify(text)).toEqual(expected[i]);
    });
  });
});

describe('configFilesFor', () => {
  const envs: Record<string, string>[] = [
    {},
    { XDG_CONFIG_DIRS: '/a:/b', XDG_CONFIG_HOME: '/xdg' },
    { XDG_CONFIG_DIRS: '  ', XDG_CONFIG_HOME: ' ' },
    { XDG_CONFIG_DIRS: '~/g::/c/', PIP_CONFIG_FILE: '/p.conf' },
    { PIP_CONFIG_FILE: '/dev/null' },
    { PIP_CONFIG_FILE: '' },
    { XDG_CONFIG_HOME: 'relative' },
  ];
  it(`matches pip 23.2.1 for ${envs.length} environments`, () => {
    const expected = python(
      `
import json, os, sys
from pip._internal.configuration import Configuration
out = []
for env in json.load(sys.stdin):
    for k in ("XDG_CONFIG_DIRS", "XDG_CONFIG_HOME", "PIP_CONFIG_FILE"):
        os.environ.pop(k, None)
    os.environ.update(env)
    os.environ["HOME"] = "/home/u"
    files = dict(Configuration(isolated=False).iter_config_files())
    if files["env"][0:1] == [os.devnull]:
        out.append([])
        continue
    order = ["global", "user", "site", "env"]
    out.append([[v, f] for v in order for f in files.get(v, [])])
print(json.dumps(out))`,
      envs,
    ) as string[][][];
    const prefix = (spawnSync('python3', ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).stdout as string).trim();
    envs.forEach((env, i) => {
      const ours = configFilesFor({ env, platform: 'linux', home: '/home/u', sysPrefix: prefix, pipVersion: '23.2.1' });
      // pip leaves the user files out when PIP_CONFIG_FILE exists; none of these paths exist.
      expect(ours.map((f) => [f.variant, f.path]), JSON.stringify(env)).toEqual(expected[i]);
    });
  });
});

describe('FormatControl.allowedFormats', () => {
  const scenarios: Array<Array<[FormatSide, string]>> = [
    [['only_binary', ':all:'], ['no_binary', 'foo']],
    [['no_binary', 'foo'], ['only_binary', ':all:']],
    [['only_binary', ':all:,:none:,bar']],
    [['only_binary', 'Foo_Bar,baz'], ['no_binary', 'foo-bar']],
    [['no_binary', ':all:'], ['only_binary', 'foo.bar']],
    [['no_binary', ':all:'], ['only_binary', ':none:']],
    [['only_binary', 'a,:all:,b,:none:,c'], ['no_binary', 'c']],
  ];
  const names = ['foo', 'Foo_Bar', 'bar', 'baz', 'c', 'other'];
  it(`matches pip on ${scenarios.length} scenarios x ${names.length} names`, () => {
    const expected = python(
      `
import json, sys
from pip._internal.models.format_control import FormatControl
from pip._vendor.packaging.utils import canonicalize_name
data = json.load(sys.stdin)
out = []
for scenario in data["scenarios"]:
    fc = FormatControl(set(), set())
    for side, value in scenario:
        target, other = (fc.no_binary, fc.only_binary) if side == "no_binary" else (fc.only_binary, fc.no_binary)
        FormatControl.handle_mutual_excludes(value, target, other)
    out.append([sorted(fc.get_allowed_formats(canonicalize_name(n))) for n in data["names"]])
print(json.dumps(out))`,
      { scenarios, names },
    ) as string[][][];
    scenarios.forEach((scenario, i) => {
      const fc = new FormatControl();
      scenario.forEach(([side, value], position) => fc.apply(side, value, { kind: 'cli', tokenIndex: position, written: side }));
      expect(names.map((n) => [...fc.allowedFormats(n)].sort()), JSON.stringify(scenario)).toEqual(expected[i]);
    });
  });

  it('names the occurrence that decided', () => {
    const fc = new FormatControl();
    fc.apply('only_binary', ':all:', { kind: 'env', name: 'PIP_ONLY_BINARY' });
    fc.apply('no_binary', 'Foo', { kind: 'config', path: '/p.conf', variant: 'user', section: 'install', key: 'no-binary', line: 3 });
    expect(fc.decidingEntry('foo')).toMatchObject({ side: 'no_binary', member: 'foo', source: { kind: 'config', line: 3 } });
    expect(fc.decidingEntry('bar')).toMatchObject({ side: 'only_binary', member: ':all:', source: { kind: 'env', name: 'PIP_ONLY_BINARY' } });
    expect(fc.events.map((e) => e.value)).toEqual([':all:', 'Foo']);
    expect(fc.isBinaryOnlyEverywhere()).toBe(false);
  });
});
