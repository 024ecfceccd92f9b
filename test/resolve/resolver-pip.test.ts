// Differential test of src/resolve/ (finder + resolver + metadata) against the machine's pip
// (python3 -m pip, 23.2.1): every scenario is a wheel-only loopback index; pip runs
// `install --dry-run --ignore-installed --only-binary :all: --report` (no package code runs: every
// candidate is a wheel) and its chosen files (download_info.url per project) must equal safe-pip's,
// or both must fail. All pip runs share one interpreter (harness/pip_dry_run.py).
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { dryRunInvocation, pipRuns, type PipRun } from './harness/pip-oracle.js';
import { targetEnvironment, type TargetEnvironment } from './harness/loopback.js';
import { choices, pipArgs, resolveWithSafePip, serveScenarios, w, type Scenario, type ServedScenarios } from './harness/scenarios.js';

const MANYLINUX = 'cp311-cp311-manylinux_2_17_x86_64';

const scenarios: Scenario[] = [
  // --- yanked files (PEP 592, pip-behaviour.md §8.4)
  { name: 'yanked-unpinned', index: [w('a', '1.0'), w('a', '2.0', { yanked: true })], requirements: ['a'] },
  { name: 'yanked-pinned', index: [w('a', '1.0'), w('a', '2.0', { yanked: 'broken' })], requirements: ['a==2.0'] },
  { name: 'yanked-all-unpinned', index: [w('a', '1.0', { yanked: true }), w('a', '2.0', { yanked: true })], requirements: ['a'] },
  { name: 'yanked-all-range', index: [w('a', '1.0', { yanked: true }), w('a', '2.0', { yanked: true })], requirements: ['a>=1.0'] },
  { name: 'yanked-wildcard-pin', index: [w('a', '2.0', { yanked: true }), w('a', '2.1', { yanked: true })], requirements: ['a==2.*'] },
  { name: 'yanked-arbitrary-pin', index: [w('a', '1.0'), w('a', '2.0', { yanked: true })], requirements: ['a===2.0'] },
  { name: 'yanked-one-of-two-files', index: [w('a', '1.0', { yanked: true }), w('a', '1.0', { tags: MANYLINUX })], requirements: ['a==1.0'] },
  { name: 'yanked-pin-other-version-ok', index: [w('a', '1.0'), w('a', '2.0', { yanked: true })], requirements: ['a==1.0'] },
  { name: 'yanked-transitive', index: [w('app', '1.0', { requiresDist: ['lib'] }), w('lib', '1.0'), w('lib', '1.1', { yanked: true })], requirements: ['app'] },
  { name: 'yanked-transitive-pin', index: [w('app', '1.0', { requiresDist: ['lib==1.1'] }), w('lib', '1.0'), w('lib', '1.1', { yanked: true })], requirements: ['app'] },
  // --- pre-releases (§8.3; pip 23.2.1 vendors packaging 21.3)
  { name: 'pre-only-no-specifier', index: [w('a', '1.0b1'), w('a', '1.0rc1')], requirements: ['a'] },
  { name: 'pre-only-with-specifier', index: [w('a', '2.0b1')], requirements: ['a>=1.0'] },
  { name: 'pre-and-final', index: [w('a', '1.0'), w('a', '2.0b1')], requirements: ['a'] },
  { name: 'pre-flag', index: [w('a', '1.0'), w('a', '2.0b1')], requirements: ['a'], options: { pre: true } },
  { name: 'pre-implied-by-specifier', index: [w('a', '1.0'), w('a', '2.0b1')], requirements: ['a>=2.0b1'] },
  { name: 'pre-not-equal', index: [w('a', '1.0'), w('a', '2.0b1'), w('a', '2.0b2')], requirements: ['a!=2.0b1'] },
  { name: 'pre-dev-release', index: [w('a', '1.0'), w('a', '1.1.dev1')], requirements: ['a<=1.1.dev1'] },
  { name: 'pre-less-than-pre', index: [w('a', '1.0'), w('a', '2.0a1')], requirements: ['a<2.0b1'] },
  { name: 'pre-compatible-release', index: [w('a', '2.0b1'), w('a', '2.0'), w('a', '2.1b1'), w('a', '3.0b1')], requirements: ['a~=2.0b1'] },
  { name: 'pre-transitive-only-pre', index: [w('app', '1.0', { requiresDist: ['lib>=1'] }), w('lib', '2.0b1')], requirements: ['app'] },
  { name: 'pre-merged-specifiers', index: [w('app', '1.0', { requiresDist: ['lib>=2.0b1'] }), w('lib', '1.0'), w('lib', '2.0b1')], requirements: ['app', 'lib'] },
  // --- Requires-Python (link attribute and metadata), target 3.11.x
  { name: 'rp-link', index: [w('a', '1.0'), w('a', '2.0', { linkRequiresPython: '>=3.12' })], requirements: ['a'] },
  { name: 'rp-metadata', index: [w('a', '1.0'), w('a', '2.0', { requiresPython: '>=3.12' })], requirements: ['a'] },
  { name: 'rp-full-version', index: [w('a', '1.0'), w('a', '2.0', { linkRequiresPython: '>3.11.7' }), w('a', '1.5', { linkRequiresPython: '>=3.11.7' })], requirements: ['a'] },
  { name: 'rp-invalid-is-ignored', index: [w('a', '1.0'), w('a', '2.0', { linkRequiresPython: 'not a specifier' })], requirements: ['a'] },
  { name: 'rp-ignore-flag', index: [w('a', '1.0'), w('a', '2.0', { requiresPython: '>=3.12', linkRequiresPython: '>=3.12' })], requirements: ['a'], options: { ignoreRequiresPython: true } },
  { name: 'rp-transitive-metadata', index: [w('app', '1.0', { requiresDist: ['lib'] }), w('lib', '1.0'), w('lib', '2.0', { requiresPython: '<3' })], requirements: ['app'] },
  { name: 'rp-nothing-fits', index: [w('a', '2.0', { requiresPython: '>=4' })], requirements: ['a'] },
  // --- several indexes, find-links
  { name: 'indexes-same-file', index: [w('a', '1.0')], extra: [w('a', '1.0')], requirements: ['a'] },
  { name: 'indexes-newer-on-extra', index: [w('a', '1.0')], extra: [w('a', '1.1')], requirements: ['a'] },
  { name: 'indexes-only-on-extra', index: [w('app', '1.0', { requiresDist: ['lib'] })], extra: [w('lib', '3.0')], requirements: ['app'] },
  { name: 'indexes-better-tag-on-first', index: [w('a', '1.0', { tags: MANYLINUX })], extra: [w('a', '1.0')], requirements: ['a'] },
  { name: 'find-links-newer', index: [w('a', '1.0')], findLinks: [w('a', '1.1')], requirements: ['a'] },
  { name: 'find-links-same-file', index: [w('a', '1.0')], findLinks: [w('a', '1.0')], requirements: ['a'] },
  { name: 'find-links-no-index', findLinks: [w('a', '1.0'), w('a', '2.0', { requiresDist: ['b'] }), w('b', '0.1')], noIndex: true, requirements: ['a'] },
  // --- build tags and platform tags
  { name: 'build-tags', index: [w('a', '1.0'), w('a', '1.0', { build: 1 }), w('a', '1.0', { build: 2 })], requirements: ['a'] },
  { name: 'build-tags-numeric', index: [w('a', '1.0', { build: 9 }), w('a', '1.0', { build: 10 }), w('a', '1.0', { build: '10a' })], requirements: ['a'] },
  {
    name: 'platform-tag-priority',
    index: [w('a', '1.0'), w('a', '1.0', { tags: 'cp311-cp311-linux_x86_64' }), w('a', '1.0', { tags: MANYLINUX }), w('a', '1.0', { tags: 'cp38-abi3-manylinux2014_x86_64' })],
    requirements: ['a'],
  },
  { name: 'platform-abi3-vs-any', index: [w('a', '1.0'), w('a', '1.0', { tags: 'cp38-abi3-manylinux2014_x86_64' })], requirements: ['a'] },
  { name: 'platform-compressed-tags', index: [w('a', '1.0'), w('a', '1.0', { tags: 'py2.py3-none-any' }), w('a', '1.0', { tags: 'py311-none-any' })], requirements: ['a'] },
  { name: 'platform-incompatible-newest', index: [w('a', '1.0'), w('a', '2.0', { tags: 'cp311-cp311-win_amd64' })], requirements: ['a'] },
  { name: 'platform-nothing-compatible', index: [w('a', '1.0', { tags: 'cp27-cp27m-macosx_10_9_x86_64' })], requirements: ['a'] },
  { name: 'platform-build-beats-tag-never', index: [w('a', '1.0', { build: 5 }), w('a', '1.0', { tags: MANYLINUX })], requirements: ['a'] },
  // --- extras and markers
  { name: 'extras-simple', index: [w('a', '1.0', { requiresDist: ['b ; extra == "x"', 'c'] }), w('b', '1.0'), w('c', '1.0')], requirements: ['a[x]'] },
  {
    name: 'extras-nested',
    index: [w('a', '1.0', { requiresDist: ['a[x,y] ; extra == "all"', 'b ; extra == "x"', 'c ; extra == "y"'] }), w('b', '1.0'), w('c', '1.0')],
    requirements: ['a[all]'],
  },
  {
    name: 'extras-marker-guarded',
    index: [w('a', '1.0', { requiresDist: ['b ; extra == "x" and python_version >= "3"', 'c ; extra == "x" and sys_platform == "win32"'] }), w('b', '1.0'), w('c', '1.0')],
    requirements: ['a[x]'],
  },
  { name: 'extras-not-provided', index: [w('a', '1.0', { requiresDist: ['b ; extra == "x"'], providesExtra: [] }), w('b', '1.0')], requirements: ['a[x]'] },
  { name: 'extras-two-requests', index: [w('a', '1.0', { requiresDist: ['b ; extra == "x"', 'c ; extra == "y"'] }), w('b', '1.0'), w('c', '1.0')], requirements: ['a[x]', 'a[y]'] },
  {
    name: 'extras-version-follows-base',
    index: [w('a', '1.0', { requiresDist: ['b ; extra == "x"'] }), w('a', '2.0', { requiresDist: ['b ; extra == "x"'] }), w('b', '1.0')],
    requirements: ['a[x]', 'a<2'],
  },
  { name: 'markers-root-false', index: [w('a', '1.0'), w('b', '1.0')], requirements: ['a ; python_version < "3"', 'b'] },
  {
    name: 'markers-dependencies',
    index: [
      w('app', '1.0', { requiresDist: ['lin ; sys_platform == "linux"', 'win ; sys_platform == "win32"', 'old ; python_version < "3.8"', 'new ; python_full_version >= "3.11.0"', 'x86 ; platform_machine == "x86_64"'] }),
      w('lin', '1.0'), w('win', '1.0'), w('old', '1.0'), w('new', '1.0'), w('x86', '1.0'),
    ],
    requirements: ['app'],
  },
  // --- constraints
  { name: 'constraint-transitive', index: [w('app', '1.0', { requiresDist: ['lib'] }), w('lib', '1.0'), w('lib', '1.5'), w('lib', '2.0')], constraints: ['lib<2'], requirements: ['app'] },
  { name: 'constraint-impossible', index: [w('app', '1.0', { requiresDist: ['lib>=2'] }), w('lib', '1.0'), w('lib', '2.0')], constraints: ['lib<2'], requirements: ['app'] },
  { name: 'constraint-backtracks-parent', index: [w('app', '1.0', { requiresDist: ['lib<2'] }), w('app', '2.0', { requiresDist: ['lib>=2'] }), w('lib', '1.0'), w('lib', '2.0')], constraints: ['lib<2'], requirements: ['app'] },
  { name: 'constraint-implies-pre', index: [w('app', '1.0', { requiresDist: ['lib'] }), w('lib', '1.0'), w('lib', '2.0b1')], constraints: ['lib>=2.0b1'], requirements: ['app'] },
  // --- conflicts and backtracking
  {
    name: 'conflict-app-backtracks',
    index: [w('app', '1.0', { requiresDist: ['lib'] }), w('app', '2.0', { requiresDist: ['lib<2'] }), w('other', '1.0', { requiresDist: ['lib>=2'] }), w('lib', '1.0'), w('lib', '2.0')],
    requirements: ['app', 'other'],
  },
  { name: 'conflict-missing-dependency', index: [w('a', '1.0', { requiresDist: ['b'] }), w('a', '2.0', { requiresDist: ['missing'] }), w('b', '1.0')], requirements: ['a'] },
  {
    name: 'conflict-deep',
    index: [
      w('top', '1.0', { requiresDist: ['left', 'right'] }),
      w('left', '1.0', { requiresDist: ['d'] }), w('left', '2.0', { requiresDist: ['d<2'] }),
      w('right', '1.0', { requiresDist: ['d'] }), w('right', '2.0', { requiresDist: ['d>=2'] }),
      w('d', '1.0'), w('d', '2.0'),
    ],
    requirements: ['top'],
  },
  {
    name: 'conflict-diamond-versions',
    index: [
      w('a', '1.0', { requiresDist: ['c>=1,<3'] }), w('a', '2.0', { requiresDist: ['c>=3'] }),
      w('b', '1.0', { requiresDist: ['c<3'] }), w('b', '2.0', { requiresDist: ['c<2'] }),
      w('c', '1.0'), w('c', '2.0'), w('c', '3.0'),
    ],
    requirements: ['a', 'b'],
  },
  { name: 'conflict-unresolvable', index: [w('a', '1.0', { requiresDist: ['c<2'] }), w('b', '1.0', { requiresDist: ['c>=2'] }), w('c', '1.0'), w('c', '2.0')], requirements: ['a', 'b'] },
  { name: 'conflict-cycle', index: [w('a', '1.0', { requiresDist: ['b'] }), w('b', '1.0', { requiresDist: ['a'] }), w('b', '2.0', { requiresDist: ['a>=2'] })], requirements: ['a'] },
  {
    name: 'conflict-user-pin-wins',
    index: [w('app', '1.0', { requiresDist: ['lib>=1'] }), w('app', '2.0', { requiresDist: ['lib>=2'] }), w('lib', '1.0'), w('lib', '2.0')],
    requirements: ['app', 'lib==1.0'],
  },
  {
    name: 'conflict-stale-pin-dropped',
    index: [w('a', '1.0'), w('a', '2.0', { requiresDist: ['extra-dep', 'b<1'] }), w('extra-dep', '1.0'), w('b', '1.0')],
    requirements: ['a', 'b'],
  },
  // --- metadata and names
  { name: 'metadata-inconsistent', index: [w('a', '1.0'), w('a', '2.0', { metadataOverride: 'Metadata-Version: 2.1\nName: a\nVersion: 1.9\n\n' })], requirements: ['a'] },
  { name: 'metadata-pep658', index: [w('a', '1.0', { pep658: true, requiresDist: ['b'] }), w('b', '1.0', { pep658: true })], requirements: ['a'] },
  { name: 'names-normalized', index: [w('Foo.Bar', '1.0', { requiresDist: ['Baz_Qux>=1'] }), w('baz-qux', '1.0')], requirements: ['FOO_bar'] },
  { name: 'versions-local', index: [w('a', '1.0'), w('a', '1.0+local.1')], requirements: ['a==1.0'] },
  { name: 'versions-post', index: [w('a', '1.0'), w('a', '1.0.post1')], requirements: ['a>1.0'] },
  { name: 'versions-equal-spellings', index: [w('a', '1.0', { requiresDist: ['b'] }), w('a', '1.0.0'), w('b', '1.0')], requirements: ['a'] },
  { name: 'no-deps', index: [w('a', '1.0', { requiresDist: ['missing'] })], requirements: ['a'], noDeps: true },
];

/** A small deterministic generator (LCG) so the generated graphs are the same in every run. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

/**
 * Random dependency graphs over p0..p5 with three versions each: the newest-first choice often
 * conflicts, so these exercise the order in which pip's resolver visits projects and backjumps.
 */
function generatedScenarios(count: number): Scenario[] {
  const operators = ['>=2.0', '<2.0', '==1.0', '!=2.0', '<3.0', '>=3.0', '>1.0,<3.0', ''];
  const out: Scenario[] = [];
  for (let seed = 1; out.length < count; seed += 1) {
    const next = generator(seed * 7919);
    const index: ReturnType<typeof w>[] = [];
    for (let p = 0; p < 6; p += 1) {
      for (const version of ['1.0', '2.0', '3.0']) {
        const deps: string[] = [];
        const n = next(3);
        for (let d = 0; d < n; d += 1) {
          const target = next(8) === 0 ? 'missing' : `p${(p + 1 + next(5)) % 6}`;
          if (target === `p${p}`) continue;
          deps.push(`${target}${operators[next(operators.length)]}`);
        }
        index.push(w(`p${p}`, version, { requiresDist: deps }));
      }
    }
    const roots = next(2) === 0 ? ['p0'] : ['p0', `p${1 + next(5)}${operators[next(operators.length)]}`];
    out.push({ name: `generated-${seed}`, index, requirements: roots });
  }
  return out;
}

scenarios.push(...generatedScenarios(30));

let env: TargetEnvironment;
let servedScenarios: ServedScenarios;
let pip: PipRun[];

beforeAll(async () => {
  env = await targetEnvironment();
  servedScenarios = await serveScenarios(scenarios);
  pip = await pipRuns(scenarios.map((s) => dryRunInvocation(pipArgs(s, servedScenarios))));
}, 300_000);

afterAll(async () => {
  await servedScenarios?.server.close();
});

describe('safe-pip chooses the files pip 23.2.1 chooses', () => {
  it('has enough scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  });

  it.each(scenarios.map((s, i) => [s.name, i] as const))('%s', async (_name, index) => {
    const scenario = scenarios[index]!;
    const answer = pip[index]!;
    const ours = await resolveWithSafePip(scenario, servedScenarios, env);
    if (answer.exit !== 0) {
      expect(ours.ok, `pip failed (${answer.stderr.trim().split('\n').pop()}) but safe-pip resolved`).toBe(false);
      return;
    }
    expect(ours.ok ? null : ours.error.message, 'pip resolved but safe-pip failed').toBeNull();
    if (!ours.ok) return;
    const safePip = choices(ours.resolution.packages.map((p) => ({ name: p.name, url: p.candidate.entry.file.url })));
    expect(safePip).toEqual(choices(answer.installs));
  });
});

describe('pip download --only-binary :all: fetches the files safe-pip chooses', () => {
  const picked = ['yanked-pinned', 'platform-tag-priority', 'build-tags-numeric', 'find-links-newer', 'extras-nested', 'conflict-deep', 'rp-metadata'];
  let downloads: Array<{ name: string; dir: string; run: PipRun }>;

  beforeAll(async () => {
    const runs = picked.map((name) => ({ name, dir: makeTempDir('pip-download-'), scenario: scenarios.find((s) => s.name === name)! }));
    const answers = await pipRuns(runs.map((r) => ({ args: ['download', '--only-binary', ':all:', '-q', '-d', r.dir, ...pipArgs(r.scenario, servedScenarios)] })));
    downloads = runs.map((r, i) => ({ name: r.name, dir: r.dir, run: answers[i]! }));
  }, 300_000);

  it.each(picked)('%s', async (name) => {
    const download = downloads.find((d) => d.name === name)!;
    expect(download.run.exit, download.run.stderr).toBe(0);
    const ours = await resolveWithSafePip(scenarios.find((s) => s.name === name)!, servedScenarios, env);
    expect(ours.ok).toBe(true);
    if (!ours.ok) return;
    const fetched = readdirSync(download.dir).sort();
    expect(ours.resolution.packages.map((p) => p.candidate.entry.file.filename).sort()).toEqual(fetched);
  });
});
