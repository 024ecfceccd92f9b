// Grammar-aware generators for PEP 440 versions, specifiers and PEP 508 requirements/markers:
// mostly valid text in every spelling packaging normalizes, which the properties then mutate.
import fc from 'fast-check';

const ws = fc.constantFrom('', '', '', ' ', '  ', '\t');
const number = fc.oneof(
  { weight: 5, arbitrary: fc.nat({ max: 30 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('00', '01', '2024', '12345678901234567890', '99999999999999999999999') },
);

export const versionArb: fc.Arbitrary<string> = fc
  .record({
    v: fc.constantFrom('', '', '', 'v', 'V'),
    epoch: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, number.map((n) => `${n}!`)),
    release: fc.array(number, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')),
    pre: fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      fc.tuple(fc.constantFrom('', '.', '-', '_'), fc.constantFrom('a', 'b', 'rc', 'c', 'alpha', 'beta', 'pre', 'preview', 'A', 'RC'), fc.constantFrom('', '.', '-', '_'), fc.oneof(fc.constant(''), number)).map((p) => p.join('')),
    ),
    post: fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      number.map((n) => `-${n}`),
      fc.tuple(fc.constantFrom('', '.', '-', '_'), fc.constantFrom('post', 'rev', 'r', 'POST'), fc.constantFrom('', '.', '-', '_'), fc.oneof(fc.constant(''), number)).map((p) => p.join('')),
    ),
    dev: fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      fc.tuple(fc.constantFrom('', '.', '-', '_'), fc.constantFrom('dev', 'DEV'), fc.constantFrom('', '.', '-', '_'), fc.oneof(fc.constant(''), number)).map((p) => p.join('')),
    ),
    local: fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      fc.array(fc.oneof(number, fc.constantFrom('ubuntu', 'abc', 'Local', 'x1', 'a')), { minLength: 1, maxLength: 3 })
        .chain((parts) => fc.array(fc.constantFrom('.', '-', '_'), { minLength: parts.length, maxLength: parts.length }).map((seps) => `+${parts.map((p, i) => (i === 0 ? p : `${seps[i]}${p}`)).join('')}`)),
    ),
    around: fc.constantFrom('', '', '', ' ', '\t', '\n'),
  })
  .map((p) => `${p.around}${p.v}${p.epoch}${p.release}${p.pre}${p.post}${p.dev}${p.local}${p.around}`);

export const VERSION_FRAGMENTS: readonly string[] = [
  '.', '!', '+', '-', '_', 'v', 'a', 'b', 'rc', 'c', 'post', 'dev', 'alpha', 'pre', 'r', 'rev', '1', '0', '10', '.*', '*',
  ' ', 'ubuntu', '١', '²',
];

export const specifierOp = fc.constantFrom('==', '!=', '<=', '>=', '<', '>', '~=', '===', '=', '=>', '=<', '<>', '!==');

export const specifierArb: fc.Arbitrary<string> = fc
  .tuple(ws, specifierOp, ws, versionArb, fc.constantFrom('', '', '', '.*'), ws)
  .map(([a, op, b, v, star, c]) => `${a}${op}${b}${v.trim()}${star}${c}`);

export const specifierSetArb: fc.Arbitrary<string> = fc
  .array(specifierArb, { maxLength: 4 })
  .chain((specs) => fc.constantFrom(',', ', ', ' ,', ',,').map((sep) => specs.join(sep)));

export const SPECIFIER_FRAGMENTS: readonly string[] = [...VERSION_FRAGMENTS, '==', '!=', '~=', '===', '<', '>', '<=', '>=', ',', ';', ')'];

export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?$/) },
  { weight: 1, arbitrary: fc.constantFrom('requests', 'Foo_Bar', 'zope.interface', 'a', 'A-b', '_x', 'x_', 'é') },
);

const markerVariable = fc.constantFrom(
  'python_version', 'python_full_version', 'implementation_version', 'platform_release', 'os_name', 'os.name',
  'sys_platform', 'sys.platform', 'platform_machine', 'platform.machine', 'platform_system', 'platform_version',
  'platform.version', 'platform_python_implementation', 'python_implementation', 'implementation_name', 'extra',
  'extras', 'dependency_groups', 'unknown_var',
);
const markerOp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '~=', '===', 'in', 'not in', 'not  in', '=', 'is');
const markerValue = fc.oneof(
  versionArb.map((v) => v.trim()),
  fc.constantFrom('3', '3.8', '3.11.*', 'posix', 'linux', 'win32', 'CPython', 'Foo_Bar', 'test', '', 'a b', "it's", 'x\\ny', '\\x41', '\\u00e9', '\\N{DASH}', '\\'),
);
const quoted = fc
  .tuple(markerValue, fc.constantFrom('"', "'"))
  .map(([value, q]) => `${q}${value.split(q).join(`\\${q}`)}${q}`);

const markerAtom = fc
  .tuple(markerVariable, ws, markerOp, ws, quoted, fc.boolean())
  .map(([variable, a, op, b, value, flip]) => {
    const spacedOp = /^[a-z]/.test(op) ? ` ${op} ` : `${a}${op}${b}`;
    return flip ? `${value}${spacedOp}${variable}` : `${variable}${spacedOp}${value}`;
  });

export const markerArb: fc.Arbitrary<string> = fc.letrec<{ marker: string; group: string }>((tie) => ({
  marker: fc
    .array(fc.oneof({ weight: 4, arbitrary: markerAtom }, { weight: 1, arbitrary: tie('group') }), { minLength: 1, maxLength: 4 })
    .chain((atoms) =>
      fc.array(fc.constantFrom(' and ', ' or ', ' and ', ' or ', 'and', '  or\t'), { minLength: atoms.length, maxLength: atoms.length })
        .map((ops) => atoms.map((atom, i) => (i === 0 ? atom : `${ops[i]}${atom}`)).join('')),
    ),
  group: fc.tuple(ws, tie('marker'), ws).map(([a, m, b]) => `(${a}${m}${b})`),
})).marker;

export const MARKER_FRAGMENTS: readonly string[] = [
  ' and ', ' or ', '(', ')', '"', "'", 'not', ' in ', 'python_version', 'extra', '==', '<', '~=', '===', '\\', ';', '.',
];

const extrasArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  fc.array(nameArb, { maxLength: 3 }).chain((extras) => fc.tuple(ws, ws).map(([a, b]) => `[${a}${extras.join(`${b},${a}`)}${b}]`)),
);

const urlArb = fc.constantFrom(
  'https://example.com/pkg-1.0.tar.gz',
  'http://h/x.whl#sha256=abc',
  'file:///tmp/x',
  'git+https://github.com/a/b.git@v1#egg=b',
  'https://user:pw@host:8080/p?q=1;x',
  './relative',
  'https://[::1]/x',
);

export const requirementArb: fc.Arbitrary<string> = fc
  .record({
    lead: ws,
    name: nameArb,
    extras: extrasArb,
    gap: ws,
    spec: fc.oneof(
      specifierSetArb,
      specifierSetArb.map((s) => `(${s})`),
      specifierSetArb.map((s) => `${s},`),
      urlArb.chain((url) => fc.tuple(ws, ws).map(([a, b]) => `@${a}${url}${b === '' ? ' ' : b}`)),
    ),
    marker: fc.oneof({ weight: 2, arbitrary: fc.constant('') }, markerArb.chain((m) => fc.tuple(ws, ws).map(([a, b]) => `${a};${b}${m}`))),
    trail: ws,
  })
  .map((r) => `${r.lead}${r.name}${r.extras}${r.gap}${r.spec}${r.marker}${r.trail}`);

export const REQUIREMENT_FRAGMENTS: readonly string[] = [...SPECIFIER_FRAGMENTS, ...MARKER_FRAGMENTS, '[', ']', '@', ' @ ', 'https://', '#'];
