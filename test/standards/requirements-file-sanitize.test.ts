// The sanitized copy of a nested requirements tree (local files, a constraints file sharing a child, and
// remote files served on loopback) is read back by pip's own parser: it must give exactly the original's
// lines minus the dropped ones (same line numbers, same requirements and options), the same index and
// find-links state, and no format control at all.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseRequirementsFile,
  type RequirementsFileLine,
  sanitizeRequirementsTree,
  type SanitizedRequirementsTree,
} from '../../src/standards/requirements-file.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { ReqFileCase } from './oracle-reqfile/corpus.js';
import { materialize, type MaterializedCase, type OracleResult, pipLikeReader, runOracle, serveDirectory } from './oracle-reqfile/harness.js';

const TREE: ReqFileCase = {
  name: 'nested tree',
  root: 'requirements.txt',
  dirs: ['wheels'],
  files: {
    'requirements.txt': [
      '# top',
      'foo==1.0 --hash=sha256:aaa',
      '--no-binary :all:',
      '-r sub/more.txt',
      'bar \\',
      '  --only-binary=:none:',
      '-f wheels',
      '-c constraints.txt',
      '-e ./proj',
      '-i https://a.example/simple',
      'https://x.example/pkg-1.0.tar.gz',
      'last ; python_version > "3"',
      '',
    ].join('\n'),
    'sub/more.txt': 'baz>=2\n-r ../shared.txt\n--prefer-binary\nqux --no-binary qux\n',
    'shared.txt': 'shared\n-r {{HTTP}}/remote/remote.txt\n',
    'remote/remote.txt': 'remote-a\n--no-binary :all:\n-r nested.txt\n--extra-index-url https://b.example/simple\n',
    'remote/nested.txt': 'remote-b\n-f https://links.example/\n',
    'constraints.txt': 'foo<2\n-r sub/more.txt\n',
    'proj/pyproject.toml': '',
  },
};

function verdict(line: RequirementsFileLine): 'keep' | 'drop' | 'refuse' {
  if (line.options.occurrences.some((o) => o.dest === 'format_control')) return 'drop';
  if (line.kind === 'editable') return 'refuse';
  if (line.kind === 'requirement' && /^https?:/.test(line.args)) return 'drop';
  return 'keep';
}

let server: Server;
let original: MaterializedCase;
let sanitized: SanitizedRequirementsTree;
let sanitizedRoot: string;
const results = new Map<string, { before: OracleResult; after: OracleResult }>();

beforeAll(async () => {
  const base = makeTempDir('safe-pip-sanitize-');
  const served = await serveDirectory(base);
  server = served.server;
  original = materialize([TREE], base, served.url, 't')[0]!;
  const parsed = await parseRequirementsFile(original!.root, {
    reader: pipLikeReader(original!.dir),
    pathExists: (p) => existsSync(p.startsWith('/') ? p : join(original!.dir, p)),
    env: {},
    pipVersion: '23.2.1',
    cwd: original!.dir,
  });
  sanitized = sanitizeRequirementsTree(parsed, verdict);
  const out = join(base, 'sanitized');
  for (const file of sanitized.files) {
    mkdirSync(dirname(join(out, file.sanitizedRelativePath)), { recursive: true });
    writeFileSync(join(out, file.sanitizedRelativePath), file.bytes);
  }
  sanitizedRoot = join(out, sanitized.files[0]!.sanitizedRelativePath);
  for (const [version, python] of [['23.2.1', 'python3'], ['24.2', '/root/.pyenv/versions/3.13.0/bin/python3']] as const) {
    const [before, after] = await runOracle(python, [
      original!,
      { source: TREE, dir: original!.dir, root: sanitizedRoot, env: {} },
    ]);
    results.set(version, { before: before!, after: after! });
  }
});

afterAll(() => server?.close());

const comparable = (l: OracleResult['lines'][number]) => {
  // -r/-c values point at the copies and -f values are made absolute by design; their effect is compared
  // through the finder state below.
  const { requirements: _r, constraints: _c, no_require_hashes: _n, find_links: _f, ...opts } = l.opts;
  return { file: basename(l.filename), lineno: l.lineno, requirement: l.requirement, constraint: l.constraint, opts };
};

describe.each(['23.2.1', '24.2'])('sanitized tree read by pip %s', (version) => {
  it('reports what was dropped and refused', () => {
    expect(sanitized.dropped.map((d) => `${basename(d.file)}:${d.lineNumber}`)).toEqual([
      'requirements.txt:3',
      'requirements.txt:5',
      'requirements.txt:11',
      'more.txt:4',
      'remote.txt:2',
    ]);
    expect(sanitized.refused.map((d) => `${basename(d.file)}:${d.lineNumber}`)).toEqual(['requirements.txt:9']);
    // The shared child (included from the root and from the constraints file) is copied once; remote files are local.
    expect(sanitized.files.map((f) => f.sanitizedRelativePath).sort()).toEqual(
      ['constraints.txt', 'requirements.txt', 'shared.txt', 'sub/more.txt', expect.stringMatching(/^_remote\/127\.0\.0\.1_\d+\/t0\/remote\/nested\.txt$/), expect.stringMatching(/^_remote\/127\.0\.0\.1_\d+\/t0\/remote\/remote\.txt$/)].sort(),
    );
  });

  it('parses to the original minus exactly the dropped lines', () => {
    const { before, after } = results.get(version)!;
    expect(before.error).toBeNull();
    expect(after.error).toBeNull();
    const removed = new Set([...sanitized.dropped, ...sanitized.refused].map((d) => `${basename(d.file)}:${d.lineNumber}`));
    const expected = before.lines.filter((l) => !removed.has(`${basename(l.filename)}:${l.lineno}`)).map(comparable);
    expect(after.lines.map(comparable)).toEqual(expected);
    expect(after.lines.length).toBeLessThan(before.lines.length);
  });

  it('keeps indexes, find-links and hosts, and leaves no format control', () => {
    const { before, after } = results.get(version)!;
    expect(before.finder.no_binary.length + before.finder.only_binary.length).toBeGreaterThan(0);
    expect(after.finder.no_binary).toEqual([]);
    expect(after.finder.only_binary).toEqual([]);
    expect(after.finder.index_urls).toEqual(before.finder.index_urls);
    expect(after.finder.find_links).toEqual(before.finder.find_links);
    expect(after.finder.prefer_binary).toBe(before.finder.prefer_binary);
  });
});
