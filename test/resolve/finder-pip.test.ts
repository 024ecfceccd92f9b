// Differential test of findCandidates against pip 23.2.1's own PackageFinder
// (harness/pip_finder_oracle.py) over the same loopback indexes and find-links directories. The
// finder never builds anything, so sdists can be mixed in: this is where sdist-vs-wheel order,
// --prefer-binary, format control, legacy sdist names and user hashes are checked. For each case
// the files found (in pip's source order), which of them are LegacyVersion candidates, and the order
// the resolver would try them must agree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel, type WheelSpec } from '../helpers/wheel-builder.js';
import { buildSdist, type SdistSpec } from '../helpers/sdist-builder.js';
import { startIndexServer, type IndexServer, type ServedFile } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { SpecifierSet } from '../../src/standards/specifiers.js';
import { findCandidates } from '../../src/resolve/finder.js';
import { isLegacyVersion } from '../../src/standards/legacy-version.js';
import { finderContext, loopbackSource, targetEnvironment, type TargetEnvironment } from './harness/loopback.js';
import { pipFinder, type FinderAnswer, type FinderCase } from './harness/pip-oracle.js';

type Dist = ({ kind: 'wheel' } & WheelSpec) | ({ kind: 'sdist' } & SdistSpec) | { kind: 'raw'; filename: string };
type Served = Dist & { yanked?: boolean | string; requiresPython?: string };

const wheel = (name: string, version: string, more: Partial<WheelSpec> & Partial<Served> = {}): Served => ({ kind: 'wheel', name, version, ...more }) as Served;
const sdist = (name: string, version: string, more: Partial<SdistSpec> & Partial<Served> = {}): Served => ({ kind: 'sdist', name, version, ...more }) as Served;
const raw = (filename: string, more: Partial<Served> = {}): Served => ({ kind: 'raw', filename, ...more }) as Served;

const MANYLINUX = 'cp311-cp311-manylinux_2_17_x86_64';

const projects: Record<string, Served[]> = {
  mix: [
    wheel('mix', '1.0'), sdist('mix', '1.0'), sdist('mix', '2.0'), wheel('mix', '1.5', { tags: MANYLINUX }), wheel('mix', '1.5'),
    sdist('mix', '2.1', { yanked: 'bad' }), wheel('mix', '0.9', { build: 3 }), sdist('mix', '2.0', { format: 'zip' }),
  ],
  pre: [sdist('pre', '1.0'), wheel('pre', '2.0b1'), sdist('pre', '2.0rc1'), wheel('pre', '3.0.dev1'), wheel('pre', '1.1.post1')],
  odd: [
    raw('odd-1.0.tar.bz2'), raw('odd-1.1-py3.11.tar.gz'), raw('odd-1.2-py2.7.tar.gz'), raw('odd-1.0.exe'), raw('Odd-1.3.tar.gz'),
    raw('odd-1.4-macosx10.zip'), raw('odd-notaversion.tar.gz'), raw('odd_1.5.tar.gz'), raw('odd.whl'), raw('other-1.0-py3-none-any.whl'),
    raw('odd-1.6-py3-none-win_amd64.whl'), raw('odd'), raw('odd-1.7.tar.xz'), raw('odd-1.8.tgz'), raw('odd-1.9-py3.11-none-any.whl'),
  ],
  rp: [
    wheel('rp', '1.0', { requiresPython: '>=3.8' }), wheel('rp', '2.0', { requiresPython: '>=3.12' }), sdist('rp', '2.5', { requiresPython: '<3' }),
    wheel('rp', '3.0', { requiresPython: 'garbage' }), sdist('rp', '3.1', { requiresPython: '==3.11.*' }),
  ],
  yank: [wheel('yank', '1.0', { yanked: true }), sdist('yank', '1.0'), wheel('yank', '2.0', { yanked: true })],
  hashed: [wheel('hashed', '1.0'), wheel('hashed', '2.0'), sdist('hashed', '2.0')],
};

const extraProjects: Record<string, Served[]> = {
  mix: [wheel('mix', '1.5'), sdist('mix', '2.0')],
  hashed: [wheel('hashed', '2.0', { tags: MANYLINUX })],
};

const findLinksFiles: Served[] = [wheel('mix', '1.5'), sdist('mix', '2.0'), wheel('mix', '2.0', { tags: 'py2.py3-none-any' })];

async function built(dist: Served): Promise<{ filename: string; data: Buffer; sha256?: string }> {
  if (dist.kind === 'wheel') return buildWheel(dist);
  if (dist.kind === 'sdist') return buildSdist(dist);
  return { filename: dist.filename, data: Buffer.from(`not really ${dist.filename}`) };
}

async function serve(dists: readonly Served[]): Promise<{ files: ServedFile[]; sha: Map<string, string> }> {
  const files: ServedFile[] = [];
  const sha = new Map<string, string>();
  for (const dist of dists) {
    const b = await built(dist);
    const file: ServedFile = { filename: b.filename, data: b.data };
    if (dist.yanked !== undefined) file.yanked = dist.yanked;
    if (dist.requiresPython !== undefined) file.requiresPython = dist.requiresPython;
    files.push(file);
    if (b.sha256 !== undefined) sha.set(b.filename, b.sha256);
  }
  return { files, sha };
}

let env: TargetEnvironment;
let server: IndexServer;
let linksDir: string;
const hashes = new Map<string, string>();

interface Case extends FinderCase {
  label: string;
  sources: 'index' | 'both' | 'links' | 'links-only';
}

function caseList(): Case[] {
  const out: Case[] = [];
  const options: Array<Partial<Case> & { label: string }> = [
    { label: 'default' },
    { label: 'prefer-binary', preferBinary: true },
    { label: 'only-binary', onlyBinary: [':all:'] },
    { label: 'no-binary', noBinary: [':all:'] },
    { label: 'pre', pre: true },
    { label: 'ignore-requires-python', ignoreRequiresPython: true },
  ];
  const specifiers: Record<string, string[]> = {
    mix: ['', '<2', '==2.1', '==2.0', '>=1.5,!=2.0', '===1.0'],
    pre: ['', '>=2.0b1', '<3', '>=1.0', '!=1.0', '<=2.0rc1'],
    // Legacy clauses (packaging 21.3): `>=>1` keeps every version, `==notaversion` the LegacyVersion file.
    odd: ['', '<1.5', '>=>1', '==notaversion', '<=1.1-py3.11'],
    rp: ['', '>=2'],
    yank: ['', '==1.0', '==2.0', '==2.*', '>=1'],
    hashed: [''],
  };
  for (const project of Object.keys(projects)) {
    for (const specifier of specifiers[project] ?? ['']) {
      for (const o of options) {
        const sources: Case['sources'][] = project === 'mix' ? ['index', 'both', 'links', 'links-only'] : ['index'];
        for (const source of sources) {
          out.push({ ...o, project, specifier, sources: source, label: `${project} "${specifier}" ${o.label} ${source}` });
        }
      }
    }
  }
  // User hashes: the matching file sorts first; files with another known hash are dropped.
  out.push({ label: 'hashed: hash of 1.0', project: 'hashed', sources: 'both', hashes: { sha256: [hashes.get('hashed-1.0-py3-none-any.whl')!] } });
  out.push({ label: 'hashed: hash of the sdist', project: 'hashed', sources: 'both', hashes: { sha256: [hashes.get('hashed-2.0.tar.gz')!] }, preferBinary: true });
  out.push({ label: 'hashed: unknown hash', project: 'hashed', sources: 'both', hashes: { sha256: ['0'.repeat(64)] } });
  return out;
}

beforeAll(async () => {
  env = await targetEnvironment();
  const main: Record<string, ServedFile[]> = {};
  const extra: Record<string, ServedFile[]> = {};
  for (const [name, dists] of Object.entries(projects)) {
    const s = await serve(dists);
    main[name] = s.files;
    for (const [k, v] of s.sha) hashes.set(k, v);
  }
  for (const [name, dists] of Object.entries(extraProjects)) extra[name] = (await serve(dists)).files;
  server = await startIndexServer({ indexes: { main, extra } });
  linksDir = join(makeTempDir('finder-links-'), 'links');
  mkdirSync(linksDir);
  for (const dist of findLinksFiles) {
    const b = await built(dist);
    writeFileSync(join(linksDir, b.filename), b.data);
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

function locations(c: Case): { indexUrls: string[]; findLinks: string[]; noIndex: boolean } {
  const main = server.indexUrl('main');
  const extra = server.indexUrl('extra');
  switch (c.sources) {
    case 'index':
      return { indexUrls: [main], findLinks: [], noIndex: false };
    case 'both':
      return { indexUrls: [main, extra], findLinks: [], noIndex: false };
    case 'links':
      return { indexUrls: [main, extra], findLinks: [linksDir], noIndex: false };
    case 'links-only':
      return { indexUrls: [main], findLinks: [linksDir], noIndex: true };
  }
}

describe('findCandidates agrees with pip 23.2.1 PackageFinder', () => {
  let cases: Case[];
  let answers: FinderAnswer[];

  beforeAll(async () => {
    cases = caseList();
    answers = await pipFinder(cases.map((c) => ({ ...c, ...locations(c) })));
  }, 120_000);

  it('covers enough cases, and pip finds something in most of them', () => {
    expect(cases.length).toBeGreaterThan(200);
    expect(answers.filter((a) => a.ordered.length > 0).length).toBeGreaterThan(cases.length / 2);
    expect(answers.some((a) => a.legacy.length > 0)).toBe(true);
  });

  it('finds the same files in the same order, and orders them as the resolver would try them', async () => {
    const mismatches: string[] = [];
    for (const [i, c] of cases.entries()) {
      const where = locations(c);
      const source = loopbackSource(where);
      const entries = await source.files(c.project);
      const context = finderContext(env, {
        pre: c.pre ?? false,
        preferBinary: c.preferBinary ?? false,
        onlyBinary: c.onlyBinary !== undefined,
        noBinary: c.noBinary !== undefined,
        ignoreRequiresPython: c.ignoreRequiresPython ?? false,
      });
      const result = findCandidates(c.project, entries, { specifier: SpecifierSet.parse(c.specifier ?? '', null, context.versionRules), hashes: c.hashes ?? null }, context);
      const ours = { found: result.found.map((x) => x.entry.file.url), ordered: result.ordered.map((x) => x.entry.file.url) };
      const theirs = answers[i]!;
      if (JSON.stringify(ours.found) !== JSON.stringify(theirs.found)) mismatches.push(`${c.label}: found ${JSON.stringify(ours.found)} vs pip ${JSON.stringify(theirs.found)}`);
      const ourLegacy = result.found.filter((x) => isLegacyVersion(x.version)).map((x) => x.entry.file.url);
      if (JSON.stringify(ourLegacy) !== JSON.stringify(theirs.legacy)) mismatches.push(`${c.label}: LegacyVersion candidates ${JSON.stringify(ourLegacy)} vs pip ${JSON.stringify(theirs.legacy)}`);
      if (JSON.stringify(ours.ordered) !== JSON.stringify(theirs.ordered)) mismatches.push(`${c.label}: ordered ${JSON.stringify(ours.ordered)} vs pip ${JSON.stringify(theirs.ordered)}`);
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
