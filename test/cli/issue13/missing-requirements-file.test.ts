// Issue 13 item 6: a `-r`/`-c` file pip cannot open. pip raises InstallationError("Could not open
// requirements file: <str(OSError)>") and prints it as `ERROR: …`, exit 1, naming the file as it
// was given (relative stays relative; a nested one joined to its parent's directory). safe-pip
// prints the same bytes with the same code, through the pip launcher, explain and fetch alike.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP } from '../../policy/vector-world.js';

// Port 9 (discard): nothing answers, so any index request would fail loudly.
const INDEX = ['-i', 'http://127.0.0.1:9/simple'];

/** A working directory with a directory, a regular file and a file that names a missing one. */
function workDir(): string {
  const cwd = makeTempDir('reqfile-');
  mkdirSync(join(cwd, 'adir'));
  writeFileSync(join(cwd, 'plain.txt'), 'tiny==1.0\n');
  mkdirSync(join(cwd, 'sub'));
  writeFileSync(join(cwd, 'sub', 'outer.txt'), '-r nested-missing.txt\n');
  return cwd;
}

const safePip = (args: string[], cwd: string) => runCommand(SAFE_PIP, args, { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP }, cwd });

describe('a requirements or constraints file pip cannot open: pip\'s words, exit 1', () => {
  const cases: [string, string[]][] = [
    ['-r missing', ['install', '--dry-run', ...INDEX, '-r', 'missing.txt']],
    ['-c missing', ['install', '--dry-run', ...INDEX, '-c', 'missing.txt', 'tiny']],
    ['-r a directory', ['download', '-d', 'out', ...INDEX, '-r', 'adir']],
    ['-r under a regular file', ['wheel', ...INDEX, '-r', 'plain.txt/x']],
    ['a nested -r that is missing', ['install', '--dry-run', ...INDEX, '-r', 'sub/outer.txt']],
    ['a name with a quote', ['download', '-d', 'out', ...INDEX, '-r', "it's.txt"]],
    ['an absolute path', ['install', '--dry-run', ...INDEX, '-r', '/nonexistent/reqs.txt']],
  ];
  for (const [title, args] of cases) {
    it(`${title}: same stdout, stderr and exit code as plain pip`, async () => {
      const plain = await runPlainPip(args, { cwd: workDir() });
      expect(plain.exitCode).toBe(1);
      expect(plain.stderr).toMatch(/^ERROR: Could not open requirements file: \[Errno \d+\] /);
      const shim = await safePip(['pip', ...args], workDir());
      expect({ exitCode: shim.exitCode, stdout: shim.stdout, stderr: shim.stderr }).toEqual({ exitCode: plain.exitCode, stdout: plain.stdout, stderr: plain.stderr });
      const explain = await safePip(['explain', ...args], workDir());
      expect({ exitCode: explain.exitCode, stdout: explain.stdout, stderr: explain.stderr }).toEqual({ exitCode: 1, stdout: '', stderr: plain.stderr });
    });
  }

  it('the exact words (pip 23.2.1)', async () => {
    const cwd = workDir();
    const missing = await safePip(['pip', 'install', '--dry-run', ...INDEX, '-r', 'missing.txt'], cwd);
    expect(missing.stderr).toBe("ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'missing.txt'\n");
    const dir = await safePip(['pip', 'download', '-d', 'out', ...INDEX, '-c', 'adir', 'tiny'], cwd);
    expect(dir.stderr).toBe("ERROR: Could not open requirements file: [Errno 21] Is a directory: 'adir'\n");
    const nested = await safePip(['pip', 'install', '--dry-run', ...INDEX, '-r', 'sub/outer.txt'], cwd);
    expect(nested.stderr).toBe("ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'sub/nested-missing.txt'\n");
  });

  it('safe-pip fetch -r missing.txt: the same line, exit 1', async () => {
    const fetch = await safePip(['fetch', '-q', ...INDEX, '-r', 'missing.txt'], workDir());
    expect({ exitCode: fetch.exitCode, stdout: fetch.stdout, stderr: fetch.stderr }).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'missing.txt'\n",
    });
  });
});
