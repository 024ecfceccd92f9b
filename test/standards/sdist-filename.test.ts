// Differential tests: src/standards/sdist-filename.ts against packaging 26's
// parse_sdist_filename and pip 23.2.1's LinkEvaluator.evaluate_link (legacy version derivation).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidSdistFilename,
  SUPPORTED_EXTENSIONS,
  legacySdistVersion,
  parseSdistFilename,
  splitArchiveExtension,
} from '../../src/standards/sdist-filename.js';
import { askPackaging, isOracleError } from './oracle/packaging-oracle.js';
import { chance, pick, seededRandom } from './case-generators.js';

const STEMS = ['foo-1.0', 'Foo.Bar-1.0', 'foo-bar-1.0', 'foo_bar-1.0.post1', 'Foo_Bar-1.0.post1', 'foo-1.0-1', 'foobar-1.0',
  'foo-1.0-py3.11', 'foo-1.0-py311', 'foo-1.0-py2.7', 'foo-1.0-py3', 'foo', 'foo-', 'foo-bad', '-1.0', 'foo--1.0',
  'foo-1.0.dev0', 'foo-v1.0', 'foo-1.0rc1', 'foo-1.0-py3.11-extra', 'macosx10-foo-1.0', 'foo-1.0+local', '.foo-1.0', 'foo-bar-bad'];
const EXTS = ['.tar.gz', '.zip', '.tgz', '.tar', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma', '.whl',
  '.egg', '.exe', '.TAR.GZ', '.Zip', '', '.gz', '.tar.zst'];
const PROJECTS = ['foo', 'foo-bar', 'Foo.Bar', 'foobar', 'bar'];

const random = seededRandom(625);
// Every stem with every extension.
const FILENAMES = STEMS.flatMap((stem) => EXTS.map((ext) => `${stem}${ext}`));
const LEGACY: [string, string | null, string][] = Array.from({ length: 900 }, () => {
  const dir = pick(random, ['/packages/', '/simple/foo/', '/macosx10/', '/a/b/']);
  const path = `${dir}${pick(random, STEMS)}${pick(random, EXTS)}${chance(random, 0.05) ? '/' : ''}`;
  const egg = chance(random, 0.15) ? pick(random, ['foo-2.0', 'foo', 'foo-bar-3.0', 'bar-1.0', 'foo-1.0-py3.11']) : null;
  return [path, egg, pick(random, PROJECTS)];
});

let strict: unknown[];
let legacy: unknown[];
beforeAll(() => {
  [strict, legacy] = askPackaging([
    { op: 'sdist', cases: FILENAMES },
    { op: 'legacy_sdist', cases: LEGACY },
  ]) as [unknown[], unknown[]];
});

describe('parseSdistFilename vs packaging.utils.parse_sdist_filename', () => {
  it(`agrees on ${FILENAMES.length} filenames`, () => {
    const mismatches: unknown[] = [];
    FILENAMES.forEach((filename, i) => {
      let got: unknown;
      try {
        const parsed = parseSdistFilename(filename);
        got = { name: parsed.name, version: parsed.version.toString() };
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidSdistFilename);
        got = 'invalid';
      }
      const expected = isOracleError(strict[i]) ? 'invalid' : strict[i];
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ filename, expected, got });
    });
    expect(mismatches).toEqual([]);
    expect(strict.filter((a) => !isOracleError(a)).length).toBeGreaterThan(25);
  });
});

describe("legacySdistVersion vs pip 23.2.1's LinkEvaluator", () => {
  it(`derives the same version, or the same reason to skip, for ${LEGACY.length} links`, () => {
    const mismatches: unknown[] = [];
    LEGACY.forEach(([path, egg, project], i) => {
      const answer = legacy[i] as { result: string; detail: string; pep440: boolean | null };
      const ours = legacySdistVersion({ path, eggFragment: egg }, project, '3.11');
      if (!ours.ok && ours.reason === 'wheel') {
        // Wheels take the wheel path in pip (tags, name); only check that pip saw a .whl.
        if (!path.replace(/\/$/, '').endsWith('.whl')) mismatches.push({ path, egg, project, answer, ours });
        return;
      }
      let expected: string;
      if (answer.result === 'candidate') {
        // pip 23.2.1 still accepted non-PEP 440 versions (LegacyVersion); current pip skips them.
        expected = answer.pep440 === true ? `ok:${answer.detail}` : 'invalid-version';
      } else if (answer.detail === 'not a file') expected = 'not-a-file';
      else if (answer.detail.startsWith('unsupported archive format')) expected = 'unsupported-archive-format';
      else if (answer.detail === 'macosx10 one') expected = 'macosx10';
      else if (answer.detail.startsWith('Missing project version')) expected = 'missing-version';
      else if (answer.detail === 'Python version is incorrect') expected = 'python-version-mismatch';
      else expected = `unexpected:${answer.result}:${answer.detail}`;
      const got = ours.ok ? `ok:${ours.versionText}` : ours.reason;
      if (got !== expected) mismatches.push({ path, egg, project, expected, got });
    });
    expect(mismatches).toEqual([]);
    expect(legacy.filter((a) => (a as { result: string }).result === 'candidate').length).toBeGreaterThan(100);
  });

  it("splits extensions like pip's splitext and lists pip's supported archive formats", () => {
    expect(splitArchiveExtension('/x/foo-1.0.tar.bz2')).toEqual(['foo-1.0', '.tar.bz2']);
    expect(splitArchiveExtension('/x/.bashrc')).toEqual(['.bashrc', '']);
    expect(splitArchiveExtension('/x/foo-1.0.zip/')).toEqual(['foo-1.0', '.zip']);
    expect(SUPPORTED_EXTENSIONS).toEqual(
      expect.arrayContaining(['.zip', '.whl', '.tar.gz', '.tgz', '.tar', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tlz', '.tar.lz', '.tar.lzma']),
    );
  });
});
