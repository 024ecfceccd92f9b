// src/io/interpreter-probe.ts against the interpreters themselves: the probe's answer equals what
// the Python prints for the same expressions and what packaging 26's default_environment() says;
// the cache is used on the second call and dropped when the pip or the interpreter changes; the
// answer a pip-first launcher's Python sends is used only where it stands for that probe; run
// without `site`, the probe answers as with it and runs no .pth file.
import { execFileSync } from 'node:child_process';
import { existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safePipCacheDir } from '../../src/io/cache-dir.js';
import { findPipInterpreter, interpreterFromScript, locatePipInterpreter, probeInterpreterWithSource } from '../../src/io/interpreter-probe.js';
import { claimPipFirst, takePipFirstHandOff } from '../../src/io/pip-first.js';
import type { InterpreterFacts } from '../../src/standards/interpreter-facts.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { writeExecutable } from '../launcher/harness.js';

const oracle = `
import json, os, platform, sys, sysconfig
from packaging.markers import default_environment
import pip
try:
    glibc = os.confstr("CS_GNU_LIBC_VERSION").split()[1]
except Exception:
    glibc = None
print(json.dumps({
    "executable": sys.executable,
    "pythonVersion": list(sys.version_info[:3]),
    "implementationName": sys.implementation.name,
    "markers": default_environment(),
    "sysconfigPlatform": sysconfig.get_platform(),
    "extSuffix": sysconfig.get_config_var("EXT_SUFFIX"),
    "soabi": sysconfig.get_config_var("SOABI"),
    "freeThreaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "debugBuild": bool(sysconfig.get_config_var("Py_DEBUG")),
    "is64bit": sys.maxsize > 2**32,
    "glibcVersion": glibc,
    "muslVersion": None,
    "macVersion": platform.mac_ver()[0] or None,
    "prefix": sys.prefix,
    "basePrefix": sys.base_prefix,
    "pipVersion": pip.__version__,
}))
`;

describe('probe answers like the interpreter and packaging', () => {
  it('pyenv python3 behind the pyenv shim (resolved by reading pyenv\'s selection, not by running it)', async () => {
    const realPip = execFileSync('/bin/sh', ['-c', 'command -v pip'], { encoding: 'utf8' }).trim();
    expect((await locatePipInterpreter(realPip, { ...process.env }, process.cwd())).askedPip).toBe(false);
    const { facts } = await probeInterpreterWithSource(realPip, { cacheDir: makeTempDir(), env: { ...process.env } });
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const expected = JSON.parse(execFileSync(python, ['-c', oracle], { encoding: 'utf8' })) as Record<string, unknown>;
    // The pip script names python3.11, `python3` is a link to it: the same interpreter.
    expect(realpathSync(facts.executable)).toBe(realpathSync(python));
    expect({ ...facts, executable: python }).toEqual(expected);
  });

  it('Debian /usr/bin/pip (a Python script: its shebang), against packaging 26 for the markers', async () => {
    const { facts } = await probeInterpreterWithSource('/usr/bin/pip', { cacheDir: makeTempDir(), env: { ...process.env } });
    expect(facts.executable).toBe('/usr/bin/python3');
    // Debian's python has no packaging 26: run the oracle with the pyenv packaging on its path.
    const packagingDir = execFileSync('python3', ['-c', 'import packaging, os; print(os.path.dirname(os.path.dirname(packaging.__file__)))'], { encoding: 'utf8' }).trim();
    const shim = makeTempDir();
    execFileSync('/bin/sh', ['-c', `mkdir -p "${shim}/p" && cp -r "${packagingDir}/packaging" "${shim}/p/"`]);
    const expected = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(`${shim}/p`)})\n${oracle}`], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(facts).toEqual(expected);
    expect(facts.pipVersion).toBe('23.0.1');
  });
});

describe('which interpreter', () => {
  it('reads shebangs, env lookups and pip\'s long-path launcher; gives up on other scripts', () => {
    const dir = makeTempDir();
    const py = writeExecutable(join(dir, 'bin', 'python3.12'), '');
    const env = { PATH: join(dir, 'bin') };
    expect(interpreterFromScript('#!/usr/bin/python3\nimport re\n', env)).toBe('/usr/bin/python3');
    expect(interpreterFromScript('#!/opt/venv/bin/python -E\n', env)).toBe('/opt/venv/bin/python');
    expect(interpreterFromScript('#!/usr/bin/env python3.12\n', env)).toBe(py);
    expect(interpreterFromScript('#!/usr/bin/env -S python3.12 -I\n', env)).toBe(py);
    expect(interpreterFromScript('#!/usr/bin/env python3.99\n', env)).toBeUndefined();
    expect(interpreterFromScript(`#!/bin/sh\n'''exec' "/a dir/bin/python3" "$0" "$@"\n' '''\n`, env)).toBe('/a dir/bin/python3');
    expect(interpreterFromScript('#!/usr/bin/env bash\nexec pyenv exec pip\n', env)).toBeUndefined();
    expect(interpreterFromScript('#!/bin/sh\nexec something\n', env)).toBeUndefined();
    expect(interpreterFromScript('\x7fELF', env)).toBeUndefined();
  });

  it('asks a non-Python pip with `pip debug`', async () => {
    const dir = makeTempDir();
    const pip = writeExecutable(join(dir, 'pip'), '#!/bin/sh\n[ "$1" = debug ] && echo "sys.executable: /opt/some/python3"\n');
    expect(await findPipInterpreter(pip, {})).toBe('/opt/some/python3');
  });
});

describe('cache', () => {
  it('second call hits the cache; a changed mtime or a corrupt entry makes it probe again', async () => {
    const dir = makeTempDir();
    // A pip script whose shebang is a copy of python3 — a file we may touch.
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const pip = writeExecutable(join(dir, 'pip'), `#!${python}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    const cacheDir = join(dir, 'cache');
    const first = await probeInterpreterWithSource(pip, { cacheDir, env: {} });
    expect(first.source).toBe('probe');
    const second = await probeInterpreterWithSource(pip, { cacheDir, env: {} });
    expect(second.source).toBe('cache');
    expect(second.facts).toEqual(first.facts);
    expect(second.cacheFile).toBe(first.cacheFile);

    const mtime = statSync(pip).mtime;
    utimesSync(pip, mtime, new Date(mtime.getTime() + 5000));
    const afterTouch = await probeInterpreterWithSource(pip, { cacheDir, env: {} });
    expect(afterTouch.source).toBe('probe');
    expect(afterTouch.cacheFile).not.toBe(first.cacheFile);
    expect((await probeInterpreterWithSource(pip, { cacheDir, env: {} })).source).toBe('cache');

    for (const corrupt of ['{not json', JSON.stringify({ key: 'x', facts: {} }), '']) {
      writeFileSync(afterTouch.cacheFile, corrupt);
      const again = await probeInterpreterWithSource(pip, { cacheDir, env: {} });
      expect(again.source).toBe('probe');
      expect(JSON.parse(readFileSync(afterTouch.cacheFile, 'utf8')).facts).toEqual(first.facts);
    }
  });

  it('whileProbing runs while Python probes (a cache miss only), and its failure changes nothing', async () => {
    const dir = makeTempDir();
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const pip = writeExecutable(join(dir, 'pip'), `#!${python}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    const cacheDir = join(dir, 'cache');
    let calls = 0;
    const failing = async (): Promise<never> => {
      calls++;
      throw new Error('preload failed');
    };
    const first = await probeInterpreterWithSource(pip, { cacheDir, env: {}, whileProbing: failing });
    expect([first.source, calls]).toEqual(['probe', 1]);
    const second = await probeInterpreterWithSource(pip, { cacheDir, env: {}, whileProbing: failing });
    expect([second.source, calls]).toEqual(['cache', 1]);
    expect(second.facts).toEqual(first.facts);
  });

  it('Python is started before whileProbing runs, so the two overlap even when whileProbing holds the thread', async () => {
    const dir = makeTempDir();
    const started = join(dir, 'started');
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const logging = writeExecutable(join(dir, 'python', 'python3'), `#!/bin/sh\ndate +%s%3N >'${started}'\nexec '${python}' "$@"\n`);
    const pip = writeExecutable(join(dir, 'pip'), `#!${logging}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    let held: { from: number; to: number; folder: boolean } | null = null;
    const holding = async (): Promise<void> => {
      const from = Date.now();
      // Module loading is such work: it holds the thread; a Python not yet started would wait.
      while (Date.now() - from < 1500) {
        // busy
      }
      held = { from, to: Date.now(), folder: existsSync(join(dir, 'cache', 'interpreters')) };
    };
    // One folder left to make: a deeper one is made a level per turn of the (held) thread.
    mkdirSync(join(dir, 'cache'));
    const result = await probeInterpreterWithSource(pip, { cacheDir: join(dir, 'cache'), env: {}, whileProbing: holding });
    expect(result.source).toBe('probe');
    expect(held).not.toBeNull();
    expect(Number(readFileSync(started, 'utf8'))).toBeLessThan(held!.to);
    // The cache's folder too is made meanwhile (on the thread pool), not after the answer.
    expect(held!.folder).toBe(true);
  });

  it("runs the probe file's bytecode from Python's own cache (python/__pycache__), not its text compiled anew", async () => {
    const dir = makeTempDir();
    const argsLog = join(dir, 'args');
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const logging = writeExecutable(join(dir, 'python', 'python3'), `#!/bin/sh\nprintf '%s\\n' "$@" >'${argsLog}'\nexec '${python}' "$@"\n`);
    const pip = writeExecutable(join(dir, 'pip'), `#!${logging}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    const probeFile = join(process.cwd(), 'python', 'interpreter-probe.py');
    const first = await probeInterpreterWithSource(pip, { cacheDir: join(dir, 'cache-1'), env: {} });
    expect(first.source).toBe('probe');
    const args = readFileSync(argsLog, 'utf8').trimEnd().split('\n');
    expect(args.slice(0, 3)).toEqual(['-I', '-S', '-c']);
    expect(args.at(-1)).toBe(probeFile);
    // Where Python keeps the bytecode of that file, and it is current for the source.
    const pyc = execFileSync(python, ['-c', 'import importlib.util, sys; print(importlib.util.cache_from_source(sys.argv[1]))', probeFile], { encoding: 'utf8' }).trim();
    const header = readFileSync(pyc).subarray(8, 16);
    expect([header.readUInt32LE(0), header.readUInt32LE(4)]).toEqual([Math.floor(statSync(probeFile).mtimeMs / 1000) >>> 0, statSync(probeFile).size]);
    // A second cold probe reads it: the cache file is not written again, and the answer is the same.
    const written = statSync(pyc).mtimeMs;
    const second = await probeInterpreterWithSource(pip, { cacheDir: join(dir, 'cache-2'), env: {} });
    expect(second.source).toBe('probe');
    expect(statSync(pyc).mtimeMs).toBe(written);
    expect(second.facts).toEqual(first.facts);
  });

  it("the launcher's answer (pip-first.ts) serves a cache miss for its own pip only, and only when it holds; its descriptor is closed either way", async () => {
    const dir = makeTempDir();
    const starts = join(dir, 'starts');
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const logging = writeExecutable(join(dir, 'python', 'python3'), `#!/bin/sh\necho "$1" >>'${starts}'\nexec '${python}' "$@"\n`);
    const pip = writeExecutable(join(dir, 'pip'), `#!${logging}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    const oracle = await probeInterpreterWithSource(pip, { cacheDir: join(dir, 'oracle'), env: {} });
    const oracleEntry = JSON.parse(readFileSync(oracle.cacheFile, 'utf8')) as { facts: InterpreterFacts; pipImportPath: unknown };
    // The launcher's answer, told apart from the probe's by one marker value.
    const marked = { ...oracleEntry.facts, markers: { ...oracleEntry.facts.markers, platform_release: 'from-the-launcher' } };
    const answer = JSON.stringify({ ...marked, pipImportPath: oracleEntry.pipImportPath });
    let runs = 0;
    const probeWith = async (text: string, forPip: string, cacheDir = join(dir, `cache-${++runs}`)) => {
      writeFileSync(join(dir, 'answer'), text);
      const fd = openSync(join(dir, 'answer'), 'r');
      takePipFirstHandOff({ SAFE_PIP_LAUNCHER_PIP_FIRST: `1001 1002 1003 ${fd} ${forPip}` });
      expect(claimPipFirst()?.decisionFd).toBe(1001);
      writeFileSync(starts, '');
      const result = await probeInterpreterWithSource(pip, { cacheDir, env: {} });
      expect(() => fstatSync(fd), 'closed').toThrow();
      return { source: result.source, facts: result.facts, pythonStarts: readFileSync(starts, 'utf8').trim().split('\n').filter(Boolean) };
    };
    expect(await probeWith(answer, pip)).toEqual({ source: 'probe', facts: marked, pythonStarts: [] });
    const probedInstead = { source: 'probe', facts: oracle.facts, pythonStarts: ['-I'] };
    for (const unusable of ['{not json', '{}', '']) expect(await probeWith(unusable, pip)).toEqual(probedInstead);
    expect(await probeWith(answer, join(dir, 'another-pip'))).toEqual(probedInstead);
    expect(await probeWith(answer, pip, join(dir, 'oracle'))).toEqual({ source: 'cache', facts: oracle.facts, pythonStarts: [] });
  });

  it('cache dir: SAFE_PIP_CACHE_DIR, then XDG_CACHE_HOME/safe-pip, then ~/.cache/safe-pip', () => {
    expect(safePipCacheDir({ SAFE_PIP_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(safePipCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/safe-pip');
    expect(safePipCacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\/\.cache\/safe-pip$/);
    expect(safePipCacheDir({})).toMatch(/\/\.cache\/safe-pip$/);
  });
});

// The probe runs with -S (no `site`), so that no package's .pth file runs in it. What `site` would
// have told (sys.prefix in a venv, the site-packages folders pip is imported from, pip's version)
// the probe works out itself; the oracle is the same probe with `site`, on every Python here.
describe('the probe without `site`', () => {
  const probeScript = readFileSync(join(process.cwd(), 'python', 'interpreter-probe.py'), 'utf8');
  const pyenvVersions = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/', '.pyenv'), 'versions');
  const pythons = [
    '/usr/bin/python3',
    ...(existsSync(pyenvVersions) ? readdirSync(pyenvVersions).filter((v) => /^3\.(?:[7-9]|\d\d)\./.test(v)).map((v) => join(pyenvVersions, v, 'bin', 'python3')) : []),
  ].filter((python) => existsSync(python));

  /** A venv of `python` with a .pth file that appends to `canary` when it runs, and maybe a pip of its own. */
  const makeVenv = (python: string, dir: string, options: { systemSite: boolean; pip?: string }): string => {
    execFileSync(python, ['-m', 'venv', '--without-pip', ...(options.systemSite ? ['--system-site-packages'] : []), dir]);
    const sitePackages = execFileSync(join(dir, 'bin', 'python'), ['-I', '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
    writeFileSync(join(sitePackages, 'canary.pth'), `import os; open(os.environ["PROBE_CANARY"], "a").write("ran\\n")\n`);
    if (options.pip !== undefined) {
      mkdirSync(join(sitePackages, 'pip'));
      writeFileSync(join(sitePackages, 'pip', '__init__.py'), `__version__ = ${JSON.stringify(options.pip)}\n`);
      mkdirSync(join(sitePackages, `pip-${options.pip}.dist-info`));
      writeFileSync(join(sitePackages, `pip-${options.pip}.dist-info`, 'METADATA'), `Metadata-Version: 2.1\nName: pip\nVersion: ${options.pip}\n`);
    }
    return join(dir, 'bin', 'python');
  };

  it(`answers as with \`site\`, and runs no .pth file, on every Python here and in its venvs (${pythons.length} Pythons)`, () => {
    expect(pythons.length).toBeGreaterThan(0);
    const dir = makeTempDir();
    const canary = join(dir, 'canary');
    let compared = 0;
    for (const [i, python] of pythons.entries()) {
      const interpreters = [
        python,
        makeVenv(python, join(dir, `${i}-isolated`), { systemSite: false }),
        makeVenv(python, join(dir, `${i}-system-site`), { systemSite: true }),
        makeVenv(python, join(dir, `${i}-own-pip`), { systemSite: false, pip: '99.1' }),
      ];
      for (const interpreter of interpreters) {
        const env = { ...process.env, PROBE_CANARY: canary };
        rmSync(canary, { force: true });
        const withSite = JSON.parse(execFileSync(interpreter, ['-I', '-c', probeScript], { encoding: 'utf8', env })) as Record<string, unknown>;
        const ranWithSite = existsSync(canary);
        rmSync(canary, { force: true });
        const withoutSite = JSON.parse(execFileSync(interpreter, ['-I', '-S', '-c', probeScript], { encoding: 'utf8', env })) as Record<string, unknown>;
        expect(withoutSite, interpreter).toEqual(withSite);
        expect(existsSync(canary), `${interpreter}: a .pth file ran`).toBe(false);
        if (interpreter !== python) {
          // The venv's .pth does run under `site`: the check above could have failed.
          expect(ranWithSite, interpreter).toBe(true);
          expect(withoutSite.prefix).toBe(join(interpreter, '..', '..'));
        }
        if (interpreter.includes('-own-pip')) expect(withoutSite.pipVersion).toBe('99.1');
        compared++;
      }
    }
    expect(compared).toBe(pythons.length * 4);
  });

  it(`gives platform's own marker values and json's own text without importing platform, json or pip (${pythons.length} Pythons)`, () => {
    expect(pythons.length).toBeGreaterThan(0);
    // The probe's functions, loaded as a module: its answer, what it imported, and to_json of awkward strings.
    const harness = `
import sys
before = set(sys.modules)
probe = {"__name__": "probe"}
exec(compile(sys.argv[1], "interpreter-probe.py", "exec"), probe)
facts = probe["interpreter_facts"]()
loaded = sorted(name for name in ("platform", "re", "json", "pip", "typing") if name in sys.modules and name not in before)
awkward = {"quote\\"": ["back\\\\slash", "\\u00e9t\\u00e9 \\u4e2d", "\\U0001f600", "tab\\tnl\\n\\x00", "\\udcff"], "n": [None, True, False, 0, -7, 2**70]}
sys.stdout.write(probe["to_json"]({"facts": facts, "loaded": loaded, "awkward": awkward}))
import json, platform
sys.stdout.write("\\n" + json.dumps({"awkward": awkward, "platform": [platform.machine(), platform.release(), platform.system(), platform.version(), platform.python_version(), platform.python_implementation(), ".".join(platform.python_version_tuple()[:2])]}))
`;
    for (const python of pythons) {
      const [probed, oracle] = execFileSync(python, ['-I', '-S', '-c', harness, probeScript], { encoding: 'utf8' }).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const { facts, loaded, awkward } = probed as { facts: InterpreterFacts; loaded: string[]; awkward: unknown };
      const markers = facts.markers;
      expect([markers.platform_machine, markers.platform_release, markers.platform_system, markers.platform_version, markers.python_full_version, markers.platform_python_implementation, markers.python_version], python).toEqual(oracle!.platform);
      expect(awkward, python).toEqual(oracle!.awkward);
      expect(loaded, python).toEqual([]);
      expect(facts.pipVersion, python).toMatch(/^\d+\.\d+/);
    }
  });

  it('probeInterpreter runs it so: the facts of a venv, its pip, and no .pth file run', async () => {
    const dir = makeTempDir();
    const python = makeVenv('/usr/bin/python3', join(dir, 'venv'), { systemSite: false, pip: '99.2' });
    const pip = writeExecutable(join(dir, 'venv', 'bin', 'pip'), `#!${python}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`);
    const canary = join(dir, 'canary');
    const { facts, source } = await probeInterpreterWithSource(pip, { cacheDir: join(dir, 'cache'), env: { ...process.env, PROBE_CANARY: canary } });
    expect(source).toBe('probe');
    expect(facts.prefix).toBe(join(dir, 'venv'));
    expect(facts.basePrefix).toBe('/usr');
    expect(facts.pipVersion).toBe('99.2');
    expect(existsSync(canary)).toBe(false);
    // The oracle: the same venv's Python, with `site`, does run the .pth file.
    execFileSync(python, ['-c', '0'], { env: { ...process.env, PROBE_CANARY: canary } });
    expect(existsSync(canary)).toBe(true);
  });
});
