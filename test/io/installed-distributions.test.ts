// src/io/installed-distributions.ts against pip itself: pip's metadata backend
// (`get_environment(paths).iter_installed_distributions(local_only=False)`, the call the resolver
// factory makes on sys.path) over hand-made site directories with every layout the module claims
// to read, and over the real sys.path of both interpreters on this machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpreterSysPath, readInstalledDistributions } from '../../src/io/installed-distributions.js';
import type { InstalledDistributions } from '../../src/resolve/resolver.js';
import { PLAIN_PIP_ENV, runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface Seen {
  name: string;
  version: string;
  requiresDist: string[];
  providesExtra: string[];
}

// The dict the resolver factory builds, through pip's own metadata backend.
const PIP_ORACLE = `
import json, sys
from pip._internal.metadata import get_environment, get_default_environment
paths = json.load(sys.stdin)
env = get_default_environment() if paths is None else get_environment(paths)
out = {}
for dist in env.iter_installed_distributions(local_only=False):
    out[dist.canonical_name] = {
        "name": dist.canonical_name,
        "version": str(dist.version),
        "requiresDist": list(dist.metadata.get_all("Requires-Dist", [])),
        "providesExtra": list(dist.iter_provided_extras()),
    }
print(json.dumps(sorted(out.values(), key=lambda d: d["name"])))
`;

async function pipSees(python: string, paths: string[] | null): Promise<Seen[]> {
  const result = await runCommand(python, ['-c', PIP_ORACLE], { input: JSON.stringify(paths), env: { ...PLAIN_PIP_ENV } });
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Seen[];
}

function weSee(found: InstalledDistributions): Seen[] {
  return [...found.values()]
    .map((d) => ({ name: d.name, version: d.version, requiresDist: [...d.requiresDist], providesExtra: [...d.providesExtra] }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function metadata(name: string, version: string, more = ''): string {
  return `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${more}\n`;
}

/** Three site directories and a develop-install project with every layout pip reads. */
function layouts(): string[] {
  const root = makeTempDir('installed-layouts-');
  const a = join(root, 'site-a');
  const b = join(root, 'site-b');
  const c = join(root, 'site-c.egg');
  const project = join(root, 'project');
  // dist-info with dependencies, markers and extras
  write(join(a, 'alpha-1.0.dist-info', 'METADATA'), metadata('alpha', '1.0', 'Requires-Dist: beta>=1\nRequires-Dist: gamma ; extra == "x"\nRequires-Dist: delta ; python_version < "3"\nProvides-Extra: x\nProvides-Extra: Y.Z\n'));
  // the same project later on the path: the first one wins
  write(join(b, 'alpha-2.0.dist-info', 'METADATA'), metadata('alpha', '2.0'));
  // directory name and metadata name spelled differently
  write(join(a, 'Foo_Bar-1.2.dist-info', 'METADATA'), metadata('foo.bar', '1.2', 'Requires-Dist: alpha\n'));
  // egg-info directory: PKG-INFO without Requires-Dist, requires.txt with sections
  write(join(a, 'legacy-0.5-py3.11.egg-info', 'PKG-INFO'), 'Metadata-Version: 1.1\nName: legacy\nVersion: 0.5\n');
  write(join(a, 'legacy-0.5-py3.11.egg-info', 'requires.txt'), 'plain>=1\n\n[:sys_platform == "linux"]\nlinuxonly\n\n[Fancy Extra]\nfancy\n\n[tls:python_version >= "3"]\ntlsdep\n# comment\n');
  // egg-info file (old distutils)
  write(join(a, 'oldfile-3.1.egg-info'), 'Metadata-Version: 1.0\nName: oldfile\nVersion: 3.1\n');
  // no Name: skipped by pip
  write(join(a, 'nameless-1.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nVersion: 1.0\n\n');
  // empty METADATA, PKG-INFO read instead
  write(join(a, 'fallback-1.0.dist-info', 'METADATA'), '');
  write(join(a, 'fallback-1.0.dist-info', 'PKG-INFO'), metadata('fallback', '1.0'));
  // stdlib names pip skips
  write(join(a, 'argparse-1.4.0.dist-info', 'METADATA'), metadata('argparse', '1.4.0'));
  write(join(b, 'wsgiref-0.1.2.dist-info', 'METADATA'), metadata('wsgiref', '0.1.2'));
  // pre-release and post-release versions, continuation lines
  write(join(b, 'pre-2.0b1.dist-info', 'METADATA'), metadata('pre', '2.0b1', 'Requires-Dist: alpha\n  ; python_version >= "3"\n'));
  // a develop install: site-b/linked.egg-link -> project (relative), holding linked.egg-info
  write(join(project, 'linked.egg-info', 'PKG-INFO'), 'Metadata-Version: 1.1\nName: linked\nVersion: 0.1.dev0\n');
  write(join(project, 'linked.egg-info', 'requires.txt'), 'alpha\n');
  write(join(b, 'linked.egg-link'), '\n../project\n.\n');
  // a .egg path entry: EGG-INFO inside
  write(join(c, 'EGG-INFO', 'PKG-INFO'), 'Metadata-Version: 1.1\nName: eggy\nVersion: 4.0\n');
  write(join(c, 'EGG-INFO', 'requires.txt'), 'alpha\n');
  // a wheel file on sys.path is never looked into
  write(join(root, 'whl-1.0-py3-none-any.whl'), 'not a zip');
  return [a, join(root, 'missing'), b, c, join(root, 'whl-1.0-py3-none-any.whl')];
}

describe('readInstalledDistributions, against pip 23.2.1 metadata', () => {
  it('reads every layout as pip does (first on the path wins, egg-info, egg-link, .egg entries)', async () => {
    const paths = layouts();
    const ours = weSee(await readInstalledDistributions(paths));
    const pips = await pipSees('python3', paths);
    expect(ours).toEqual(pips);
    // the oracle saw the cases that matter, so the comparison proves something
    expect(pips.map((d) => d.name)).toEqual(expect.arrayContaining(['alpha', 'foo-bar', 'legacy', 'oldfile', 'fallback', 'pre', 'linked', 'eggy']));
    expect(pips.find((d) => d.name === 'alpha')?.version).toBe('1.0');
  });

  it('reads the same order the other way round', async () => {
    const [a, missing, b, c] = layouts();
    const paths = [b!, c!, missing!, a!];
    expect(weSee(await readInstalledDistributions(paths))).toEqual(await pipSees('python3', paths));
  });

  for (const python of ['python3', '/usr/bin/python3']) {
    it(`sees what pip sees on ${python}'s own sys.path`, async () => {
      const env = { ...process.env, ...PLAIN_PIP_ENV };
      const paths = await interpreterSysPath(python, env);
      expect(paths.length).toBeGreaterThan(0);
      const ours = weSee(await readInstalledDistributions(paths));
      const pips = await pipSees(python, null);
      expect(ours).toEqual(pips);
      expect(pips.map((d) => d.name)).toContain('pip');
    });
  }
});

describe('interpreterSysPath', () => {
  it('keeps PYTHONPATH (pip sees it) and leaves out the working directory', async () => {
    const extra = makeTempDir('pythonpath-');
    const cwd = makeTempDir('cwd-');
    const paths = await interpreterSysPath('python3', { ...process.env, PYTHONPATH: extra }, cwd);
    expect(paths).toContain(extra);
    expect(paths).not.toContain('');
    expect(paths).not.toContain(cwd);
  });

  it('does not import modules from the working directory', async () => {
    const cwd = makeTempDir('cwd-');
    const marker = join(cwd, 'imported');
    for (const name of ['json', 'os', 'site', 'sitecustomize', 'encodings']) {
      writeFileSync(join(cwd, `${name}.py`), `open(${JSON.stringify(marker)}, "w").close()\n`);
    }
    await interpreterSysPath('python3', { ...process.env }, cwd);
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(false);
  });
});
