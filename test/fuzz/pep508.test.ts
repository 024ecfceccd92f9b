// Property-based tests of src/standards/pep508 (parseRequirement / formatRequirement, parseMarker /
// formatMarker / evaluateMarker): any input either parses or throws RequirementParseError (with a
// position inside the input), the printer reaches a fixed point, and a batch of near-valid strings
// is checked against packaging 26 in one python3 process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarkerEnvironment } from '../../src/standards/interpreter-facts.js';
import {
  type Marker,
  type MarkerComparison,
  MarkerEvaluationError,
  evaluateMarker,
  formatMarker,
  parseMarker,
} from '../../src/standards/pep508/markers.js';
import { type Requirement, RequirementParseError, formatRequirement, parseRequirement } from '../../src/standards/pep508/requirement.js';
import { FUZZ_SEED, arbitraryText, askPython, fuzzParams, fuzzSample, longRepeat, mutated, onlyThrows, show, unexpected } from './fuzz-support.js';
import { MARKER_FRAGMENTS, REQUIREMENT_FRAGMENTS, markerArb, requirementArb } from './grammar-arbitraries.js';

const requirementInput = fc.oneof(
  { weight: 4, arbitrary: mutated(requirementArb, REQUIREMENT_FRAGMENTS) },
  { weight: 1, arbitrary: requirementArb },
  { weight: 1, arbitrary: arbitraryText(REQUIREMENT_FRAGMENTS) },
);
const markerInput = fc.oneof(
  { weight: 4, arbitrary: mutated(markerArb, MARKER_FRAGMENTS) },
  { weight: 1, arbitrary: markerArb },
  { weight: 1, arbitrary: arbitraryText(MARKER_FRAGMENTS) },
);

function checkParseError(error: unknown, input: string): void {
  expect(error).toBeInstanceOf(RequirementParseError);
  const e = error as RequirementParseError;
  expect(e.input).toBe(input);
  expect(e.position).toBeGreaterThanOrEqual(0);
  expect(e.position).toBeLessThanOrEqual(input.length);
  expect(e.spanEnd).toBeGreaterThanOrEqual(e.position);
  expect(e.message).toContain(JSON.stringify(input));
}

function parseOrError<T>(parse: (s: string) => T, input: string): T | undefined {
  try {
    return parse(input);
  } catch (error) {
    if (!(error instanceof RequirementParseError)) throw unexpected(error, input);
    checkParseError(error, input);
    return undefined;
  }
}

const ENV: MarkerEnvironment = {
  implementation_name: 'cpython',
  implementation_version: '3.11.7',
  os_name: 'posix',
  platform_machine: 'x86_64',
  platform_release: '6.1.0-18-amd64',
  platform_system: 'Linux',
  platform_version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
  python_full_version: '3.11.7',
  platform_python_implementation: 'CPython',
  python_version: '3.11',
  sys_platform: 'linux',
};

describe('parseRequirement (fast-check)', () => {
  it('returns or throws only RequirementParseError, with a position inside the input', () => {
    fc.assert(
      fc.property(requirementInput, (input) => {
        parseOrError(parseRequirement, input);
      }),
      fuzzParams(1500),
    );
  });

  // format(parse(x)) parses back with the same name, extras, specifier and url. The printed form
  // is a fixed point from the second round on: like packaging's str(), the printer drops the
  // parentheses of a marker that is one group (`x; (extra == "A")`), and `extra` values are only
  // normalized at the top level, so the first round may change such a value (packaging does too).
  it('formatRequirement output parses back to the same parts and reaches a fixed point', () => {
    fc.assert(
      fc.property(requirementInput, (input) => {
        const req = parseOrError(parseRequirement, input);
        if (req === undefined) return;
        const reparse = (printed: string): Requirement => {
          try {
            return parseRequirement(printed);
          } catch (error) {
            throw new Error(`formatRequirement(parse(${show(input)})) = ${show(printed)} does not parse: ${(error as Error).message}`);
          }
        };
        const printed = formatRequirement(req);
        const again = reparse(printed);
        expect(again.name).toBe(req.name);
        expect([...again.extras].sort()).toEqual([...new Set(req.extras)].sort());
        expect(again.specifier).toBe(req.specifier);
        expect(again.url).toBe(req.url);
        expect(again.marker === null).toBe(req.marker === null);
        const second = formatRequirement(again);
        expect(formatRequirement(reparse(second))).toBe(second);
      }),
      fuzzParams(1500),
    );
  });

  it('survives long and deeply nested inputs', () => {
    const inputs = [
      longRepeat('a', 20_000),
      longRepeat('a.', 20_000, 'x'),
      longRepeat('[a,', 5_000, 'x'),
      longRepeat('>=1,', 5_000, 'x'),
      longRepeat('1.', 10_000, 'x==', '*'),
      longRepeat(' ', 20_000, 'x', ';'),
      longRepeat('(', 200, 'x;', 'os_name=="a"'),
      longRepeat('os_name=="a" and ', 3_000, 'x;', 'os_name=="a"'),
      `x @ ${longRepeat('/', 20_000, 'https://h')}`,
      `x;python_version=="${longRepeat('\\x41', 10_000)}"`,
    ];
    for (const input of inputs) parseOrError(parseRequirement, input);
  });
});

describe('parseMarker / formatMarker / evaluateMarker (fast-check)', () => {
  it('returns or throws only RequirementParseError', () => {
    fc.assert(
      fc.property(markerInput, (input) => {
        parseOrError(parseMarker, input);
      }),
      fuzzParams(1500),
    );
  });

  it('formatMarker output parses back and reaches a fixed point (from the second round, see above)', () => {
    fc.assert(
      fc.property(markerInput, (input) => {
        const marker = parseOrError(parseMarker, input);
        if (marker === undefined) return;
        const reparse = (printed: string): Marker => {
          try {
            return parseMarker(printed);
          } catch (error) {
            throw new Error(`formatMarker(parse(${show(input)})) = ${show(printed)} does not parse: ${(error as Error).message}`);
          }
        };
        const second = formatMarker(reparse(formatMarker(marker)));
        expect(formatMarker(reparse(second))).toBe(second);
      }),
      fuzzParams(1500),
    );
  });

  it('evaluateMarker returns a boolean or throws only MarkerEvaluationError', () => {
    const extra = fc.oneof(fc.constant(undefined), fc.constantFrom('', 'test', 'Foo_Bar', 'a-b'), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(markerInput, extra, (input, extraName) => {
        const marker = parseOrError(parseMarker, input);
        if (marker === undefined) return;
        const result = onlyThrows([MarkerEvaluationError], input, () => evaluateMarker(marker, ENV, extraName));
        if (result !== undefined) expect(typeof result).toBe('boolean');
      }),
      fuzzParams(1500),
    );
  });

});

// Found by the fixed-point property (seed 1105280092): `\0` is an octal escape, so the value holds
// a NUL; formatMarker writes it raw, and a raw NUL inside quotes is rejected by the parser. The
// printer should escape it (as it already does for `"`, `\\`, CR and LF) so its output reads back.
describe('regression: formatMarker output must parse back', () => {
  for (const input of ['python_version=="0\\0a00+30"', 'os_name == "\\x00"']) {
    it(`formatMarker(parseMarker(${JSON.stringify(input)})) parses to the same marker`, () => {
      const marker = parseMarker(input);
      expect(parseMarker(formatMarker(marker))).toEqual(marker);
    });
  }
});

// Found by the properties above (kept as fixed cases). They fail until the parser bounds its
// recursion: today a deeply nested marker overflows the JavaScript stack (RangeError) instead of
// being rejected with RequirementParseError. packaging raises RecursionError from ~500 levels.
describe('regression: deeply nested markers', () => {
  for (const depth of [5_000, 20_000]) {
    it(`a marker nested ${depth} levels deep parses or throws RequirementParseError`, () => {
      parseOrError(parseMarker, `${'('.repeat(depth)}os_name == "a"${')'.repeat(depth)}`);
      parseOrError(parseMarker, '('.repeat(depth));
      parseOrError(parseRequirement, `x; ${'('.repeat(depth)}os_name == "a"${')'.repeat(depth)}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Differential: accept/reject and the parsed structure must agree with packaging 26.2, and
// packaging must accept what our printer writes.

const ORACLE = String.raw`
import json, sys
from packaging.requirements import Requirement
from packaging.markers import Marker
from packaging._parser import Variable, Value
def opnd(n):
    return ["variable" if isinstance(n, Variable) else "value", n.value]
def ser(node):
    if isinstance(node, list):
        return [ser(n) for n in node]
    if isinstance(node, str):
        return node
    l, op, r = node
    return {"l": opnd(l), "op": op.value, "r": opnd(r)}
def accepts(cls, text):
    if text is None:
        return None
    try:
        cls(text)
        return True
    except Exception as e:
        return type(e).__name__ + ": " + str(e)
def req(case):
    text, ours = case
    try:
        r = Requirement(text)
    except Exception as e:
        return {"ok": False, "error": type(e).__name__}
    return {"ok": True, "parts": {"name": r.name, "extras": sorted(r.extras), "specifier": str(r.specifier), "url": r.url,
            "marker": None if r.marker is None else ser(r.marker._markers)}, "printedOk": accepts(Requirement, ours)}
def marker(case):
    text, ours = case
    try:
        m = Marker(text)
    except Exception as e:
        return {"ok": False, "error": type(e).__name__}
    try:
        value = m.evaluate(env)
    except Exception as e:
        value = {"error": type(e).__name__}
    return {"ok": True, "structure": ser(m._markers), "value": value, "printedOk": accepts(Marker, ours)}
data = json.load(sys.stdin)
env = data["env"]
print(json.dumps({"requirements": [req(c) for c in data["requirements"]], "markers": [marker(c) for c in data["markers"]]}))
`;

interface ReqAnswer {
  ok: boolean;
  error?: string;
  parts?: unknown;
  printedOk?: true | string | null;
}
interface MarkerAnswer {
  ok: boolean;
  error?: string;
  structure?: unknown;
  value?: boolean | { error: string };
  printedOk?: true | string | null;
}

function serializeMarker(marker: Marker): unknown {
  return marker.map((node) => {
    if (typeof node === 'string') return node;
    if (Array.isArray(node)) return serializeMarker(node as Marker);
    const { left, op, right } = node as MarkerComparison;
    const operand = (o: MarkerComparison['left']): [string, string] => (o.kind === 'variable' ? ['variable', o.name] : ['value', o.value]);
    return { l: operand(left), op, r: operand(right) };
  });
}

function safeParse<T>(parse: (s: string) => T, input: string): T | null {
  try {
    return parse(input);
  } catch (error) {
    if (error instanceof RequirementParseError) return null;
    throw unexpected(error, input);
  }
}

describe('PEP 508 differential fuzz against packaging 26.2', () => {
  it('accepts and rejects the same near-valid strings, with the same structure', () => {
    // Bounded length: packaging itself fails with RecursionError on deep nesting.
    const requirements = fuzzSample(fc.oneof(mutated(requirementArb, REQUIREMENT_FRAGMENTS, 2), requirementArb), 800).filter((s) => s.length < 400);
    const markers = fuzzSample(fc.oneof(mutated(markerArb, MARKER_FRAGMENTS, 2), markerArb), 500).filter((s) => s.length < 400);
    const ours = requirements.map((s) => safeParse(parseRequirement, s));
    const oursMarkers = markers.map((s) => safeParse(parseMarker, s));
    const answer = askPython<{ requirements: ReqAnswer[]; markers: MarkerAnswer[] }>(ORACLE, {
      env: ENV,
      requirements: requirements.map((s, i) => [s, ours[i] ? formatRequirement(ours[i]) : null]),
      markers: markers.map((s, i) => [s, oursMarkers[i] ? formatMarker(oursMarkers[i]) : null]),
    });
    const mismatches: string[] = [];
    requirements.forEach((input, i) => {
      const mine = ours[i] ?? null;
      const theirs = answer.requirements[i]!;
      if ((mine !== null) !== theirs.ok) {
        mismatches.push(`requirement ${show(input)}: ours ${mine ? 'accepts' : 'rejects'}, packaging ${theirs.ok ? 'accepts' : `rejects (${theirs.error})`}`);
        return;
      }
      if (mine === null) return;
      const parts = { name: mine.name, extras: [...new Set(mine.extras)].sort(), specifier: mine.specifier, url: mine.url, marker: mine.marker ? serializeMarker(mine.marker) : null };
      if (JSON.stringify(parts) !== JSON.stringify(theirs.parts)) {
        mismatches.push(`requirement ${show(input)}: ours ${JSON.stringify(parts)}, packaging ${JSON.stringify(theirs.parts)}`);
      }
      if (theirs.printedOk !== true) mismatches.push(`requirement ${show(input)}: packaging rejects our printed ${show(formatRequirement(mine))}: ${String(theirs.printedOk)}`);
    });
    markers.forEach((input, i) => {
      const mine = oursMarkers[i] ?? null;
      const theirs = answer.markers[i]!;
      if ((mine !== null) !== theirs.ok) {
        mismatches.push(`marker ${show(input)}: ours ${mine ? 'accepts' : 'rejects'}, packaging ${theirs.ok ? 'accepts' : `rejects (${theirs.error})`}`);
        return;
      }
      if (mine === null) return;
      if (JSON.stringify(serializeMarker(mine)) !== JSON.stringify(theirs.structure)) {
        mismatches.push(`marker ${show(input)}: ours ${JSON.stringify(serializeMarker(mine))}, packaging ${JSON.stringify(theirs.structure)}`);
      }
      if (theirs.printedOk !== true) mismatches.push(`marker ${show(input)}: packaging rejects our printed ${show(formatMarker(mine))}: ${String(theirs.printedOk)}`);
      let value: boolean | { error: string };
      try {
        value = evaluateMarker(mine, ENV);
      } catch (error) {
        if (!(error instanceof MarkerEvaluationError)) throw unexpected(error, input);
        value = { error: 'error' };
      }
      const theirValue = typeof theirs.value === 'boolean' ? theirs.value : { error: 'error' };
      if (JSON.stringify(value) !== JSON.stringify(theirValue)) {
        mismatches.push(`marker ${show(input)} evaluates to ${JSON.stringify(value)}, packaging ${JSON.stringify(theirs.value)}`);
      }
    });
    expect(mismatches, `FUZZ_SEED=${FUZZ_SEED}`).toEqual([]);
  });
});
