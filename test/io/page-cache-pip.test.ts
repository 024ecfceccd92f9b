// Which index pages safe-pip keeps in its cache, with pip as the oracle: a page is kept exactly
// when pip's own HTTP cache keeps it (cachecontrol's CacheController.cache_response, vendored by
// pip 23.2 to 26.x; src/io/http-cache.ts keptByPipsCache). Each case serves one project page with
// the headers named, and its wheel with `no-store` (so that the page is the only response pip
// could keep); pip 23.2.1 and the newest 26.x download it with a cache directory of their own,
// safe-pip's index client reads the page with one of its own, and both directories are compared.
// pip caches nothing fetched over plain http from a host it was not told to trust (its session
// mounts no cache on http://), so pip runs here with --trusted-host 127.0.0.1: the same rule
// then decides (cachecontrol's InsecureCacheControlAdapter). safe-pip keeps pages from any origin.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexClient } from '../../src/io/index-client.js';
import { keptByPipsCache } from '../../src/io/http-cache.js';
import { describeEachPip, PIP_MATRIX, type PipRelease } from '../helpers/pip-matrix.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';

const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const LATER = new Date(Date.now() + 86_400_000).toUTCString();

/** Each project's page answers with these headers (Cache-Control replaced, the rest added). */
const CASES: Record<string, { cacheControl: string; headers: Record<string, string> }> = {
  'last-modified-only': { cacheControl: '', headers: { 'last-modified': LAST_MODIFIED } },
  'etag-only': { cacheControl: '', headers: { etag: '"e1"' } },
  'max-age': { cacheControl: 'max-age=600', headers: {} },
  'max-age-zero': { cacheControl: 'max-age=0', headers: { 'last-modified': LAST_MODIFIED } },
  'expires': { cacheControl: '', headers: { expires: LATER, 'last-modified': LAST_MODIFIED } },
  'etag-vary-star': { cacheControl: 'max-age=600', headers: { etag: '"e2"', vary: '*' } },
  'etag-no-store': { cacheControl: 'no-store', headers: { etag: '"e3"' } },
  'nothing': { cacheControl: '', headers: {} },
};

let server: IndexServer;

beforeAll(async () => {
  const projects: Record<string, Awaited<ReturnType<typeof buildWheel>>[]> = {};
  for (const name of Object.keys(CASES)) projects[name] = [await buildWheel({ name, version: '1.0' })];
  // No ETag of the server's own (a case adds one), and wheels pip never keeps.
  server = await startIndexServer({ format: 'html', projects, etag: false, ranges: false, pageCacheControl: 'set-by-case', fileCacheControl: 'no-store' });
  for (const [name, { cacheControl, headers }] of Object.entries(CASES)) {
    server.fault(`/simple/${name}/`, { headers: { 'cache-control': cacheControl, ...headers } });
  }
});
afterAll(() => server?.close());

/** The paths of every file under `dir`, however deep. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}

/** Whether pip's HTTP cache (`http/` before pip 23.3, `http-v2/` from it) holds anything after downloading `name`. */
async function pipKeeps(pip: PipRelease, name: string): Promise<boolean> {
  const cache = makeTempDir('pip-cache-');
  const dest = makeTempDir('pip-dest-');
  const result = await runCommand(pip.python, ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '-d', dest, '-i', server.indexUrl(), '--trusted-host', '127.0.0.1', '--cache-dir', cache, name], {
    env: { ...PLAIN_PIP_ENV, PIP_NO_CACHE_DIR: undefined },
  });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(readdirSync(dest)).toEqual([`${name.replaceAll('-', '_')}-1.0-py3-none-any.whl`]);
  return [...filesUnder(join(cache, 'http')), ...filesUnder(join(cache, 'http-v2'))].length > 0;
}

/** Whether safe-pip's index client keeps the page of `name` in a new cache. */
async function safePipKeeps(name: string): Promise<boolean> {
  const cacheDir = makeTempDir('safe-pip-cache-');
  const client = new IndexClient({ indexUrls: [server.indexUrl()], findLinks: [], pipVersion: [23, 2], cacheDir, transport: { retries: 0 } });
  try {
    expect((await client.projectFiles(name)).files).toHaveLength(1);
  } finally {
    await client.close();
  }
  return filesUnder(join(cacheDir, 'pages-v3')).length > 0;
}

describe('index pages kept in the cache: as pip keeps them', () => {
  it('the rule, by the headers each case serves (checked against pip below)', () => {
    const kept = Object.entries(CASES).filter(([, c]) => keptByPipsCache({ date: LAST_MODIFIED, 'cache-control': c.cacheControl, ...c.headers })).map(([name]) => name);
    expect(kept).toEqual(['etag-only', 'max-age', 'expires']);
    // cachecontrol keeps a max-age or an Expires only with a Date to count from.
    expect(keptByPipsCache({ 'cache-control': 'max-age=600' })).toBe(false);
    expect(keptByPipsCache({ date: LAST_MODIFIED, 'cache-control': 'max-age=600, no-cache' })).toBe(true);
  });

  describeEachPip([...new Set(['23.2.1', PIP_MATRIX[PIP_MATRIX.length - 1]!])], (pip) => {
    for (const name of Object.keys(CASES)) {
      it(`${name}: safe-pip keeps the page when pip does`, async () => {
        const [byPip, bySafePip] = await Promise.all([pipKeeps(pip, name), safePipKeeps(name)]);
        expect(bySafePip).toBe(byPip);
      });
    }
  });
});
