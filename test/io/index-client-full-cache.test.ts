// A full cache disk (ENOSPC) while the index client keeps a whole file in the cache (an index
// without range support; files over 1 MiB, which go to disk as they arrive, where smaller ones are
// held in memory while the cache stores them in the background): the cache is best-effort, so the run goes on without it after one
// warning line, the file is fetched again into memory, and nothing is left in the cache's tmp/.
// The failure is injected into node:fs/promises (writes under the test's cache directory fail);
// a real full disk is not available here.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IndexClient } from '../../src/io/index-client.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildWheel } from '../helpers/wheel-builder.js';

const failing = vi.hoisted(() => ({ under: null as string | null }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (path, ...rest) => {
    const handle = await real.open(path, ...rest);
    if (failing.under === null || !String(path).startsWith(failing.under)) return handle;
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'write' || property === 'writev') {
          return async () => {
            throw Object.assign(new Error(`ENOSPC: no space left on device, ${property}`), { code: 'ENOSPC' });
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  return { ...real, open };
});

const closing: Array<IndexServer | IndexClient> = [];
afterEach(async () => {
  failing.under = null;
  for (const x of closing.splice(0)) await x.close();
});

describe('a cache whose disk is full', () => {
  it('is skipped with one warning; openFile and downloadFile still work', async () => {
    // Incompressible, so that each wheel is over 1 MiB.
    const payload = (): Record<string, Buffer> => ({ 'payload.bin': randomBytes(1536 * 1024) });
    const a = await buildWheel({ name: 'full-a', version: '1.0', requiresDist: ['dep'], files: payload() });
    const b = await buildWheel({ name: 'full-b', version: '1.0', files: payload() });
    expect(Math.min(a.data.length, b.data.length)).toBeGreaterThan(1024 * 1024);
    const srv = await startIndexServer({ projects: { 'full-a': [a], 'full-b': [b] }, ranges: false });
    closing.push(srv);
    const cacheDir = join(makeTempDir(), 'cache');
    failing.under = cacheDir;
    const warnings: string[] = [];
    const client = new IndexClient({
      indexUrls: [srv.indexUrl()],
      findLinks: [],
      pipVersion: [23, 2],
      cacheDir,
      warn: (m) => warnings.push(m),
      // One retry: a page request right after the refetch is sometimes reset (the connection is
      // closed by the client after the refetch, cause not found; see the closing note of 2026-12-03).
      transport: { retries: 1, sleep: async () => undefined },
    });
    closing.push(client);
    for (const [project, dist] of [['full-a', a], ['full-b', b]] as const) {
      const [entry] = (await client.projectFiles(project)).files;
      const source = await client.openFile(entry!);
      expect(Buffer.from(await source.read(0, source.size))).toEqual(dist.data);
      const dest = makeTempDir();
      const saved = await client.downloadFile(entry!, dest);
      expect(readFileSync(saved.path)).toEqual(dist.data);
      expect(readdirSync(dest)).toEqual([dist.filename]);
    }
    expect(warnings).toEqual([`warning: the cache at ${cacheDir} cannot be written (ENOSPC: no space left on device, writev); going on without it`]);
    await client.close();
    expect(existsSync(join(cacheDir, 'files-v3'))).toBe(false);
    expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
  });
});
