// gatherRequirements for the sources pip 25.1+/26.x adds: `--group`, `-r pylock.toml` and
// `--requirements-from-script`, parsed from real command lines with the pip 26.2.1 option table
// (the order of sources is pip 26.2.1's get_requirements; errors are pip 26.2.1's, as measured).
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseForPip } from '../../src/cli/intercept/analyze.js';
import { gatherRequirements, type GatheredRequirements } from '../../src/io/requirement-sources.js';
import { probeInterpreter } from '../../src/io/interpreter-probe.js';
import type { InterpreterFacts } from '../../src/standards/interpreter-facts.js';
import { SafePipError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PIP = execFileSync('python3', ['-c', 'import sys,os;print(os.path.join(os.path.dirname(sys.executable),"pip"))'], { encoding: 'utf8' }).trim();
let facts: InterpreterFacts;
beforeAll(async () => {
  facts = { ...(await probeInterpreter(PIP, { env: { ...process.env } })), pipVersion: '26.2.1' };
});

async function gather(argv: string[], cwd: string, withFacts = true): Promise<GatheredRequirements> {
  const parsed = await parseForPip({ argv, facts, env: { ...process.env }, cwd, prog: 'pip' });
  return gatherRequirements({
    settings: parsed.settings,
    cwd,
    env: { ...process.env },
    pipVersion: facts.pipVersion,
    fetchUrl: () => Promise.reject(new Error('no network in this test')),
    ...(withFacts ? { facts } : {}),
  });
}

const H = 'hashes = {sha256 = "ab12"}';
function project(): string {
  const dir = makeTempDir('extra-sources-');
  writeFileSync(
    join(dir, 'pyproject.toml'),
    [
      '[dependency-groups]',
      'test = ["pytest>=7", {include-group = "Lint_Tools"}]',
      'lint-tools = ["ruff ; python_version >= \'3.8\'"]',
      'remote = ["evil @ https://example.invalid/evil-1.0.tar.gz"]',
      'loop = [{include-group = "loop"}]',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'localproj'));
  writeFileSync(join(dir, 'localproj', 'pyproject.toml'), '[project]\nname = "localproj"\nversion = "1"\n');
  writeFileSync(
    join(dir, 'pylock.toml'),
    [
      'lock-version = "1.0"',
      'created-by = "test"',
      '[[packages]]\nname = "wheelonly"\nversion = "1.0"',
      `wheels = [{url = "https://files.invalid/wheelonly-1.0-py3-none-any.whl", ${H}}]`,
      '[[packages]]\nname = "sdistonly"\nversion = "2.0"',
      `sdist = {url = "https://files.invalid/sdistonly-2.0.tar.gz", ${H}}`,
      '[[packages]]\nname = "localsdist"',
      `sdist = {path = "dist/localsdist-3.0.tar.gz", ${H}}`,
      '[[packages]]\nname = "fromgit"',
      'vcs = {type = "git", url = "https://git.invalid/fromgit.git", commit-id = "0123abcd"}',
      '[[packages]]\nname = "localproj"',
      'directory = {path = "localproj", editable = true}',
      '[[packages]]\nname = "zipped"',
      `archive = {url = "https://files.invalid/zipped.zip", ${H}}`,
      '[[packages]]\nname = "skipped"\nmarker = "python_version < \'3\'"',
      `sdist = {url = "https://files.invalid/skipped-1.tar.gz", ${H}}`,
    ].join('\n'),
  );
  writeFileSync(join(dir, 'tool.py'), '# /// script\n# dependencies = ["rich>=13", "tool-dep @ https://example.invalid/tool-dep-1.tar.gz"]\n# ///\n');
  writeFileSync(join(dir, 'constraints.txt'), 'pytest<9\n');
  writeFileSync(join(dir, 'reqs.txt'), 'plainreq\n');
  return dir;
}

describe('gatherRequirements: --group, pylock, --requirements-from-script', () => {
  it("every source, in pip 26.2.1's order, each classified", async () => {
    const dir = project();
    const gathered = await gather(
      ['install', '--requirements-from-script', 'tool.py', '-r', 'pylock.toml', '-e', './localproj', '--group', 'test', '-c', 'constraints.txt', 'cliarg', '-r', 'reqs.txt'],
      dir,
    );
    expect(gathered.targets.map((t) => [t.requirement, t.kind, t.constraint])).toEqual([
      ['pytest<9', 'named', true],
      ['cliarg', 'named', false],
      ['pytest>=7', 'named', false],
      ['ruff; python_version >= "3.8"', 'named', false],
      ['./localproj', 'editable', false],
      ['wheelonly @ https://files.invalid/wheelonly-1.0-py3-none-any.whl#sha256=ab12', 'wheel', false],
      ['sdistonly @ https://files.invalid/sdistonly-2.0.tar.gz#sha256=ab12', 'remote-archive', false],
      [`localsdist @ file://${dir}/dist/localsdist-3.0.tar.gz#sha256=ab12`, 'local-archive', false],
      ['fromgit @ git+https://git.invalid/fromgit.git@0123abcd', 'vcs', false],
      [`file://${dir}/localproj/`, 'editable', false],
      ['zipped @ https://files.invalid/zipped.zip', 'remote-archive', false],
      ['plainreq', 'named', false],
      ['rich>=13', 'named', false],
      ['tool-dep @ https://example.invalid/tool-dep-1.tar.gz', 'remote-archive', false],
    ]);
    const byName = new Map(gathered.targets.map((t) => [t.name, t]));
    expect(byName.get('ruff')!.origin).toBe("dependency group 'test' in pyproject.toml");
    expect(byName.get('sdistonly')!.origin).toContain('pylock.toml (packages[1] sdistonly)');
    // pip attaches the lock's hashes as --hash options: hash-checking mode for the run.
    expect(gathered.hashes.get(byName.get('wheelonly')!)).toEqual({ sha256: ['ab12'] });
    expect(gathered.hashes.get(byName.get('zipped')!)).toEqual({ sha256: ['ab12'] });
    expect(gathered.hashes.has(byName.get('fromgit')!)).toBe(false);
    expect(gathered.lockFiles.map((l) => [l.location, l.entries.map((e) => e.requirement.form)])).toEqual([
      ['pylock.toml', ['pinned', 'pinned', 'pinned', 'pep508', 'editable', 'pep508']],
    ]);
    expect(gathered.lockFiles[0]!.entries[0]!.requirement.text).toBe('wheelonly==1.0');
  });
  it('a group can bring in a remote archive', async () => {
    const gathered = await gather(['download', '--group', './pyproject.toml:remote'], project());
    expect(gathered.targets.map((t) => [t.name, t.kind, t.url])).toEqual([['evil', 'remote-archive', 'https://example.invalid/evil-1.0.tar.gz']]);
  });
  it.each([
    [['install', '--group', 'loop'], "[dependency-groups] resolution failed for 'loop' from 'pyproject.toml': Cyclic dependency group include while resolving loop: loop includes itself", 1],
    [['install', '--group', 'nope:x'], "--group error: group paths use 'pyproject.toml' filenames", 2],
    [['install', '--group', 'sub/pyproject.toml:x'], "sub/pyproject.toml not found. Cannot resolve '--group' option.", 1],
    [['install', '--requirements-from-script', 'tool.py', '--requirements-from-script', 'tool.py'], '--requirements-from-script can only be given once', 1],
    [['install', '-r', 'pylock.toml', '--python-version', '3.12', '--target', 'out', '--only-binary=:all:'], "Platform and interpreter constraints using --python-version, --platform, --abi, or --implementation, are not supported when selecting requirements from 'pylock.toml'", 1],
  ])('%j fails like pip', async (argv, message, exitCode) => {
    const error = await gather(argv, project()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafePipError);
    expect((error as SafePipError).message).toBe(message);
    expect((error as SafePipError).exitCode).toBe(exitCode);
  });
  it("a script's requires-python is checked against the target Python", async () => {
    const dir = project();
    writeFileSync(join(dir, 'new.py'), '# /// script\n# requires-python = ">=3.99"\n# dependencies = ["x"]\n# ///\n');
    const minor = `${facts.pythonVersion[0]}.${facts.pythonVersion[1]}`;
    await expect(gather(['install', '--requirements-from-script', 'new.py'], dir)).rejects.toThrow(`Script 'new.py' requires a different Python: ${minor} not in '>=3.99'`);
    expect((await gather(['install', '--requirements-from-script', 'new.py', '--ignore-requires-python'], dir)).targets.map((t) => t.requirement)).toEqual(['x']);
  });
  it('before pip 26.1 a file named pylock.toml is an ordinary requirements file', async () => {
    const dir = project();
    writeFileSync(join(dir, 'pylock.toml'), 'fromtext\n');
    const parsed = await parseForPip({ argv: ['install', '-r', 'pylock.toml'], facts: { ...facts, pipVersion: '26.0.1' }, env: { ...process.env }, cwd: dir, prog: 'pip' });
    const gathered = await gatherRequirements({ settings: parsed.settings, cwd: dir, env: { ...process.env }, pipVersion: '26.0.1', fetchUrl: () => Promise.reject(new Error('x')), facts });
    expect(gathered.targets.map((t) => t.requirement)).toEqual(['fromtext']);
  });
  it('a pylock file named inside a requirements file is read as a requirements file, as pip 26.2.1 reads it', async () => {
    const dir = project();
    writeFileSync(join(dir, 'requirements.txt'), '-r pylock.toml\n');
    // Measured with pip 26.2.1: ERROR: Invalid requirement: 'lock-version = "1.0"' … (from line 1 of pylock.toml)
    await expect(gather(['install', '-r', 'requirements.txt'], dir)).rejects.toThrow(/Invalid requirement: 'lock-version = "1\.0"'/);
    writeFileSync(join(dir, 'pylock.toml'), 'fromtext\n');
    expect((await gather(['install', '-r', 'requirements.txt'], dir)).targets.map((t) => t.requirement)).toEqual(['fromtext']);
  });
  it('without interpreter facts a pylock file is not guessed at', async () => {
    await expect(gather(['install', '-r', 'pylock.toml'], project(), false)).rejects.toThrow(/without knowing the real pip's interpreter/);
  });
});
