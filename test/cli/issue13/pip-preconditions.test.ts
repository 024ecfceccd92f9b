// Issue 13 items 2 and 3: the checks pip makes in a building command's run() before it reads an
// index, made by safe-pip the way pip makes them.
// - No requirement at all: pip says "You must give at least one requirement to <command>" (exit 1)
//   for install, download, wheel and (pip 25.1+) lock; safe-pip hands such a command line to the
//   real pip, so the words are pip's own, and `explain` prints the same line and exits 1.
// - `download -d <a regular file>`: plain pip crashes when it saves the first file (a traceback,
//   exit 2); safe-pip says so in one line before resolving anything, with the same exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availablePips, describeEachPip } from '../../helpers/pip-matrix.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP, startVectorWorld, type VectorWorld } from '../../policy/vector-world.js';

let world: VectorWorld;
beforeAll(async () => {
  world = await startVectorWorld();
});
afterAll(async () => {
  await world?.close();
});

// A constraint alone is no requirement (pip reads the file first: it must exist).
const CONSTRAINTS = join(makeTempDir('constraints-'), 'constraints.txt');
writeFileSync(CONSTRAINTS, 'tiny==1.0\n');

const safePip = (args: string[], realPip = REAL_PIP, cwd?: string) =>
  runCommand(SAFE_PIP, args, { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: realPip }, ...(cwd === undefined ? {} : { cwd }) });

describe('a building command with no requirement: pip\'s own error', () => {
  const cases: [string, string[]][] = [
    ['install', ['install', '-i', 'http://127.0.0.1:9/simple']],
    ['download', ['download', '-d', 'out', '-i', 'http://127.0.0.1:9/simple']],
    ['wheel', ['wheel', '-i', 'http://127.0.0.1:9/simple']],
    ['download with find-links', ['download', '-d', 'out', '--no-index', '-f', '/nonexistent/wheels', '-f', '/also/here']],
    ['install with only a constraint', ['install', '-c', CONSTRAINTS, '--no-index']],
  ];
  for (const [title, args] of cases) {
    it(`${title}: same output and exit code as plain pip, and the same in explain`, async () => {
      const plainCwd = makeTempDir('plain-');
      const plain = await runPlainPip(args, { cwd: plainCwd });
      expect(plain.exitCode).toBe(1);
      const cwd = makeTempDir('shim-');
      const shim = await safePip(['pip', ...args], REAL_PIP, cwd);
      expect({ exitCode: shim.exitCode, stdout: shim.stdout, stderr: shim.stderr }).toEqual({ exitCode: plain.exitCode, stdout: plain.stdout, stderr: plain.stderr });
      // pip creates the download directory before it looks at the requirements; so does the shim.
      expect(existsSync(join(cwd, 'out'))).toBe(existsSync(join(plainCwd, 'out')));
      for (const json of [[], ['--json']]) {
        const explain = await safePip(['explain', ...json, ...args], REAL_PIP, makeTempDir('explain-'));
        expect({ exitCode: explain.exitCode, stdout: explain.stdout, stderr: explain.stderr }).toEqual({ exitCode: 1, stdout: '', stderr: plain.stderr });
      }
    });
  }
  it('the exact words (pip 23.2.1)', async () => {
    const explain = await safePip(['explain', 'download', '-d', 'out', '-f', '/w1', '-f', '/w2']);
    expect(explain.stderr).toBe('ERROR: You must give at least one requirement to download (maybe you meant "pip download /w1 /w2"?)\n');
    expect((await safePip(['explain', 'wheel'])).stderr).toBe('ERROR: You must give at least one requirement to wheel (see "pip help wheel")\n');
  });
  it('an empty requirements file is a requirement source: pip runs and does nothing, as plain pip', async () => {
    const file = join(makeTempDir('req-'), 'empty.txt');
    writeFileSync(file, '');
    const args = ['download', '-d', makeTempDir('dest-'), '-i', world.index, '-r', file];
    const plain = await runPlainPip(args);
    const shim = await safePip(['pip', ...args]);
    expect(shim.exitCode).toBe(plain.exitCode);
    expect((await safePip(['explain', ...args])).exitCode).toBe(0);
  });
  describeEachPip(availablePips().filter((p) => Number(p.version.split('.')[0]) * 100 + Number(p.version.split('.')[1]) >= 2501).map((p) => p.version).slice(0, 1).concat(availablePips().at(-1)?.version ?? []).filter((v, i, all) => all.indexOf(v) === i), (pip) => {
    it('lock with nothing: same output and exit code as plain pip, and explain says the same', async () => {
      const args = ['lock', '-i', 'http://127.0.0.1:9/simple'];
      const plain = await runCommand(pip.python, ['-m', 'pip', ...args], { env: PLAIN_PIP_ENV, cwd: makeTempDir('plain-') });
      expect(plain.stderr).toBe(
        'WARNING: pip lock is currently an experimental command. It may be removed/changed in a future release without prior warning.\n' +
          'ERROR: You must give at least one requirement to lock (see "pip help lock")\n',
      );
      expect(plain.exitCode).toBe(1);
      const shim = await safePip(['pip', ...args], pip.pip, makeTempDir('shim-'));
      expect({ exitCode: shim.exitCode, stdout: shim.stdout, stderr: shim.stderr }).toEqual({ exitCode: 1, stdout: plain.stdout, stderr: plain.stderr });
      const explain = await safePip(['explain', ...args], pip.pip, makeTempDir('explain-'));
      expect({ exitCode: explain.exitCode, stdout: explain.stdout, stderr: explain.stderr }).toEqual({ exitCode: 1, stdout: '', stderr: plain.stderr });
    });
  });
});

describe('download -d naming a file', () => {
  it('plain pip crashes with exit 2 when it saves into it', async () => {
    const cwd = makeTempDir('plain-');
    writeFileSync(join(cwd, 'afile'), 'mine');
    const plain = await runPlainPip(['download', '-d', 'afile', '-i', world.index, 'tiny'], { cwd });
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toMatch(/NotADirectoryError/);
  });
  it('safe-pip: one line with the path and what to do, exit 2, the file untouched', async () => {
    const cwd = makeTempDir('shim-');
    writeFileSync(join(cwd, 'afile'), 'mine');
    for (const command of ['pip', 'explain']) {
      const shim = await safePip([command, 'download', '-d', 'afile', '-i', world.index, 'tiny'], REAL_PIP, cwd);
      expect({ exitCode: shim.exitCode, stdout: shim.stdout, stderr: shim.stderr }).toEqual({
        exitCode: 2,
        stdout: '',
        stderr:
          'safe-pip: error: the download directory "afile" (-d) is a file, not a directory; nothing was downloaded\n' +
          'hint: give -d a directory (it is created when missing), or move the file out of the way\n',
      });
    }
  });
  it('a directory under a file: the file is named', async () => {
    const cwd = makeTempDir('shim-');
    mkdirSync(join(cwd, 'd'));
    writeFileSync(join(cwd, 'd', 'afile'), 'mine');
    const shim = await safePip(['pip', 'download', '-d', 'd/afile/sub', '-i', world.index, 'tiny'], REAL_PIP, cwd);
    expect(shim.exitCode).toBe(2);
    expect(shim.stderr.replaceAll(cwd, '<cwd>')).toBe(
      'safe-pip: error: the download directory "d/afile/sub" (-d) cannot be created: "<cwd>/d/afile" is a file, not a directory; nothing was downloaded\n' +
        'hint: give -d a directory (it is created when missing), or move the file out of the way\n',
    );
  });
});
