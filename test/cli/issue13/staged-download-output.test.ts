// Issue 13 item 5b: through safe-pip, `pip download` hands pip the wheels safe-pip already fetched
// as local files, and pip announces a local file as `Processing <path>`: a path inside safe-pip's
// private temporary directory. The user sees instead what pip prints for the same pin when it
// fetches it itself (`Collecting name==version`) and where the file came from; every other line
// ("Saved …", "Successfully downloaded …") is pip's own, unchanged. A pin pip fetches itself is
// named by the user's requirements file, not safe-pip's pins file. Compared with plain pip on a
// loopback index, for every pip release of the matrix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { SAFE_PIP } from '../../policy/vector-world.js';
import { describeEachPip, type PipRelease } from '../../helpers/pip-matrix.js';
import type { BuiltDistribution } from '../../helpers/archives.js';

let server: IndexServer;
let tiny: BuiltDistribution;
let dep: BuiltDistribution;
/** `lone` with PEP 658 metadata, so that resolving it needs no request for the wheel itself. */
let faulty: IndexServer;
let lone: BuiltDistribution;

beforeAll(async () => {
  tiny = await buildWheel({ name: 'tiny', version: '1.0', requiresDist: ['dep>=2'] });
  dep = await buildWheel({ name: 'dep', version: '2.1' });
  server = await startIndexServer({ format: 'json', projects: { tiny: [tiny], dep: [dep] } });
  lone = await buildWheel({ name: 'lone', version: '1.0' });
  faulty = await startIndexServer({ format: 'json', projects: { lone: [{ ...lone, coreMetadata: true }] } });
});
afterAll(async () => {
  await server?.close();
  await faulty?.close();
});

async function run(pip: PipRelease, through: boolean, args: string[], prepare: (cwd: string, env: Record<string, string>) => void = () => {}) {
  const cwd = makeTempDir('staged-output-');
  const env: Record<string, string> = { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.pip };
  prepare(cwd, env);
  const result = through ? await runCommand(SAFE_PIP, ['pip', ...args], { env, cwd }) : await runPlainPip(args, { cwd, python: pip.python, env });
  return { ...result, cwd };
}

describe('download through safe-pip: pip\'s output names no temporary path', () => {
  describeEachPip('all', (pip) => {
    const args = (): string[] => ['download', '-d', 'D', '-i', server.indexUrl(), 'tiny'];

    it('each staged wheel is announced by its pin and index URL; the rest is pip\'s own output', async () => {
      const plain = await run(pip, false, args());
      const safe = await run(pip, true, args());
      expect(safe.exitCode).toBe(0);
      expect(readdirSync(join(safe.cwd, 'D')).sort()).toEqual(readdirSync(join(plain.cwd, 'D')).sort());
      // The same plain pip run prints `Collecting` and `Downloading` for each file it fetched.
      expect(plain.stdout).toMatch(/^Collecting tiny$/m);
      expect(safe.stdout).not.toMatch(/safe-pip-run-|Processing /);
      expect(safe.stdout).toBe(
        [
          `Looking in indexes: ${server.indexUrl()}`,
          'Collecting tiny==1.0',
          `  Fetched by safe-pip from ${server.fileUrl(tiny.filename)}`,
          'Collecting dep==2.1',
          `  Fetched by safe-pip from ${server.fileUrl(dep.filename)}`,
          ...plain.stdout.split('\n').filter((line) => /^(Saved|Successfully downloaded) /.test(line)),
          '',
        ].join('\n'),
      );
    });

    it('also when the temporary directory lies under the working directory (pip then shows ./…)', async () => {
      const safe = await run(pip, true, args(), (cwd, env) => {
        mkdirSync(join(cwd, 'tmp'));
        env.TMPDIR = join(cwd, 'tmp');
      });
      expect(safe.exitCode).toBe(0);
      expect(safe.stdout).not.toMatch(/safe-pip-run-|Processing /);
      expect(safe.stdout).toContain(`Collecting tiny==1.0\n  Fetched by safe-pip from ${server.fileUrl(tiny.filename)}\n`);
    });

    it('a wheel safe-pip could not stage: pip fetches it by its pin and names the user\'s requirements file, as plain pip', async () => {
      // The wheel answers 404 once to each tool that fetches it: safe-pip's staging, then pip.
      const path = new URL(faulty.fileUrl(lone.filename)).pathname;
      const lonely = async (through: boolean) => {
        const fault = faulty.fault(path, { status: 404, times: through ? 2 : 1 });
        const result = await run(pip, through, ['download', '-d', 'D', '-i', faulty.indexUrl(), '-r', 'reqs.txt'], (cwd) => writeFileSync(join(cwd, 'reqs.txt'), 'lone==1.0\n'));
        fault.remove();
        return { ...result, hits: fault.hits };
      };
      const plain = await lonely(false);
      const safe = await lonely(true);
      expect(plain.exitCode).toBe(1);
      expect(plain.stdout + plain.stderr).toContain('-r reqs.txt (line 1)');
      expect(safe.hits).toBe(2);
      expect({ exitCode: safe.exitCode, stdout: safe.stdout, stderr: safe.stderr }).toEqual({ exitCode: plain.exitCode, stdout: plain.stdout, stderr: plain.stderr });
    });
  });
});
