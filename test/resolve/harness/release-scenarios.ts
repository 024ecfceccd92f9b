// Scenarios where pip releases resolve the same request differently: each has two or more valid
// answers, and which one a pip gives depends on its provider preferences (pip 25.1 changed them,
// 26.1 added conflict promotion) and on its resolvelib's backjumping (1.1, 1.2). `answers` holds
// each answer from the first release that gives it: a release takes the answer of the newest
// key not newer than itself. The answers were read from the real pips (resolver-releases-pip.test.ts
// checks them against every pip of the matrix).
import { pipAtLeast } from '../../helpers/pip-matrix.js';
import { w, type Scenario, type WheelFile } from './scenarios.js';

/**
 * A sorted `name==version` list; 'impossible' (pip reports the conflict, exit 1); 'crashed' (pip's
 * resolver fails with an internal error, exit 2: an IndexError in pip 25.2's backjumping, or a
 * RecursionError on pins that require each other but not from the roots).
 */
export type ReleaseAnswer = readonly string[] | 'impossible' | 'crashed';

export interface ReleaseScenario extends Scenario {
  /** What it shows. */
  about: string;
  /** First pip release giving an answer -> that answer. */
  answers: Readonly<Record<string, ReleaseAnswer>>;
}

/** The answer pip `version` gives. */
export function expectedAnswer(scenario: ReleaseScenario, version: string): ReleaseAnswer {
  let chosen: string | null = null;
  for (const since of Object.keys(scenario.answers)) {
    if (pipAtLeast(version, since) && (chosen === null || pipAtLeast(since, chosen))) chosen = since;
  }
  if (chosen === null) throw new Error(`${scenario.name}: no answer for pip ${version}`);
  return scenario.answers[chosen]!;
}

/** A small deterministic generator (LCG), so generated graphs are the same in every run. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

export interface GraphShape {
  projects: number;
  versions: number;
  /** Each version has fewer than this many dependencies. */
  dependencies: number;
}

const SMALL: GraphShape = { projects: 6, versions: 3, dependencies: 3 };
const LARGE: GraphShape = { projects: 8, versions: 6, dependencies: 4 };
const LARGER: GraphShape = { projects: 10, versions: 8, dependencies: 4 };

/**
 * A random graph over p0, p1, ..., with bounds of every kind the preferences tell apart; p0 and up
 * to two more are the roots. Seeds where pips disagree were found by running many of these
 * through every pip of the matrix.
 */
export function generatedIndex(seed: number, shape: GraphShape = SMALL): Pick<Scenario, 'index' | 'requirements'> {
  const operators = ['>=2.0', '<2.0', '<=2.0', '~=1.0', '==1.*', '!=2.0', '<3.0', '>=3.0', '', '', '==2.0'];
  const next = generator(seed * 104729);
  const index: WheelFile[] = [];
  for (let p = 0; p < shape.projects; p += 1) {
    for (let v = 1; v <= shape.versions; v += 1) {
      const deps: string[] = [];
      const n = next(shape.dependencies);
      for (let d = 0; d < n; d += 1) deps.push(`p${(p + 1 + next(shape.projects - 1)) % shape.projects}${operators[next(operators.length)]}`);
      index.push(w(`p${p}`, `${v}.0`, { requiresDist: [...new Set(deps)] }));
    }
  }
  const roots = ['p0'];
  const more = next(3);
  for (let r = 0; r < more; r += 1) roots.push(`p${1 + next(shape.projects - 1)}${operators[next(operators.length)]}`);
  return { index, requirements: [...new Set(roots)] };
}

/** a 2.0 needs c<2, b 2.0 needs c>=2: either a or b must give up its newest version. */
const conflictOverC = [
  w('a', '1.0'),
  w('a', '2.0', { requiresDist: ['c<2'] }),
  w('b', '1.0'),
  w('b', '2.0', { requiresDist: ['c>=2'] }),
  w('c', '1.0'),
  w('c', '2.0'),
];

export const RELEASE_SCENARIOS: ReleaseScenario[] = [
  {
    name: 'upper-bound-root-first',
    about: 'pip >= 25.1 pins the upper-bounded root first; older pips follow the order given',
    index: conflictOverC,
    requirements: ['a', 'b<3'],
    answers: { '23.1': ['a==2.0', 'b==1.0', 'c==1.0'], '25.1': ['a==1.0', 'b==2.0', 'c==2.0'] },
  },
  {
    name: 'wildcard-is-not-pinned',
    about: '`==1.*` counts as pinned before pip 25.1; from 25.1 it is only upper-bounded, like `<3`',
    index: [w('a', '1.0'), w('a', '2.0', { requiresDist: ['c<2'] }), w('b', '1.0'), w('b', '1.1', { requiresDist: ['c>=2'] }), w('b', '2.0'), w('c', '1.0'), w('c', '2.0')],
    requirements: ['a<3', 'b==1.*'],
    answers: { '23.1': ['a==1.0', 'b==1.1', 'c==2.0'], '25.1': ['a==2.0', 'b==1.0', 'c==1.0'] },
  },
  {
    name: 'depth-versus-name',
    about: 'before pip 25.1 shallower dependencies go first; from 25.1 depth is gone and the name decides',
    index: [
      w('top', '1.0', { requiresDist: ['mid', 'z'] }),
      w('mid', '1.0', { requiresDist: ['b'] }),
      w('z', '1.0'),
      w('z', '2.0', { requiresDist: ['c<2'] }),
      w('b', '1.0'),
      w('b', '2.0', { requiresDist: ['c>=2'] }),
      w('c', '1.0'),
      w('c', '2.0'),
    ],
    requirements: ['top'],
    answers: { '23.1': ['b==1.0', 'c==1.0', 'mid==1.0', 'top==1.0', 'z==2.0'], '25.1': ['b==2.0', 'c==2.0', 'mid==1.0', 'top==1.0', 'z==1.0'] },
  },
  {
    name: 'compatible-release-bound',
    about: '`~=` is an upper bound from pip 25.1, so that root is pinned before the one given first',
    index: [w('a', '1.0'), w('a', '2.0', { requiresDist: ['c<2'] }), w('b', '1.0'), w('b', '1.1', { requiresDist: ['c>=2'] }), w('b', '2.0'), w('c', '1.0'), w('c', '2.0')],
    requirements: ['a', 'b~=1.0'],
    answers: { '23.1': ['a==2.0', 'b==1.0', 'c==1.0'], '25.1': ['a==1.0', 'b==1.1', 'c==2.0'] },
  },
  {
    name: 'upper-bound-dependency',
    about: 'an upper bound in a dependency puts it before a free root from pip 25.1',
    index: [
      w('app', '1.0', { requiresDist: ['b<=2.0'] }),
      w('a', '1.0'),
      w('a', '2.0', { requiresDist: ['c<2'] }),
      w('b', '1.0'),
      w('b', '2.0', { requiresDist: ['c>=2'] }),
      w('c', '1.0'),
      w('c', '2.0'),
    ],
    requirements: ['app', 'a'],
    answers: { '23.1': ['a==2.0', 'app==1.0', 'b==1.0', 'c==1.0'], '25.1': ['a==1.0', 'app==1.0', 'b==2.0', 'c==2.0'] },
  },
  {
    name: 'user-order',
    about: 'the order the user gave decides when nothing else does, in every release',
    index: conflictOverC,
    requirements: ['b', 'a'],
    answers: { '23.1': ['a==1.0', 'b==2.0', 'c==2.0'] },
  },
  {
    name: 'extras-direct',
    about: 'an extra pins its base project through an explicit requirement ("direct" from pip 25.1): same answer everywhere',
    index: [
      w('a', '1.0', { requiresDist: ['x ; extra == "e"'] }),
      w('a', '2.0', { requiresDist: ['c<2', 'x ; extra == "e"'] }),
      w('b', '1.0'),
      w('b', '2.0', { requiresDist: ['c>=2'] }),
      w('c', '1.0'),
      w('c', '2.0'),
      w('x', '1.0'),
    ],
    requirements: ['b<3', 'a[e]'],
    answers: { '23.1': ['a==1.0', 'b==2.0', 'c==2.0', 'x==1.0'], '25.1': ['a==1.0', 'b==2.0', 'c==2.0', 'x==1.0'] },
  },
  {
    name: 'generated-22',
    about: 'a random graph: depth and user order (pip < 25.1) against upper bounds (pip >= 25.1)',
    ...generatedIndex(22),
    answers: { '23.1': ['p0==1.0', 'p2==1.0', 'p3==2.0', 'p4==1.0', 'p5==2.0'], '25.1': ['p0==2.0', 'p2==1.0', 'p3==1.0', 'p4==1.0', 'p5==2.0'] },
  },
  {
    name: 'generated-110',
    about: 'a random graph where pip >= 25.1 keeps the newest root and older pips give it up',
    ...generatedIndex(110),
    answers: { '23.1': ['p0==1.0', 'p1==2.0'], '25.1': ['p0==3.0', 'p1==2.0', 'p2==3.0', 'p4==1.0', 'p5==3.0'] },
  },
  {
    name: 'generated-115',
    about: "resolvelib 1.2's optimistic backjumping (pip >= 25.2) finds an answer where 1.0 and 1.1 give up",
    ...generatedIndex(115),
    answers: { '23.1': 'impossible', '25.2': ['p0==2.0', 'p1==2.0', 'p2==3.0', 'p4==2.0', 'p5==1.0'] },
  },
  {
    name: 'generated-104',
    about: 'no answer; resolvelib 1.2.0 (pip 25.2) backjumps past its last state and fails with an IndexError, 1.2.1 guards it',
    ...generatedIndex(104),
    answers: { '23.1': 'impossible', '25.2': 'crashed', '25.3': 'impossible' },
  },
  {
    name: 'generated-large-1002',
    about: 'a larger graph: three answers, one for resolvelib 1.0.1 + old preferences, one for 1.1, one for 1.2',
    ...generatedIndex(1002, LARGE),
    answers: {
      '23.1': ['p0==1.0', 'p4==1.0', 'p5==1.0', 'p6==1.0'],
      '25.1': ['p0==6.0', 'p3==1.0', 'p4==1.0', 'p6==6.0', 'p7==5.0'],
      '25.2': ['p0==1.0', 'p4==1.0', 'p5==1.0', 'p6==1.0'],
    },
  },
  {
    name: 'generated-large-1051',
    about: 'a larger graph: impossible for pip < 25.1, and different answers for resolvelib 1.1 and 1.2',
    ...generatedIndex(1051, LARGE),
    answers: {
      '23.1': 'impossible',
      '25.1': ['p0==4.0', 'p2==4.0', 'p3==4.0', 'p5==2.0', 'p6==1.0', 'p7==2.0'],
      '25.2': ['p0==2.0', 'p1==1.0', 'p2==6.0', 'p4==4.0', 'p5==6.0'],
    },
  },
  {
    name: 'generated-large-1066',
    about: 'pins that require each other outlive the choice that required them: pip >= 25.1 fails with a RecursionError',
    ...generatedIndex(1066, LARGE),
    answers: { '23.1': ['p0==2.0', 'p1==1.0', 'p2==2.0', 'p4==6.0', 'p5==2.0', 'p6==2.0', 'p7==2.0'], '25.1': 'crashed' },
  },
  {
    name: 'generated-large-1091',
    about: 'impossible for pip < 25.1, resolved by resolvelib 1.1, a RecursionError with 1.2',
    ...generatedIndex(1091, LARGE),
    answers: { '23.1': 'impossible', '25.1': ['p0==6.0', 'p1==6.0', 'p3==1.0', 'p5==6.0', 'p6==1.0'], '25.2': 'crashed' },
  },
  {
    name: 'generated-large-307',
    about: "pip 26.1's conflict promotion: an identifier found unpinned among the causes five times is pinned earlier",
    ...generatedIndex(307, LARGE),
    answers: {
      '23.1': ['p0==5.0', 'p1==2.0', 'p2==6.0', 'p3==6.0', 'p4==6.0', 'p5==3.0', 'p6==6.0', 'p7==2.0'],
      '26.1': ['p0==5.0', 'p1==2.0', 'p2==4.0', 'p3==6.0', 'p4==6.0', 'p5==3.0', 'p6==6.0', 'p7==2.0'],
    },
  },
  {
    name: 'generated-larger-327',
    about: 'four answers: impossible before pip 25.1, then one each for resolvelib 1.1, resolvelib 1.2, and conflict promotion',
    ...generatedIndex(327, LARGER),
    answers: {
      '23.1': 'impossible',
      '25.1': ['p0==8.0', 'p7==8.0', 'p8==6.0', 'p9==8.0'],
      '25.2': ['p0==2.0', 'p1==4.0', 'p3==8.0', 'p5==2.0', 'p7==2.0', 'p9==8.0'],
      '26.1': ['p0==2.0', 'p1==8.0', 'p3==8.0', 'p5==2.0', 'p7==2.0', 'p9==8.0'],
    },
  },
];
