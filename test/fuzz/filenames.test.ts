// Property-based tests of src/standards/wheel-filename.ts and sdist-filename.ts: any name either
// parses or throws only InvalidWheelFilename / InvalidSdistFilename (legacySdistVersion never
// throws), parsed parts are normalized, and a batch of near-valid names is checked against
// packaging 26.2's parse_wheel_filename / parse_sdist_filename in one python3 process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../src/standards/names.js';
import { InvalidSdistFilename, legacySdistVersion, parseSdistFilename, splitArchiveExtension } from '../../src/standards/sdist-filename.js';
import { InvalidWheelFilename, parseWheelFilename } from '../../src/standards/wheel-filename.js';
import { normalizeVersion } from '../../src/standards/versions.js';
import { FUZZ_SEED, arbitraryText, askPython, assertWithinBudget, fuzzParams, fuzzSample, longRepeat, mutated, onlyThrows, show } from './fuzz-support.js';
import { VERSION_FRAGMENTS, nameArb, versionArb } from './grammar-arbitraries.js';

const tagPart = fc.array(fc.constantFrom('py3', 'py2', 'cp311', 'none', 'abi3', 'any', 'manylinux_2_17_x86_64', 'linux_x86_64', 'win_amd64', 'macosx_11_0_arm64', 'PY3'), { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
const wheelName = fc
  .record({
    name: nameArb.map((n) => n.replace(/[-.]/g, '_')),
    version: versionArb.map((v) => v.trim()),
    build: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, fc.constantFrom('-1', '-2abc', '-x', '-01')),
    py: tagPart,
    abi: tagPart,
    plat: tagPart,
    ext: fc.constantFrom('.whl', '.whl', '.whl', '.WHL', '.zip', ''),
  })
  .map((w) => `${w.name}-${w.version}${w.build}-${w.py}-${w.abi}-${w.plat}${w.ext}`);
const sdistName = fc
  .record({ name: nameArb, version: versionArb.map((v) => v.trim()), ext: fc.constantFrom('.tar.gz', '.tar.gz', '.zip', '.tar.bz2', '.tgz', '.whl', '', '.TAR.GZ') })
  .map((s) => `${s.name}-${s.version}${s.ext}`);
const FRAGMENTS = [...VERSION_FRAGMENTS, '-', '_', '.whl', '.tar.gz', '.zip', 'py3', 'none', 'any', '__', '/', '%2F'];

const wheelInput = fc.oneof({ weight: 3, arbitrary: mutated(wheelName, FRAGMENTS) }, wheelName, arbitraryText(FRAGMENTS));
const sdistInput = fc.oneof({ weight: 3, arbitrary: mutated(sdistName, FRAGMENTS) }, sdistName, arbitraryText(FRAGMENTS));

describe('wheel filenames (fast-check)', () => {
  it('every parser mode returns or throws only InvalidWheelFilename; strict results are normalized', () => {
    fc.assert(
      fc.property(wheelInput, fc.constantFrom('strict', 'legacy', 'strict-or-legacy') as fc.Arbitrary<'strict' | 'legacy' | 'strict-or-legacy'>, fc.boolean(), (input, parser, validateOrder) => {
        const wheel = onlyThrows([InvalidWheelFilename], input, () => parseWheelFilename(input, { parser, validateOrder }));
        if (wheel === undefined) return;
        expect(wheel.filename).toBe(input);
        expect(wheel.tags.length).toBe(new Set(wheel.tags).size);
        expect(wheel.tags.length).toBeLessThanOrEqual(wheel.pythonTags.length * wheel.abiTags.length * wheel.platformTags.length);
        if (wheel.parsedBy === 'strict') {
          expect(wheel.name).toBe(normalizeName(wheel.name));
          expect(normalizeVersion(wheel.version)).toBe(wheel.version);
        }
      }),
      fuzzParams(3000),
    );
  });

  it('survives long names', () => {
    assertWithinBudget(
      [
        longRepeat('a', 20_000, '', '-1-py3-none-any.whl'),
        longRepeat('-', 20_000, 'a', '.whl'),
        longRepeat('a-', 10_000, '', '.whl'),
        longRepeat('1.', 10_000, 'a-', '-py3-none-any.whl'),
        longRepeat(' ', 20_000, 'a-1-py3-none-any', '.whl'),
      ],
      (input) => {
        for (const parser of ['strict', 'legacy', 'strict-or-legacy'] as const) {
          onlyThrows([InvalidWheelFilename], input, () => parseWheelFilename(input, { parser }));
        }
      },
    );
  });

  // Regression (fails until fixed): the compressed tag sets are expanded eagerly into their
  // cartesian product, so a 1.7 kB name from an index page ("a-1-t0.t1…t119-t0…-t0….whl")
  // yields 1.7 million tags (seconds and hundreds of MB); 3 kB would take minutes. packaging
  // does the same, but a hostile index controls these names: cap the components or expand lazily.
  it('regression: a wheel name with many compressed tags is parsed in bounded time', () => {
    const component = Array.from({ length: 120 }, (_, i) => `t${i}`).join('.');
    assertWithinBudget([`a-1-${component}-${component}-${component}.whl`], (input) => {
      onlyThrows([InvalidWheelFilename], input, () => parseWheelFilename(input));
    });
  });
});

describe('sdist filenames (fast-check)', () => {
  it('parseSdistFilename returns or throws only InvalidSdistFilename', () => {
    fc.assert(
      fc.property(sdistInput, (input) => {
        const sdist = onlyThrows([InvalidSdistFilename], input, () => parseSdistFilename(input));
        if (sdist === undefined) return;
        expect(sdist.name).toBe(normalizeName(sdist.name));
      }),
      fuzzParams(3000),
    );
  });

  it('legacySdistVersion and splitArchiveExtension never throw', () => {
    fc.assert(
      fc.property(sdistInput, nameArb, fc.option(fc.oneof(nameArb, arbitraryText(FRAGMENTS, 20))), (input, project, egg) => {
        const path = `/simple/files/${input}`;
        const result = onlyThrows([], { path, project, egg }, () => legacySdistVersion({ path, eggFragment: egg }, project, '3.11'));
        if (result?.ok === true) expect(normalizeVersion(result.versionText)).toBe(result.version.toString());
        const [stem, ext] = onlyThrows([], input, () => splitArchiveExtension(input))!;
        expect(input.replace(/\/+$/, '').endsWith(stem + ext)).toBe(true);
      }),
      fuzzParams(3000),
    );
  });

  // Regression (fails until fixed): legacySdistVersion normalizes every prefix before each `-` of
  // the stem (pip's loop), which is quadratic: a 12 kB link path of `a-a-a-…` takes ~2.5 s.
  // Normalizing incrementally (or skipping prefixes that cannot match) makes it linear.
  it('regression: legacySdistVersion on a long dashed link path is bounded', () => {
    assertWithinBudget([`/x/${'a-'.repeat(6_000)}.tar.gz`], (path) => {
      onlyThrows([], path, () => legacySdistVersion({ path }, 'b', '3.11'));
    });
  });
});

const ORACLE = String.raw`
import json, sys
from packaging.utils import parse_wheel_filename, parse_sdist_filename
data = json.load(sys.stdin)
def wheel(s):
    try:
        name, ver, build, tags = parse_wheel_filename(s)
    except Exception as e:
        return None
    return {"name": name, "version": str(ver), "build": list(build) if build else None, "tags": sorted(str(t) for t in tags)}
def sdist(s):
    try:
        name, ver = parse_sdist_filename(s)
    except Exception as e:
        return None
    return {"name": name, "version": str(ver)}
print(json.dumps({"wheels": [wheel(s) for s in data["wheels"]], "sdists": [sdist(s) for s in data["sdists"]]}))
`;

describe('filenames: differential fuzz against packaging 26.2', () => {
  it('strict parsers agree with parse_wheel_filename / parse_sdist_filename', () => {
    const wheels = fuzzSample(fc.oneof(mutated(wheelName, FRAGMENTS, 2), wheelName), 800);
    const sdists = fuzzSample(fc.oneof(mutated(sdistName, FRAGMENTS, 2), sdistName), 800);
    const answer = askPython<{ wheels: unknown[]; sdists: unknown[] }>(ORACLE, { wheels, sdists });
    const mismatches: string[] = [];
    wheels.forEach((input, i) => {
      let ours: unknown = null;
      try {
        const w = parseWheelFilename(input);
        ours = { name: w.name, version: w.version, build: w.build === null ? null : [...w.build], tags: [...w.tags].sort() };
      } catch (error) {
        if (!(error instanceof InvalidWheelFilename)) throw error;
      }
      if (JSON.stringify(ours) !== JSON.stringify(answer.wheels[i])) mismatches.push(`wheel ${show(input)}: ours ${show(ours)}, packaging ${show(answer.wheels[i])}`);
    });
    sdists.forEach((input, i) => {
      let ours: unknown = null;
      try {
        const s = parseSdistFilename(input);
        ours = { name: s.name, version: s.version.toString() };
      } catch (error) {
        if (!(error instanceof InvalidSdistFilename)) throw error;
      }
      if (JSON.stringify(ours) !== JSON.stringify(answer.sdists[i])) mismatches.push(`sdist ${show(input)}: ours ${show(ours)}, packaging ${show(answer.sdists[i])}`);
    });
    expect(mismatches, `FUZZ_SEED=${FUZZ_SEED}`).toEqual([]);
  });
});
