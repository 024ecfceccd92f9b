// Property-based tests of pip's requirements-file format (src/standards/requirements-file.ts and
// its folder) and of src/pip/requirement-line.ts: preprocessing and break_args_options never
// throw, a line parses or throws only LineOptionsError, a whole tree read through an in-memory
// reader parses or throws only RequirementsFileError, and classifyRequirementString (in-memory
// fs) returns or throws only RequirementLineError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequirementLineError, classifyRequirementString, type RequirementLineFs } from '../../src/pip/requirement-line.js';
import {
  RequirementsFileError,
  breakArgsOptions,
  parseRequirementsFile,
  parseRequirementsLine,
  preprocessRequirementsText,
} from '../../src/standards/requirements-file.js';
import { LineOptionsError } from '../../src/standards/requirements-file/line-options.js';
import { arbitraryText, assertWithinBudget, fuzzParams, longRepeat, mutated, onlyThrows, onlyThrowsAsync } from './fuzz-support.js';
import { REQUIREMENT_FRAGMENTS, requirementArb } from './grammar-arbitraries.js';

const PIP_VERSIONS = ['23.0.1', '23.2.1', '24.0', '24.3.1', '25.0.1', '26.2.1'];
const pipVersion = fc.constantFrom(...PIP_VERSIONS);

const optionPart = fc.constantFrom(
  '--hash=sha256:abc', '--hash sha256:def', '--hash=md5:00', '--hash=nocolon', '-C key=val', '--config-settings=__proto__=x',
  '-C constructor=y', '-Ck', '--no-binary :all:', '--only-binary=-x', '--pre', '--prefer-binary', '-i https://idx/simple',
  '--index-url=http://[::1', '--extra-index-url x', '--no-index', '-f ./links', '--find-links=https://h/', '--trusted-host h',
  '--use-feature=truststore', '--use-feature=bogus', '--global-option=x', '--install-option=y', "'--quoted'", '"unterminated',
  '--require-hashes', '--no-require-hashes', '--all-releases :all:', '--bogus', '--ha', '-', '--', '\\',
);
const requirementLinePart = fc.oneof(
  requirementArb,
  fc.constantFrom('./local/dir', './pkg-1.0.tar.gz', 'pkg-1.0-py3-none-any.whl', 'https://h/pkg-1.0.tar.gz#egg=pkg', 'git+https://h/r.git#egg=r',
    'file:///tmp/x.zip', '../up/../x.whl', 'name @ https://h/x.whl', 'dir[extra]', '.', 'pkg==1.0 ; python_version<"3"', 'x.whl'),
);
// Inputs with an unclosed IPv6 host are the known regression at the end of this file.
const nestedPart = fc.constantFrom('-r child.txt', '-c constraints.txt', '-r https://h/req.txt', '-r self.txt', '-r sub/child.txt', '-r file:///abs/req.txt', '-r pylock.toml', '-e ./local/dir', '-e git+https://h/r.git#egg=r', '-e .');
const reqLine = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(requirementLinePart, fc.array(optionPart, { maxLength: 2 })).map(([r, o]) => [r, ...o].join(' ')) },
  { weight: 2, arbitrary: fc.array(optionPart, { minLength: 1, maxLength: 3 }).map((o) => o.join(' ')) },
  { weight: 1, arbitrary: nestedPart },
  { weight: 1, arbitrary: fc.constantFrom('# comment', '', '   ', 'pkg # trailing comment', 'pkg \\', '${HOME}/x', '${UNSET_VAR}', '\ufeffpkg', 'pkg\\') },
);
const fileText = fc
  .tuple(fc.array(reqLine, { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r', '\u2028', '\x0c'))
  .map(([lines, eol]) => lines.join(eol));
const FRAGMENTS = [...REQUIREMENT_FRAGMENTS, ' -', ' --', '\\\n', '#', '${X}', "'", '"', '-r ', '-e ', '--hash='];
const textInput = fc.oneof({ weight: 3, arbitrary: mutated(fileText, FRAGMENTS) }, fileText, arbitraryText(FRAGMENTS, 120));
const lineInput = fc.oneof({ weight: 3, arbitrary: mutated(reqLine, FRAGMENTS) }, reqLine, arbitraryText(FRAGMENTS, 60));
const ENV = { HOME: '/home/u', X: 'expanded', EMPTY: '' };

describe('requirements-file lines (fast-check)', () => {
  it('preprocessRequirementsText never throws; logical lines are stripped, non-empty and ordered', () => {
    fc.assert(
      fc.property(textInput, (text) => {
        const { physical, lines } = onlyThrows([], text, () => preprocessRequirementsText(text, ENV))!;
        let previous = -1;
        for (const line of lines) {
          expect(line.text).not.toBe('');
          expect(line.firstPhysical).toBeGreaterThan(previous);
          expect(line.lastPhysical).toBeLessThan(Math.max(physical.length, 1));
          expect(line.lineNumber).toBe(line.firstPhysical + 1);
          previous = line.lastPhysical;
        }
      }),
      fuzzParams(3000),
    );
  });

  it('breakArgsOptions never throws and splits the line at a space', () => {
    fc.assert(
      fc.property(lineInput, (line) => {
        const { args, optionsText } = onlyThrows([], line, () => breakArgsOptions(line))!;
        expect([args, optionsText].filter((p) => p !== '').join(' ') === line || `${args} ${optionsText}` === line).toBe(true);
      }),
      fuzzParams(3000),
    );
  });

  it('parseRequirementsLine returns or throws only LineOptionsError', () => {
    fc.assert(
      fc.property(lineInput, pipVersion, (line, version) => {
        onlyThrows([LineOptionsError], line, () => parseRequirementsLine(line, version));
      }),
      fuzzParams(3000),
    );
  });

  // Not included: "pkg" + 50 000 spaces + "x" takes seconds here, and 43 s in pip itself (its
  // COMMENT_RE `(^|\s+)#.*$` is quadratic in Python's re too), so it is faithful, not a bug.
  it('survives long lines and files', () => {
    assertWithinBudget(
      [
        longRepeat('pkg\n', 200_000),
        longRepeat('\\\n', 100_000, 'pkg'),
        longRepeat(' ', 50_000, 'pkg', '# c'),
        longRepeat('${X}', 20_000),
        longRepeat(' --pre', 20_000, 'pkg'),
        longRepeat("'", 20_000, 'pkg --hash='),
      ],
      (text) => {
        const { lines } = preprocessRequirementsText(text, ENV);
        for (const line of lines.slice(0, 50)) onlyThrows([LineOptionsError], line.text.slice(0, 80), () => parseRequirementsLine(line.text, '24.0'));
      },
    );
  });
});

// Found by the line property (fails until fixed): the -C/--config-settings values are collected in
// a plain object, so `-C __proto__=x` replaces its prototype instead of adding the key, and
// `-C constructor=y` reads Object.prototype.constructor as an existing value, giving
// [Object, "y"]. pip keeps a dict: {"__proto__": "x"} and {"constructor": "y"}.
describe('regression: config-settings keys that are Object.prototype keys', () => {
  it('-C __proto__=x and -C constructor=y are kept as plain keys', () => {
    const line = parseRequirementsLine('pkg -C __proto__=x -C constructor=y', '24.0');
    const settings = line.options.configSettings!;
    expect(Object.hasOwn(settings, '__proto__')).toBe(true);
    expect(settings['__proto__']).toBe('x');
    expect(settings['constructor']).toBe('y');
  });
});

// Files exist only directly under /work (or the matching URLs): a reader that served the same text
// at every depth would let `-r sub/child.txt` recurse without end, which pip does too.
function memoryReader(files: Record<string, string>) {
  return async (location: string): Promise<{ bytes: Uint8Array; finalLocation: string; contentType: string | null }> => {
    const match = /^(?:\/work\/|file:\/\/\/work\/|https:\/\/h\/simple\/|https:\/\/h\/)?([^/]+)$/.exec(location);
    const text = match === null ? undefined : files[match[1]!];
    if (text === undefined) throw new Error(`[Errno 2] No such file or directory: '${location}'`);
    return { bytes: new TextEncoder().encode(text), finalLocation: location, contentType: 'text/plain' };
  };
}

describe('parseRequirementsFile with an in-memory reader (fast-check)', () => {
  it('returns or throws only RequirementsFileError', async () => {
    await fc.assert(
      fc.asyncProperty(textInput, textInput, pipVersion, fc.constantFrom('/work/req.txt', 'https://h/simple/req.txt', 'file:///work/req.txt'), async (root, child, version, location) => {
        const reader = memoryReader({ 'req.txt': root, 'child.txt': child, 'constraints.txt': 'pkg<2\n-r child.txt', 'self.txt': '-r self.txt' });
        const parsed = await onlyThrowsAsync([RequirementsFileError], { root, child, location }, () =>
          parseRequirementsFile(location, { reader, pathExists: () => false, env: ENV, pipVersion: version, cwd: '/work' }),
        );
        if (parsed === undefined) return;
        for (const requirement of parsed.requirements) expect(typeof requirement.requirement).toBe('string');
      }),
      fuzzParams(1000),
    );
  });
});

const memoryFs: RequirementLineFs = {
  isFile: (path) => /\.(whl|tar\.gz|zip)$/.test(path) && path.includes('/exists/'),
  isDir: (path) => path.endsWith('/dir') || path === '/work' || path === '/work/local/dir',
  dirHasProjectFile: (path) => path !== '/work/dir',
};

describe('classifyRequirementString with an in-memory fs (fast-check)', () => {
  it('returns or throws only RequirementLineError', () => {
    const input = fc.oneof({ weight: 3, arbitrary: mutated(requirementLinePart, FRAGMENTS) }, requirementLinePart, arbitraryText(FRAGMENTS, 60));
    fc.assert(
      fc.property(input, pipVersion, fc.boolean(), (text, version, editable) => {
        onlyThrows([RequirementLineError], { text, version, editable }, () => classifyRequirementString(text, { cwd: '/work', fs: memoryFs, editable, pipVersion: version }));
      }),
      fuzzParams(3000),
    );
  });
});

// Found by the two properties above (fail until fixed): Python's urlsplit raises "Invalid IPv6 URL"
// (PythonUrlError here) for an unclosed "[" in the host, and it escapes both parsers instead of
// becoming their own error. pip itself crashes with a ValueError traceback on these inputs; safe-pip
// should report them as RequirementsFileError / RequirementLineError naming the file and line.
describe('regression: an invalid IPv6 host in a URL', () => {
  it('a nested "-r http://[::1/r.txt" in a file: URL parent throws RequirementsFileError', async () => {
    const reader = memoryReader({ 'req.txt': '-r http://[::1/r.txt\n' });
    await expect(
      parseRequirementsFile('file:///work/req.txt', { reader, pathExists: () => false, env: ENV, pipVersion: '23.0.1', cwd: '/work' }),
    ).rejects.toBeInstanceOf(RequirementsFileError);
  });

  for (const text of ['http://[::1/x', 'name @ https://[/x.whl']) {
    it(`${JSON.stringify(text)} as a requirement (pip 23.0.1) throws RequirementLineError`, () => {
      expect(() => classifyRequirementString(text, { cwd: '/work', fs: memoryFs, editable: false, pipVersion: '23.0.1' })).toThrow(RequirementLineError);
    });
  }
});
