// pip 26.0+ `--uploaded-prior-to` (issue 10, "Also"): its value is read as the real pip reads it
// (ISO 8601; `P<n>D` from the release that added it), a bad value is pip's own usage error, and
// safe-pip's finder applies it through PEP 700 upload-time, so a download through safe-pip saves
// what plain pip saves. A project whose index gives no upload-time has no candidate, as in pip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachPip, PIP_MATRIX, pipAtLeast } from '../../helpers/pip-matrix.js';
import { startIndexServer, type IndexServer } from '../../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, type RunResult } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel } from '../../helpers/wheel-builder.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
let server: IndexServer;

beforeAll(async () => {
  const lib1 = await buildWheel({ name: 'lib', version: '1.0' });
  const lib2 = await buildWheel({ name: 'lib', version: '2.0' });
  const app1 = await buildWheel({ name: 'app', version: '1.0', requiresDist: ['lib'] });
  const notime = await buildWheel({ name: 'notime', version: '1.0' });
  server = await startIndexServer({
    format: 'json',
    projects: {
      lib: [
        { ...lib1, uploadTime: '2024-01-01T10:00:00.000000Z' },
        { ...lib2, uploadTime: '2025-06-01T10:00:00.000000Z' },
      ],
      app: [{ ...app1, uploadTime: '2024-02-01T10:00:00Z' }],
      notime: [notime],
    },
  });
});
afterAll(() => server?.close());

async function both(pip: { python: string; pip: string }, args: string[]): Promise<{ plain: RunResult & { files: string[] }; safe: RunResult & { files: string[] } }> {
  const run = async (command: (dest: string) => [string, string[]], env: Record<string, string>) => {
    const dest = makeTempDir('upt-');
    const [file, argv] = command(dest);
    const result = await runCommand(file, argv, { env: { ...PLAIN_PIP_ENV, ...env } });
    return { ...result, files: readdirSync(dest).sort() };
  };
  const tail = (dest: string) => ['download', '-d', dest, '-i', server.indexUrl(), ...args];
  const plain = await run((dest) => [pip.python, ['-m', 'pip', ...tail(dest)]], {});
  const safe = await run((dest) => [SAFE_PIP, ['pip', ...tail(dest)]], { SAFE_PIP_REAL_PIP: pip.pip });
  return { plain, safe };
}

/** pip's error message is the last line; textwrap may have folded it, so the lines after "Usage" are joined. */
function lastLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  const blank = lines.lastIndexOf('');
  return lines.slice(blank + 1).join(' ');
}

const MODERN = PIP_MATRIX.filter((v) => pipAtLeast(v, '26.0'));

describe('--uploaded-prior-to', () => {
  describeEachPip(MODERN, (pip) => {
    it('a date between two releases: lib 1.0 (and app, whose upload is older), as pip picks', async () => {
      const { plain, safe } = await both(pip, ['--uploaded-prior-to', '2025-01-01', 'app']);
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(plain.files).toEqual(['app-1.0-py3-none-any.whl', 'lib-1.0-py3-none-any.whl']);
      expect(safe.exitCode, safe.stderr).toBe(0);
      expect(safe.files).toEqual(plain.files);
    });
    it('safe-pip fetch honours it too', async () => {
      const dest = makeTempDir('upt-fetch-');
      const result = await runCommand(SAFE_PIP, ['fetch', '-d', dest, '-i', server.indexUrl(), '--uploaded-prior-to', '2025-01-01', 'app'], {
        env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.pip },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(readdirSync(dest).sort()).toEqual(['app-1.0-py3-none-any.whl', 'lib-1.0-py3-none-any.whl']);
    });
    it('a date after both: lib 2.0', async () => {
      const { plain, safe } = await both(pip, ['--uploaded-prior-to=2026-01-01T00:00:00Z', 'lib']);
      expect(plain.files).toEqual(['lib-2.0-py3-none-any.whl']);
      expect(safe.files).toEqual(plain.files);
    });
    it('a duration in days (P<n>D), or pip\'s usage error where this pip does not know it', async () => {
      const { plain, safe } = await both(pip, ['--uploaded-prior-to', 'P30D', 'lib']);
      expect(safe.exitCode).toBe(plain.exitCode);
      expect(safe.files).toEqual(plain.files);
      if (plain.exitCode !== 0) expect(lastLine(safe.stderr)).toBe(lastLine(plain.stderr));
    });
    it('a value that is no date: pip\'s usage error, word for word, and nothing saved', async () => {
      const { plain, safe } = await both(pip, ['--uploaded-prior-to', 'last-tuesday', 'lib']);
      expect(plain.exitCode).toBe(2);
      expect(safe.exitCode).toBe(2);
      // The usage block above it names the program as it was run (`python -m pip` for plain pip).
      expect(lastLine(safe.stderr)).toBe(lastLine(plain.stderr));
      expect(lastLine(safe.stderr)).toMatch(/^(ERROR: )?--uploaded-prior-to error: invalid value: 'last-tuesday'/);
      expect(safe.files).toEqual([]);
    });
    it('an index without upload-time: no candidate, as in pip', async () => {
      const { plain, safe } = await both(pip, ['--uploaded-prior-to', '2026-01-01', 'notime']);
      expect(plain.exitCode).toBe(1);
      expect(safe.exitCode).toBe(1);
      expect(safe.stderr).toMatch(/notime/);
      expect(safe.files).toEqual([]);
    });
  });
});
