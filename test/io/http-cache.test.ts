// The on-disk cache (src/io/http-cache.ts): writes happen in the background, yet a page or file
// written by one HttpCache is read back at once by another on the same directory (the analysis
// opens several clients), flush() leaves no temporary file, torn or tampered entries are ignored,
// a file entry is a copy of its own (never a hard link to the user's file; a private staging
// directory may link to a verified one) and is hashed when first looked up in a process (unless
// that process wrote it), a cache that cannot be written
// warns once and is skipped, and a disabled cache touches nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HttpCache, type CachedPage } from '../../src/io/http-cache.js';
import { WriterStopped, type CacheWriter } from '../../src/io/cache-writer.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// Every file the cache reads through a stream (how it hashes an entry), in order; reading is
// otherwise unchanged.
const reads = vi.hoisted(() => ({ paths: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const createReadStream = ((path: string, ...rest: unknown[]) => {
    reads.paths.push(String(path));
    return (fs.createReadStream as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.createReadStream;
  return { ...fs, default: { ...fs, createReadStream }, createReadStream };
});

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

function page(body: string): CachedPage {
  return { url: 'https://example.test/simple/p/', contentType: 'text/html', etag: '"e1"', lastModified: null, cacheControl: 'max-age=60', storedAt: 1, body: new TextEncoder().encode(body) };
}

/** A cache in a new directory holding one entry this process wrote ('good bytes'), flushed to disk. */
async function cacheWithEntry(): Promise<{ dir: string; cache: HttpCache; sum: string; entry: string }> {
  const dir = makeTempDir();
  const cache = HttpCache.open(dir);
  const sum = sha256('good bytes');
  await cache.storeBytes(sum, new TextEncoder().encode('good bytes'));
  await cache.flush();
  return { dir, cache, sum, entry: fileEntry(dir, sum) };
}

/** Where the cache keeps the file of this sha256: one level of 16 folders. */
function fileEntry(dir: string, sum: string): string {
  return join(dir, 'files-v3', sum);
}

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('HttpCache', () => {
  it('a page put by one cache is read back by another before any flush', async () => {
    const dir = makeTempDir();
    const writer = HttpCache.open(dir);
    writer.putPage('https://example.test/simple/p/', page('<a>1</a>'));
    const got = await HttpCache.open(dir).getPage('https://example.test/simple/p/');
    expect(got).not.toBeNull();
    expect(new TextDecoder().decode(got!.body)).toBe('<a>1</a>');
    expect(got!.etag).toBe('"e1"');
    await writer.flush();
    expect(allFiles(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // One file per page (each new file or folder is a new inode: the cost that counts on ext4), in
    // the one folder of pages.
    const url = 'https://example.test/simple/p/';
    const key = sha256(url);
    expect(allFiles(dir)).toEqual([join('pages-v3', `${key}.page`)]);
    expect(readdirSync(join(dir, 'pages-v3'))).toEqual([`${key}.page`]);
  });

  it('the last of two puts of the same page wins', async () => {
    const dir = makeTempDir();
    const cache = HttpCache.open(dir);
    cache.putPage('https://example.test/simple/p/', page('first'));
    cache.putPage('https://example.test/simple/p/', page('second'));
    await cache.flush();
    expect(new TextDecoder().decode((await cache.getPage('https://example.test/simple/p/'))!.body)).toBe('second');
  });

  it('ignores a tampered page body and never stores a no-store page', async () => {
    const dir = makeTempDir();
    const cache = HttpCache.open(dir);
    cache.putPage('https://example.test/simple/p/', page('<a>1</a>'));
    await cache.flush();
    const entry = join(dir, allFiles(dir).find((f) => f.endsWith('.page'))!);
    const stored = readFileSync(entry);
    const newline = stored.indexOf(0x0a);
    // Another body after the same metadata, a body cut short, metadata cut short: each ignored.
    for (const damaged of [Buffer.concat([stored.subarray(0, newline + 1), Buffer.from('<a>2</a>')]), stored.subarray(0, stored.length - 1), stored.subarray(0, newline - 1)]) {
      writeFileSync(entry, damaged);
      expect(await cache.getPage('https://example.test/simple/p/')).toBeNull();
    }
    // The check can fail: the entry as written is read.
    writeFileSync(entry, stored);
    expect(new TextDecoder().decode((await cache.getPage('https://example.test/simple/p/'))!.body)).toBe('<a>1</a>');
    cache.putPage('https://example.test/simple/q/', { ...page('x'), cacheControl: 'no-store, max-age=5' });
    await cache.flush();
    expect(await cache.getPage('https://example.test/simple/q/')).toBeNull();
  });

  it('files by sha256: found at once while the write is under way, stored once', async () => {
    const dir = makeTempDir();
    const cache = HttpCache.open(dir);
    const data = new TextEncoder().encode('wheel bytes');
    const sum = sha256(data);
    expect(await cache.findBySha256(sum)).toBeNull();
    cache.storeBytes(sum, data);
    cache.storeBytes(sum, data);
    const path = await HttpCache.open(dir).findBySha256(sum);
    expect(path).toBe(fileEntry(dir, sum));
    expect(readFileSync(path!, 'utf8')).toBe('wheel bytes');
    await cache.flush();
    expect(allFiles(dir)).toEqual([relative(dir, fileEntry(dir, sum))]);
    expect(await cache.findBySha256('not-a-hash')).toBeNull();
  });

  it('files by sha256: bytes waiting for the disk stay under a bound (storeBytes waits past 8 MiB)', async () => {
    const dir = makeTempDir();
    // A writer that holds each write until the test lets it go.
    const held: (() => void)[] = [];
    const writer: CacheWriter = {
      write: (_tmp, path, data) =>
        new Promise((resolve) => {
          held.push(() => {
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, data);
            resolve(statSync(path));
          });
        }),
    };
    const cache = HttpCache.open(dir, { writer });
    const first = new Uint8Array(5 * 1024 * 1024).fill(1);
    const second = new Uint8Array(5 * 1024 * 1024).fill(2);
    const stored = (data: Uint8Array): boolean => existsSync(fileEntry(dir, sha256(data)));
    // 5 MiB waiting is under the bound: the call returns while the write is held.
    await cache.storeBytes(sha256(first), first);
    expect(stored(first)).toBe(false);
    // 10 MiB would be over it: the call returns only once one of the two is written.
    let returned = false;
    const storing = cache.storeBytes(sha256(second), second).then(() => (returned = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held).toHaveLength(2);
    expect(returned).toBe(false);
    held[0]!();
    await storing;
    expect(stored(first)).toBe(true);
    held[1]!();
    await cache.flush();
    expect(stored(second)).toBe(true);
  });

  it('many entries (written first here, then on the writer thread): all stored, none read back to be verified', async () => {
    const dir = makeTempDir();
    const cache = HttpCache.open(dir);
    const contents = Array.from({ length: 120 }, (_, i) => `entry ${i}`);
    for (const text of contents) await cache.storeBytes(sha256(text), new TextEncoder().encode(text));
    await cache.flush();
    reads.paths.length = 0;
    for (const text of contents) {
      const found = await cache.findBySha256(sha256(text));
      expect(found === null ? null : readFileSync(found, 'utf8')).toBe(text);
    }
    expect(reads.paths).toEqual([]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('a writer thread that stopped: the entry is written here instead, without a warning', async () => {
    const dir = makeTempDir();
    const warnings: string[] = [];
    const cache = HttpCache.open(dir, { writer: { write: () => Promise.reject(new WriterStopped()) }, warn: (m) => warnings.push(m) });
    const sum = sha256('good bytes');
    await cache.storeBytes(sum, new TextEncoder().encode('good bytes'));
    cache.putPage('https://example.test/simple/stopped/', page('<a>x</a>'));
    await cache.flush();
    expect(readFileSync(fileEntry(dir, sum), 'utf8')).toBe('good bytes');
    expect(new TextDecoder().decode((await cache.getPage('https://example.test/simple/stopped/'))!.body)).toBe('<a>x</a>');
    expect(warnings).toEqual([]);
  });

  it('adopts a staged file under its hash, keeping an existing entry; staged files are names in tmp/, not folders', async () => {
    const dir = makeTempDir();
    const cache = HttpCache.open(dir);
    const first = (await cache.stagingFile())!;
    const second = (await cache.stagingFile())!;
    expect([first.dir, second.dir]).toEqual([join(dir, 'tmp'), join(dir, 'tmp')]);
    expect(first.name).not.toBe(second.name);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    writeFileSync(join(first.dir, first.name), 'payload');
    const sum = sha256('payload');
    const path = await cache.adoptFile(sum, join(first.dir, first.name));
    expect(path).toBe(await cache.findBySha256(sum));
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    writeFileSync(join(second.dir, second.name), 'payload');
    expect(await cache.adoptFile(sum, join(second.dir, second.name))).toBe(path);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('makes three folders, however many entries it writes (a folder is a new inode, as costly as a file)', async () => {
    const dir = makeTempDir();
    const cache = HttpCache.open(dir);
    const sums: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      cache.putPage(`https://example.test/simple/p${i}/`, page(`<a>${i}</a>`));
      sums.push(sha256(`file ${i}`));
      await cache.storeBytes(sums[i]!, new TextEncoder().encode(`file ${i}`));
    }
    await cache.flush();
    const folders = (base: string): string[] => readdirSync(base, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name, ...folders(join(base, e.name)).map((n) => join(e.name, n))] : []));
    expect(folders(dir).sort()).toEqual(['files-v3', 'pages-v3', 'tmp']);
    expect(readdirSync(join(dir, 'files-v3')).sort()).toEqual([...sums].sort());
    expect(readdirSync(join(dir, 'pages-v3'))).toHaveLength(40);
  });

  it('disabled (--no-cache-dir): nothing read, nothing written', async () => {
    const cache = HttpCache.open(null);
    expect(cache.enabled).toBe(false);
    cache.putPage('https://example.test/simple/p/', page('x'));
    cache.storeBytes(sha256('x'), new TextEncoder().encode('x'));
    await cache.flush();
    expect(await cache.getPage('https://example.test/simple/p/')).toBeNull();
    expect(await cache.findBySha256(sha256('x'))).toBeNull();
    expect(await cache.stagingFile()).toBeNull();
  });

  it('stores a copy of a file, never a link: an edit of the source leaves the entry intact', async () => {
    const dir = makeTempDir();
    const source = join(makeTempDir(), 'user.whl');
    writeFileSync(source, 'user file');
    const sum = sha256('user file');
    const cache = HttpCache.open(dir);
    cache.storeFile(sum, source);
    await cache.flush();
    const entry = (await cache.findBySha256(sum))!;
    expect(statSync(entry).ino).not.toBe(statSync(source).ino);
    expect(statSync(source).nlink).toBe(1);
    truncateSync(source, 2);
    expect(await HttpCache.open(dir).findBySha256(sum)).toBe(entry);
    expect(readFileSync(entry, 'utf8')).toBe('user file');
  });

  it('files by sha256: what this process stored is not read and hashed again by a lookup; an entry it did not write is, once', async () => {
    const { dir, sum, entry } = await cacheWithEntry();
    reads.paths.length = 0;
    expect(await HttpCache.open(dir).findBySha256(sum)).toBe(entry);
    expect(reads.paths).toEqual([]);
    // Written again from outside (another process, or a tamperer): read and hashed, once.
    writeFileSync(entry, 'good bytes');
    expect(await HttpCache.open(dir).findBySha256(sum)).toBe(entry);
    expect(await HttpCache.open(dir).findBySha256(sum)).toBe(entry);
    expect(reads.paths).toEqual([entry]);
  });

  it('links a verified entry into a private directory without reading it again; never an entry whose bytes changed', async () => {
    const { dir, cache, sum, entry } = await cacheWithEntry();
    const privateDir = makeTempDir();
    reads.paths.length = 0;
    expect(await cache.linkVerified(sum, join(privateDir, 'a.whl'))).toBe(true);
    expect(statSync(join(privateDir, 'a.whl')).ino).toBe(statSync(entry).ino);
    expect(reads.paths).toEqual([]);
    // Not there, or a disabled cache: nothing to link.
    expect(await cache.linkVerified(sha256('other'), join(privateDir, 'b.whl'))).toBe(false);
    expect(await HttpCache.open(null).linkVerified(sum, join(privateDir, 'c.whl'))).toBe(false);
    // Bytes changed under the cache: hashed again, dropped, not linked.
    rmSync(join(privateDir, 'a.whl'));
    writeFileSync(entry, 'evil bytes');
    expect(await HttpCache.open(dir).linkVerified(sum, join(privateDir, 'd.whl'))).toBe(false);
    expect(readdirSync(privateDir)).toEqual([]);
    expect(existsSync(entry)).toBe(false);
  });

  it('copies a verified entry to a file of its own without reading it again; never an entry whose bytes changed', async () => {
    const { dir, cache, sum, entry } = await cacheWithEntry();
    const out = makeTempDir();
    reads.paths.length = 0;
    expect(await cache.copyVerified(sum, join(out, 'a.whl'))).toBe(true);
    expect(readFileSync(join(out, 'a.whl'), 'utf8')).toBe('good bytes');
    expect(statSync(join(out, 'a.whl')).ino).not.toBe(statSync(entry).ino);
    expect(reads.paths).toEqual([]);
    expect(await cache.copyVerified(sha256('other'), join(out, 'b.whl'))).toBe(false);
    writeFileSync(entry, 'evil bytes');
    expect(await HttpCache.open(dir).copyVerified(sum, join(out, 'c.whl'))).toBe(false);
    expect(readdirSync(out)).toEqual(['a.whl']);
  });

  it('drops an entry whose bytes no longer have its sha256', async () => {
    const { dir, cache, sum } = await cacheWithEntry();
    const entry = (await cache.findBySha256(sum))!;
    writeFileSync(entry, 'other bytes');
    expect(await HttpCache.open(dir).findBySha256(sum)).toBeNull();
    expect(existsSync(entry)).toBe(false);
  });

  it('a cache that cannot be written warns once, then is skipped', async () => {
    const blocker = join(makeTempDir(), 'a-file');
    writeFileSync(blocker, '');
    const dir = join(blocker, 'cache');
    const warnings: string[] = [];
    const cache = HttpCache.open(dir, { warn: (m) => warnings.push(m) });
    cache.storeBytes(sha256('x'), new TextEncoder().encode('x'));
    await cache.flush();
    expect(cache.writable).toBe(false);
    expect(await cache.stagingFile()).toBeNull();
    cache.putPage('https://example.test/simple/p/', page('x'));
    HttpCache.open(dir, { warn: (m) => warnings.push(m) }).storeBytes(sha256('y'), new TextEncoder().encode('y'));
    await cache.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^warning: the cache at ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written \\(ENOTDIR: .*\\); going on without it$`));
  });

  it('a cache removed while safe-pip runs (its directories known to exist) is made again, without a warning', async () => {
    const dir = join(makeTempDir(), 'cache');
    const warnings: string[] = [];
    const cache = HttpCache.open(dir, { warn: (m) => warnings.push(m) });
    cache.putPage('https://example.test/simple/p/', page('first'));
    await cache.flush();
    rmSync(dir, { recursive: true, force: true });
    cache.putPage('https://example.test/simple/p/', page('second'));
    await cache.flush();
    expect(warnings).toEqual([]);
    expect(cache.writable).toBe(true);
    expect(new TextDecoder().decode((await cache.getPage('https://example.test/simple/p/'))!.body)).toBe('second');
  });

  it('removes the temporaries of processes that no longer run, and keeps the others', async () => {
    const dir = makeTempDir();
    const tmp = join(dir, 'tmp');
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync('true').pid!;
    for (const name of [`in-${dead}-0123456789ab`, `in-${process.pid}-0123456789ab`]) mkdirSync(join(tmp, name), { recursive: true });
    writeFileSync(join(tmp, `w-${dead}-0123456789ab`), 'x');
    writeFileSync(join(tmp, 'unrelated'), 'x');
    await HttpCache.open(dir).flush();
    expect(readdirSync(tmp).sort()).toEqual([`in-${process.pid}-0123456789ab`, 'unrelated']);
  });
});
