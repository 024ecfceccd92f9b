// Non-PEP 440 versions and legacy specifiers, as each real pip treats them (legacy-version.ts):
// pip <= 24.0 (packaging 21.3) accepts `legacy-proj>=>1` and `legacy-proj==2010i`, makes the index
// file `legacy_proj-2010i-…whl` a LegacyVersion candidate (below every PEP 440 version, dropped by
// an empty specifier, kept by a legacy clause that never holds back pre-releases) and stops with
// InvalidVersion (exit 2) when it comes to try that wheel; pip >= 24.1 rejects both requirements
// and skips the file. `pip download` through safe-pip must save what plain pip saves, and fail
// where it fails, with the same exit code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachPip, PIP_MATRIX, pipAtLeast, type PipRelease } from '../helpers/pip-matrix.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
let server: IndexServer;

beforeAll(async () => {
  server = await startIndexServer({
    format: 'html',
    projects: {
      'legacy-proj': [
        await buildWheel({ name: 'legacy-proj', version: '1.0' }),
        await buildWheel({ name: 'legacy-proj', version: '2.0a1' }),
        await buildWheel({ name: 'legacy-proj', version: '2010i' }),
      ],
    },
  });
});
afterAll(() => server?.close());

type Outcome = RunResult & { files: string[] };

async function download(pip: PipRelease, requirement: string): Promise<{ plain: Outcome; safe: Outcome }> {
  const run = async (file: string, argv: (dest: string) => string[], env: Record<string, string>): Promise<Outcome> => {
    const dest = makeTempDir('legacy-');
    const result = await runCommand(file, argv(dest), { env: { ...PLAIN_PIP_ENV, ...env } });
    return { ...result, files: readdirSync(dest).sort() };
  };
  const tail = (dest: string): string[] => ['download', '--no-deps', '-d', dest, '-i', server.indexUrl(), requirement];
  const [plain, safe] = await Promise.all([
    run(pip.python, (dest) => ['-m', 'pip', ...tail(dest)], {}),
    run(SAFE_PIP, (dest) => ['pip', ...tail(dest)], { SAFE_PIP_REAL_PIP: pip.pip }),
  ]);
  return { plain, safe };
}

const PIPS = [...new Set(['23.2.1', '24.0', '24.3.1', PIP_MATRIX[PIP_MATRIX.length - 1]!])];

describe('legacy versions and specifiers, safe-pip vs the real pip', () => {
  describeEachPip(PIPS, (pip) => {
    const old = !pipAtLeast(pip, '24.1');

    it(`legacy-proj>=>1: ${old ? 'a legacy clause keeps the pre-release 2.0a1' : 'an invalid requirement'}`, async () => {
      const { plain, safe } = await download(pip, 'legacy-proj>=>1');
      expect(plain.exitCode, plain.stderr).toBe(old ? 0 : 1);
      expect(plain.files).toEqual(old ? ['legacy_proj-2.0a1-py3-none-any.whl'] : []);
      expect(safe.exitCode, safe.stderr).toBe(plain.exitCode);
      expect(safe.files).toEqual(plain.files);
      if (!old) expect(safe.stderr).toMatch(/Invalid requirement: 'legacy-proj>=>1'/);
    });

    it(`legacy-proj<=2010i: ${old ? 'the PEP 440 pre-release sorts above the legacy version' : 'an invalid requirement'}`, async () => {
      const { plain, safe } = await download(pip, 'legacy-proj<=2010i');
      expect(plain.exitCode, plain.stderr).toBe(old ? 0 : 1);
      expect(plain.files).toEqual(old ? ['legacy_proj-2.0a1-py3-none-any.whl'] : []);
      expect(safe.exitCode, safe.stderr).toBe(plain.exitCode);
      expect(safe.files).toEqual(plain.files);
    });

    it(`legacy-proj==2010i: ${old ? 'pip stops with InvalidVersion on the legacy wheel (exit 2)' : 'an invalid requirement'}`, async () => {
      const { plain, safe } = await download(pip, 'legacy-proj==2010i');
      expect(plain.exitCode, plain.stderr).toBe(old ? 2 : 1);
      if (old) expect(plain.stderr).toMatch(/InvalidVersion: Invalid version: '2010i'/);
      expect(plain.files).toEqual([]);
      expect(safe.exitCode, safe.stderr).toBe(plain.exitCode);
      expect(safe.files).toEqual([]);
      if (old) expect(safe.stderr).toMatch(/legacy_proj-2010i-py3-none-any\.whl.*not a PEP 440 version.*InvalidVersion/s);
    });

    it('legacy-proj: an empty specifier drops the legacy version and the pre-release', async () => {
      const { plain, safe } = await download(pip, 'legacy-proj');
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(plain.files).toEqual(['legacy_proj-1.0-py3-none-any.whl']);
      expect(safe.exitCode, safe.stderr).toBe(0);
      expect(safe.files).toEqual(plain.files);
    });

    it(`legacy-proj==9: nothing fits; "from versions:" ${old ? 'lists the legacy version first' : 'leaves it out'}`, async () => {
      const { plain, safe } = await download(pip, 'legacy-proj==9');
      expect(plain.exitCode).toBe(1);
      const versions = old ? '2010i, 1.0, 2.0a1' : '1.0, 2.0a1';
      expect(plain.stderr).toContain(`(from versions: ${versions})`);
      expect(safe.exitCode, safe.stderr).toBe(1);
      expect(safe.files).toEqual([]);
      expect(safe.stderr).toContain(`(from versions: ${versions})`);
    });
  });
});
