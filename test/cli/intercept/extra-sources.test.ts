// `safe-pip explain --json` with the sources pip 25.1+/26.x adds — `--group`,
// `--requirements-from-script` and `-r pylock.toml` — against a real pip 26.2.1 command-line
// grammar: the stand-in for the real pip is a script run by a throwaway venv whose `pip` package
// says `__version__ = "26.2.1"`, so safe-pip's interpreter probe picks pip 26.2.1's option table.
// Nothing is run: explain must not call pip (the stand-in fails loudly if it is).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCanaryGitRepo, writeCanaryProject } from '../../helpers/canary.js';
import { runCommand, PLAIN_PIP_ENV, type RunResult } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { SAFE_PIP, startVectorWorld, type VectorWorld } from '../../policy/vector-world.js';
import type { ExplainDoc } from './explain-doc.js';


let world: VectorWorld;
let realPip: string;
beforeAll(async () => {
  world = await startVectorWorld();
  const venv = join(makeTempDir('pip26-venv-'), 'venv');
  execFileSync('python3', ['-m', 'venv', '--without-pip', venv], { env: { ...process.env } });
  const site = execFileSync(join(venv, 'bin', 'python'), ['-c', 'import sysconfig;print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
  mkdirSync(join(site, 'pip'), { recursive: true });
  writeFileSync(join(site, 'pip', '__init__.py'), '__version__ = "26.2.1"\n');
  realPip = join(venv, 'bin', 'pip');
  writeFileSync(realPip, `#!${join(venv, 'bin', 'python')}\nimport sys\nsys.stderr.write("stand-in pip must not run\\n")\nsys.exit(99)\n`);
  chmodSync(realPip, 0o755);
});
afterAll(async () => {
  await world?.close();
});

async function explain(args: string[], cwd: string): Promise<RunResult> {
  return runCommand(SAFE_PIP, ['explain', '--json', ...args], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: realPip }, cwd });
}

async function explainJson(args: string[], cwd: string): Promise<ExplainDoc> {
  const result = await explain(args, cwd);
  expect(result.stderr).not.toContain('stand-in pip must not run');
  const doc = JSON.parse(result.stdout) as ExplainDoc;
  expect(result.exitCode, result.stderr).toBe(doc.refused ? 42 : 0);
  return doc;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function lockFile(dir: string, packages: string[]): void {
  writeFileSync(join(dir, 'pylock.toml'), ['lock-version = "1.0"', 'created-by = "test"', ...packages.map((p) => `[[packages]]\n${p}`)].join('\n'));
}

describe('--group (pip 25.1+)', () => {
  it('a named requirement in a group resolves like the same requirement on the command line', async () => {
    const dir = makeTempDir('group-');
    writeFileSync(join(dir, 'pyproject.toml'), '[dependency-groups]\ntest = ["app"]\n');
    const viaGroup = await explainJson(['download', '-d', makeTempDir('dest-'), '-i', world.index, '--group', 'test'], dir);
    const viaCli = await explainJson(['download', '-d', makeTempDir('dest-'), '-i', world.index, 'app'], dir);
    expect(viaGroup.targets.map((t) => [t.requirement, t.kind, t.action])).toEqual([['app', 'named', 'pip']]);
    expect(viaGroup.packages).toEqual(viaCli.packages);
    expect(viaGroup.actions).toEqual(viaCli.actions);
  });
  it('a group holding `name @ https://…/x.tar.gz` is refused for install and fetched raw for download', async () => {
    const dir = makeTempDir('group-');
    const url = world.server.fileUrl(world.dists.canary!.filename);
    writeFileSync(join(dir, 'pyproject.toml'), `[dependency-groups]\nremote = ["canary @ ${url}"]\n`);
    const install = await explainJson(['install', '-i', world.index, '--group', 'remote'], dir);
    expect(install).toMatchObject({ refused: true, actions: [], pipArgs: null });
    expect(install.targets).toEqual([expect.objectContaining({ requirement: `canary @ ${url}`, kind: 'remote-archive' })]);
    const dest = makeTempDir('dest-');
    const download = await explainJson(['download', '-d', dest, '-i', world.index, '--group', 'remote'], dir);
    expect(download.refused).toBe(false);
    expect(download.targets).toEqual([expect.objectContaining({ kind: 'remote-archive', action: 'fetch' })]);
    expect(readdirSync(dest)).toEqual([]);
  });
  it("an include-group cycle fails with pip's error", async () => {
    const dir = makeTempDir('group-');
    writeFileSync(join(dir, 'pyproject.toml'), '[dependency-groups]\na = [{include-group = "b"}]\nb = ["tiny", {include-group = "A"}]\n');
    const result = await explain(['install', '-i', world.index, '--group', 'a'], dir);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("[dependency-groups] resolution failed for 'a' from 'pyproject.toml': Cyclic dependency group include while resolving a: A -> b, b -> A");
  });
});

describe('--requirements-from-script (pip 26.0+)', () => {
  it("a script's dependencies are the requirements", async () => {
    const dir = makeTempDir('script-');
    writeFileSync(join(dir, 'tool.py'), '# /// script\n# dependencies = ["tiny", "app"]\n# ///\nprint("hi")\n');
    const doc = await explainJson(['install', '-i', world.index, '--requirements-from-script', 'tool.py'], dir);
    expect(doc.targets.map((t) => [t.requirement, t.kind])).toEqual([
      ['tiny', 'named'],
      ['app', 'named'],
    ]);
    // app needs the sdist-only canary: refused, exactly as `install app` would be.
    expect(doc.refused).toBe(true);
    const tinyOnly = join(dir, 'tiny.py');
    writeFileSync(tinyOnly, '# /// script\n# dependencies = ["tiny"]\n# ///\n');
    const ok = await explainJson(['install', '-i', world.index, '--requirements-from-script', 'tiny.py'], dir);
    expect(ok.refused).toBe(false);
    expect(ok.pipArgs?.at(-1)).toBe('--only-binary=:all:');
  });
});

describe('-r pylock.toml (pip 26.1+)', () => {
  it('a lock of wheels only goes to pip', async () => {
    const dir = makeTempDir('lock-');
    const tiny = world.dists.tiny!;
    lockFile(dir, [`name = "tiny"\nversion = "1.0"\nwheels = [{url = "${world.server.fileUrl(tiny.filename)}", hashes = {sha256 = "${sha256(tiny.data)}"}}]`]);
    for (const command of ['install', 'download'] as const) {
      const args = command === 'download' ? ['download', '-d', makeTempDir('dest-')] : ['install'];
      const doc = await explainJson([...args, '-i', world.index, '-r', 'pylock.toml'], dir);
      expect(doc.refused).toBe(false);
      expect(doc.targets.map((t) => [t.kind, t.action])).toEqual([['wheel', 'pip']]);
      expect(doc.actions).toEqual(['pip']);
    }
  });
  it('a package with only an sdist, a VCS checkout, a directory or an archive is classified as that kind', async () => {
    const dir = makeTempDir('lock-');
    const canary = world.dists.canary!;
    const project = writeCanaryProject({ style: 'pep517' });
    const repo = makeCanaryGitRepo({ style: 'pep517' });
    const sdistUrl = world.server.fileUrl(canary.filename);
    const entries: Record<string, string> = {
      sdist: `name = "canary"\nversion = "1.0"\nsdist = {url = "${sdistUrl}", hashes = {sha256 = "${sha256(canary.data)}"}}`,
      vcs: `name = "canary"\nvcs = {type = "git", url = "${repo.url.replace(/^git\+/, '')}", commit-id = "${repo.commit}"}`,
      directory: `name = "canary"\ndirectory = {path = "${project}"}`,
      archive: `name = "canary"\narchive = {url = "${sdistUrl}", hashes = {sha256 = "${sha256(canary.data)}"}}`,
    };
    const expected: Record<string, { kind: string; install: 'refused' | 'pip'; download: string }> = {
      sdist: { kind: 'remote-archive', install: 'refused', download: 'fetch' },
      vcs: { kind: 'vcs', install: 'refused', download: 'skip' },
      directory: { kind: 'local-dir', install: 'pip', download: 'skip' },
      archive: { kind: 'remote-archive', install: 'refused', download: 'fetch' },
    };
    for (const [source, entry] of Object.entries(entries)) {
      lockFile(dir, [entry]);
      const want = expected[source]!;
      const install = await explainJson(['install', '--no-deps', '-i', world.index, '-r', 'pylock.toml'], dir);
      expect([source, install.targets.map((t) => t.kind)]).toEqual([source, [want.kind]]);
      expect([source, install.refused]).toEqual([source, want.install === 'refused']);
      const download = await explainJson(['download', '--no-deps', '-d', makeTempDir('dest-'), '-i', world.index, '-r', 'pylock.toml'], dir);
      expect([source, download.refused, download.targets.map((t) => t.action)]).toEqual([source, false, [want.download]]);
    }
  });
});
