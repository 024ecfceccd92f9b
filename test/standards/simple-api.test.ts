// Differential tests: safe-pip's simple-API page parser against pip's own (parse_links,
// HTMLLinkParser, Link.from_element / Link.from_json) run by the machine's python3 (pip 23.2.1).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACCEPT_HEADER, isAcceptedContentType, projectPageUrl, SimpleApiError, type IndexFile } from '../../src/standards/simple-api.js';
import { parseProjectPage } from '../../src/standards/simple-api/project-page.js';
import { generatedPages, handWrittenPages, type CorpusPage } from './simple-api-corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const oracleDir = join(here, 'oracle-simple-api');

function python(script: string, input: unknown): unknown {
  const out = execFileSync('python3', [join(oracleDir, script)], {
    input: JSON.stringify(input),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8'));
}

interface PipLink {
  url: string;
  filename: string;
  hashes: Record<string, string>;
  requires_python: string | null;
  yanked_reason: string | null;
  metadata: { hashes: Record<string, string> } | null;
  egg: string | null;
  subdirectory: string | null;
}

type PipResult = { links: PipLink[] } | { error: string };

function asPip(f: IndexFile): PipLink {
  return {
    url: f.url,
    filename: f.filename,
    hashes: f.hashes,
    requires_python: f.requiresPython,
    yanked_reason: f.yanked,
    metadata: f.coreMetadata === false ? null : { hashes: f.coreMetadata.hashes },
    egg: f.egg,
    subdirectory: f.subdirectory,
  };
}

const corpus: CorpusPage[] = [...handWrittenPages(), ...generatedPages(150)];
const oracle = python(
  'parse_links.py',
  corpus.map((p) => ({ body: Buffer.from(p.body).toString('base64'), contentType: p.contentType, url: p.url })),
) as PipResult[];

describe('parseProjectPage against pip 23.2.1 parse_links', () => {
  it('has a large corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(120);
    expect(oracle).toHaveLength(corpus.length);
  });

  corpus.forEach((page, i) => {
    const expected = oracle[i] as PipResult;
    it(`${page.name}`, () => {
      if ('error' in expected) {
        expect(() => parseProjectPage(page)).toThrow(SimpleApiError);
        return;
      }
      const got = parseProjectPage(page).files.map(asPip);
      expect(got).toEqual(expected.links);
    });
  });

  it('the corpus exercises every field (oracle sanity)', () => {
    const links = oracle.flatMap((r) => ('links' in r ? r.links : []));
    expect(links.some((l) => l.yanked_reason === '')).toBe(true);
    expect(links.some((l) => l.yanked_reason !== null && l.yanked_reason !== '')).toBe(true);
    expect(links.some((l) => l.requires_python?.includes('<'))).toBe(true);
    expect(links.some((l) => l.metadata !== null && Object.keys(l.metadata.hashes).length > 0)).toBe(true);
    expect(links.some((l) => l.metadata !== null && Object.keys(l.metadata.hashes).length === 0)).toBe(true);
    expect(links.some((l) => l.subdirectory !== null && Object.keys(l.hashes).length > 0)).toBe(true);
    expect(links.some((l) => l.egg !== null)).toBe(true);
    expect(links.some((l) => /[^\x00-\x7f]/.test(l.filename))).toBe(true);
    expect(oracle.filter((r) => 'error' in r).length).toBeGreaterThanOrEqual(5);
  });
});

describe('page metadata pip ignores', () => {
  it('reads the api version, project status and tracks from HTML meta tags', () => {
    const page = parseProjectPage({
      body: new TextEncoder().encode(
        '<meta name="pypi:repository-version" content="1.4"><meta name="pypi:project-status" content="quarantined">' +
          '<meta name="pypi:project-status-reason" content="malware"><meta name="pypi:tracks" content="https://up.example/simple/foo/">' +
          '<meta name="pypi:alternate-locations" content="https://a/"><meta name="pypi:alternate-locations" content="https://b/">',
      ),
      contentType: 'text/html',
      url: 'https://x/simple/foo/',
    });
    expect(page).toEqual({
      files: [],
      apiVersion: '1.4',
      projectStatus: { status: 'quarantined', reason: 'malware' },
      tracks: ['https://up.example/simple/foo/'],
      alternateLocations: ['https://a/', 'https://b/'],
    });
  });

  it('reads JSON upload-time, size, provenance and project-status', () => {
    const page = parseProjectPage({
      body: new TextEncoder().encode(
        JSON.stringify({
          meta: { 'api-version': '1.4', tracks: ['https://up/'] },
          'project-status': { status: 'archived' },
          'alternate-locations': ['https://alt/'],
          files: [{ url: 'f-1.0.tar.gz', hashes: {}, size: 42, 'upload-time': '2024-01-02T03:04:05Z', provenance: 'https://p/' }],
        }),
      ),
      contentType: 'application/vnd.pypi.simple.v1+json',
      url: 'https://x/simple/f/',
    });
    expect(page.apiVersion).toBe('1.4');
    expect(page.projectStatus).toEqual({ status: 'archived', reason: null });
    expect(page.tracks).toEqual(['https://up/']);
    expect(page.alternateLocations).toEqual(['https://alt/']);
    expect(page.files[0]).toMatchObject({ size: 42, uploadTime: '2024-01-02T03:04:05Z', provenance: 'https://p/', url: 'https://x/simple/f/f-1.0.tar.gz' });
  });

  it('names the page and the problem in its errors', () => {
    const err = (() => {
      try {
        parseProjectPage({ body: new TextEncoder().encode('{"files": 3}'), contentType: 'application/vnd.pypi.simple.v1+json', url: 'https://x/simple/f/' });
      } catch (e) {
        return e as SimpleApiError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(SimpleApiError);
    expect(err?.message).toBe('Invalid simple-API page https://x/simple/f/: "files" must be a list, got 3');
  });
});

describe('URLs and content negotiation against pip', () => {
  const indexes = ['https://pypi.org/simple', 'https://pypi.org/simple/', 'http://127.0.0.1:8080/root/', 'file:///srv/idx', '/local/dir', 'https://h/a b/', 'https://h/x?y=1'];
  const names = ['foo', 'Foo.Bar', 'foo__bar', 'Zope.Interface', 'a-_.b', 'pkg/x', 'ünï', 'name with space'];
  const projectUrls = indexes.flatMap((i) => names.map((n) => [i, n] as [string, string]));
  const contentTypes = [
    'text/html', 'TEXT/HTML; charset=utf-8', 'text/htmlx', 'text/plain', 'application/vnd.pypi.simple.v1+json',
    'application/vnd.pypi.simple.v1+html;q=1', 'application/vnd.pypi.simple.latest+json', 'application/json', ' text/html', '',
    'application/vnd.pypi.simple.v1+JSON', 'Unknown',
  ];
  const answer = python('misc.py', { projectUrls, contentTypes }) as { projectUrls: string[]; accepted: boolean[]; accept: string };

  it('builds project page URLs as pip does', () => {
    expect(projectUrls.map(([i, n]) => projectPageUrl(i, n))).toEqual(answer.projectUrls);
  });
  it('accepts the content types pip accepts', () => {
    expect(contentTypes.map(isAcceptedContentType)).toEqual(answer.accepted);
  });
  it('sends pip\'s Accept header', () => {
    expect(ACCEPT_HEADER).toBe(answer.accept);
  });
});
