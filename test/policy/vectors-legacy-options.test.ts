// Protection vectors (issue 10 §1): with pip 23.0–25.2, `--global-option` / `--build-option` —
// on the command line, in PIP_GLOBAL_OPTION, in pip.conf, or on a requirement line of a
// requirements file — make pip log "Implying --no-binary=:all:" and build the source archive of
// a project that also has a wheel, whatever --only-binary=:all: says (pip/legacy-setup-py-options.ts).
// `both` has a 1.0 wheel and a 1.0 PEP 517 canary sdist. For every pip of the matrix that has the
// options, each spelling is shown to fire the canary with plain pip, then refused (install, wheel)
// or fetched raw (download) through safe-pip, with nothing run. pip 25.3 removed the options:
// there pip rejects them itself, and safe-pip answers as pip does.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachPip, PIP_MATRIX, pipAtLeast, type PipRelease } from '../helpers/pip-matrix.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeRun, expectNoCode, expectRefusal, runBoth, runPlain, runSafe, useVectorWorld, type Command } from './vector-world.js';

const world = useVectorWorld();
const LEGACY = PIP_MATRIX.filter((v) => !pipAtLeast(v, '25.3'));
const MODERN = PIP_MATRIX.filter((v) => pipAtLeast(v, '25.3'));

interface Spelling {
  title: string;
  command: Command;
  args: () => string[];
  env?: () => Record<string, string>;
}

function requirementsFile(text: string): string {
  const dir = makeTempDir('legacy-reqs-');
  writeFileSync(join(dir, 'requirements.txt'), text);
  return join(dir, 'requirements.txt');
}

function pipConf(text: string): string {
  const path = join(makeTempDir('legacy-conf-'), 'pip.conf');
  writeFileSync(path, text);
  return path;
}

const SPELLINGS: Spelling[] = [
  { title: 'install --global-option=x', command: 'install', args: () => ['-i', world.index, '--global-option=x', 'both'] },
  { title: 'wheel --build-option=x', command: 'wheel', args: () => ['-i', world.index, '--build-option=x', 'both'] },
  { title: 'wheel --global-option x', command: 'wheel', args: () => ['-i', world.index, '--global-option', 'x', 'both'] },
  { title: 'install -r with the line `both --global-option=x`', command: 'install', args: () => ['-i', world.index, '-r', requirementsFile('both --global-option=x\n')] },
  { title: 'install with PIP_GLOBAL_OPTION=x', command: 'install', args: () => ['-i', world.index, 'both'], env: () => ({ PIP_GLOBAL_OPTION: 'x' }) },
  {
    title: 'wheel with global-option in pip.conf',
    command: 'wheel',
    args: () => ['-i', world.index, 'both'],
    env: () => ({ PIP_CONFIG_FILE: pipConf('[global]\nglobal-option = x\n') }),
  },
];

const DOWNLOADS: Spelling[] = [
  { title: 'download --global-option=x', command: 'download', args: () => ['-i', world.index, '--global-option=x', 'both'] },
  { title: 'download -r with the line `both --global-option=x`', command: 'download', args: () => ['-i', world.index, '-r', requirementsFile('both --global-option=x\n')] },
];

function runs(pip: PipRelease, spelling: Spelling) {
  return { args: spelling.args(), env: spelling.env?.() ?? {}, python: pip.python, realPip: pip.pip };
}

describe('--global-option / --build-option imply --no-binary=:all: (pip 23.0–25.2)', () => {
  describeEachPip(LEGACY, (pip) => {
    for (const spelling of SPELLINGS) {
      it(`${spelling.title}: plain pip builds both; safe-pip refuses, naming the option`, async () => {
        const { plain, safe } = await runBoth(spelling.command, runs(pip, spelling), ['both']);
        expect(plain.result.stderr).toContain('Implying --no-binary=:all:');
        expectRefusal(safe, { project: 'both', requiredBy: 'your requirements', why: /--no-binary=:all:/ });
        expect(safe.result.stderr).toMatch(/--global-option|--build-option/);
      });
    }
    for (const spelling of DOWNLOADS) {
      it(`${spelling.title}: plain pip builds both; safe-pip saves its source archive unbuilt`, async () => {
        const { plain, safe } = await runBoth(spelling.command, runs(pip, spelling), ['both']);
        expect(plain.files).toEqual(['both-1.0.tar.gz']);
        expectNoCode(safe);
        expect(safe.files, describeRun(safe)).toEqual(['both-1.0.tar.gz']);
      });
    }
    it('allowing the project builds it, as plain pip would (--no-build-isolation keeps build dependencies out)', async () => {
      const safe = await runSafe('install', {
        args: ['-i', world.index, '--no-build-isolation', '--global-option=x', 'both'],
        env: { SAFE_PIP_ALLOW_BUILD: 'both' },
        python: pip.python,
        realPip: pip.pip,
      });
      expect(safe.fired, describeRun(safe)).toEqual(['both']);
    });
    it('with build isolation, even an allowed build is refused: its build dependencies would be built from source', async () => {
      const safe = await runSafe('install', { args: ['-i', world.index, '--global-option=x', 'both'], env: { SAFE_PIP_ALLOW_BUILD: 'both' }, realPip: pip.pip });
      expectNoCode(safe, 42);
      expect(safe.result.stderr).toMatch(/build dependencies .* built from source/);
      expect(safe.result.stderr).toContain('--no-build-isolation');
    });
  });
});

describe('pip 25.3 and later have no --global-option: safe-pip answers as pip does', () => {
  describeEachPip(MODERN, (pip) => {
    it('install --global-option=x both: the same exit code as pip, and nothing ran', async () => {
      const spec = { args: ['-i', world.index, '--global-option=x', 'both'], python: pip.python, realPip: pip.pip };
      const plain = await runPlain('install', spec);
      const safe = await runSafe('install', spec);
      expect(plain.fired).toEqual([]);
      expect(plain.result.exitCode).toBe(2);
      expectNoCode(safe, plain.result.exitCode);
      expect(safe.result.stderr).toContain('no such option: --global-option');
    });
  });
});
