// The resolver follows the pip release it stands in for: provider preferences (pip 23.1, 25.1,
// 26.1) and vendored resolvelib (1.0.1, 1.1.0, 1.2.0, 1.2.1), chosen once from the version.
// Scenarios with two valid answers run on in-memory indexes; each asserts the answer the named
// release gives (resolver-releases-pip.test.ts asks the real pips the same questions).
import { describe, expect, it } from 'vitest';
import { parseRequirement } from '../../src/standards/pep508/requirement.js';
import { SpecifierSet } from '../../src/standards/specifiers.js';
import { versionRulesForPip } from '../../src/standards/legacy-version.js';
import { resolve, ResolutionImpossible } from '../../src/resolve/resolver.js';
import { resolverReleaseFor } from '../../src/resolve/resolver-release.js';
import { pip23Preferences } from '../../src/resolve/preferences/pip-23.1.js';
import { pip25Preferences } from '../../src/resolve/preferences/pip-25.1.js';
import { pip26Preferences } from '../../src/resolve/preferences/pip-26.1.js';
import { REQUIRES_PYTHON, type PreferenceInformation, type SelectionState } from '../../src/resolve/preferences/provider.js';
import { CPYTHON_311_LINUX, PURE_PYTHON_WHEELS } from './harness/environment.js';
import { memoryIndex } from './harness/memory-index.js';
import { expectedAnswer, RELEASE_SCENARIOS, type ReleaseAnswer, type ReleaseScenario } from './harness/release-scenarios.js';

const MARKERS = CPYTHON_311_LINUX;

const FINDER = PURE_PYTHON_WHEELS;

/** Releases whose rules differ somewhere, and a few that share them. */
const RELEASES = ['23.2.1', '24.0', '25.0.1', '25.1', '25.1.1', '25.2', '25.3', '26.0.1', '26.1', '26.3'];

async function answer(scenario: ReleaseScenario, pipVersion: string): Promise<ReleaseAnswer> {
  const constraints = new Map<string, { specifier: SpecifierSet; origin: string }[]>();
  for (const line of scenario.constraints ?? []) {
    const req = parseRequirement(line);
    constraints.set(req.name, [{ specifier: SpecifierSet.parse(req.specifier), origin: 'c.txt' }]);
  }
  try {
    const resolution = await resolve({
      pipVersion,
      roots: scenario.requirements.map((text) => ({ requirement: parseRequirement(text), origin: 'command line' })),
      constraints,
      finder: { ...FINDER, versionRules: versionRulesForPip(pipVersion) },
      markers: MARKERS,
      source: memoryIndex(scenario.index ?? []),
      noDeps: false,
    });
    return resolution.packages.map((p) => `${p.name}==${p.candidate.version.toString()}`).sort();
  } catch (error) {
    if (error instanceof ResolutionImpossible) return error.message.includes('internal error') ? 'crashed' : 'impossible';
    throw error;
  }
}

describe('the answer of each pip release', () => {
  for (const scenario of RELEASE_SCENARIOS) {
    describe(`${scenario.name}: ${scenario.about}`, () => {
      it.each(RELEASES)('pip %s', async (version) => {
        expect(await answer(scenario, version)).toEqual(expectedAnswer(scenario, version));
      });
    });
  }
});

describe('resolverReleaseFor', () => {
  it.each([
    ['23.2.1', '23.1', '1.0.1'],
    ['24.3.1', '23.1', '1.0.1'],
    ['25.0.1', '23.1', '1.0.1'],
    ['25.1', '25.1', '1.1.0'],
    ['25.1.1', '25.1', '1.1.0'],
    ['25.2', '25.1', '1.2.0'],
    ['25.3', '25.1', '1.2.1'],
    ['26.0.1', '25.1', '1.2.1'],
    ['26.1', '26.1', '1.2.1'],
    ['26.3.dev0', '26.1', '1.2.1'],
    ['25.1.dev0', '23.1', '1.0.1'],
    ['not a version', '26.1', '1.2.1'],
  ])('pip %s: preferences of %s, resolvelib %s', (pip, preferences, resolvelib) => {
    const release = resolverReleaseFor(pip);
    expect([release.provider.since, release.resolvelib.version]).toEqual([preferences, resolvelib]);
  });
});

function specifier(identifier: string, spec: string, parent: string | null = null): PreferenceInformation {
  return { requirement: { kind: 'specifier', identifier, specifier: SpecifierSet.parse(spec) }, parent: parent === null ? null : { identifier: parent } };
}

function selection(information: Record<string, PreferenceInformation[]>, more: Partial<SelectionState> = {}): SelectionState {
  return { information: (id) => information[id] ?? [], isPinned: () => false, backtrackCauses: [], userRequested: new Map(), ...more };
}

describe('preferences', () => {
  it('pip 23.1: any information is "direct", `==1.*` is pinned, depth counts', () => {
    const provider = pip23Preferences.create();
    const state = selection({ a: [specifier('a', '==1.*')], b: [specifier('b', '<3')] });
    expect(provider.preference('a', state)).toEqual([1, 0, 0, 1, 1, Infinity, 0, 'a']);
    expect(provider.preference('b', state)).toEqual([1, 0, 1, 1, 1, Infinity, 0, 'b']);
    // A dependency of `b` is one deeper than `b` was when last asked about; of an unknown parent, infinitely deep.
    const deeper = selection({ c: [specifier('c', '', 'b')], d: [specifier('d', '', 'x')] });
    expect(provider.preference('c', deeper)[4]).toBe(2);
    expect(provider.preference('d', deeper)[4]).toBe(Infinity);
    expect(provider.preference(REQUIRES_PYTHON, deeper)[0]).toBe(0);
    expect(provider.narrow).toBeUndefined();
  });

  it('pip 25.1: `==1.*` is upper-bounded, not pinned; `===` and `==` pin; explicit is direct', () => {
    const provider = pip25Preferences.create();
    const state = selection({
      a: [specifier('a', '==1.*')],
      b: [specifier('b', '===1.0')],
      c: [{ requirement: { kind: 'explicit', identifier: 'c' }, parent: { identifier: 'c[x]' } }],
      d: [specifier('d', '>=1,!=2')],
      e: [specifier('e', '~=1.0')],
    }, { userRequested: new Map([['d', 0]]) });
    expect(provider.preference('a', state)).toEqual([1, 1, 0, Infinity, 0, 'a']);
    expect(provider.preference('b', state)).toEqual([1, 0, 1, Infinity, 0, 'b']);
    expect(provider.preference('c', state)).toEqual([0, 1, 1, Infinity, 1, 'c']);
    expect(provider.preference('d', state)).toEqual([1, 1, 1, 0, 0, 'd']);
    expect(provider.preference('e', state)).toEqual([1, 1, 0, Infinity, 0, 'e']);
  });

  it('pip 25.1 narrows to Requires-Python, else to the backtrack causes', () => {
    const provider = pip25Preferences.create();
    const causes = [specifier('c', '<2', 'a')];
    expect(provider.narrow!(['b', 'c', REQUIRES_PYTHON], selection({}, { backtrackCauses: causes }))).toEqual([REQUIRES_PYTHON]);
    expect(provider.narrow!(['a', 'b', 'c'], selection({}, { backtrackCauses: causes }))).toEqual(['a', 'c']);
    expect(provider.narrow!(['b', 'd'], selection({}, { backtrackCauses: causes }))).toEqual(['b', 'd']);
  });

  it('pip 26.1 promotes an identifier after five narrowings that find it unpinned among the causes', () => {
    const provider = pip26Preferences.create();
    const pinned = new Set(['a']);
    const state = selection({}, { backtrackCauses: [specifier('c', '<2', 'a')], isPinned: (id) => pinned.has(id) });
    for (let i = 0; i < 4; i += 1) provider.narrow!(['b', 'd'], state);
    expect(provider.preference('c', state)[0]).toBe(1);
    provider.narrow!(['b', 'd'], state);
    expect(provider.preference('c', state)[0]).toBe(0);
    expect(provider.preference('a', state)[0]).toBe(1);
    // Promoted identifiers come after the current causes, before everything else.
    expect(provider.narrow!(['b', 'c', 'd'], selection({}))).toEqual(['c']);
    expect(provider.narrow!(['a', 'b', 'c'], state)).toEqual(['a', 'c']);
  });
});
