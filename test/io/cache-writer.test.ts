// The cache's writer thread (src/io/cache-writer.ts): an entry is written to its temporary name and
// renamed into place, folders made as needed (again after the cache was removed under it), in the
// order the writes were posted; the caller's bytes stay the caller's; a write that fails rejects
// with the call's own error and leaves no temporary file; and the thread never keeps a finished
// process alive.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCacheWriter } from '../../src/io/cache-writer.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const BUILT_WRITER = new URL('../../dist/io/cache-writer.js', import.meta.url).pathname;

describe('cache writer', () => {
  it('writes through the temporary name, makes the folders, and reports the entry as written', async () => {
    const writer = startCacheWriter()!;
    expect(writer).not.toBeNull();
    const dir = makeTempDir();
    const path = join(dir, 'files', 'ab', 'cdef');
    // The bytes stay the caller's: an array of its own, and a small Buffer (a view of Node's pool).
    const data = new TextEncoder().encode('bytes');
    const written = await writer.write(join(dir, 'tmp', 'w-1'), path, data);
    expect(readFileSync(path, 'utf8')).toBe('bytes');
    expect(new TextDecoder().decode(data)).toBe('bytes');
    const pooled = Buffer.from('pooled');
    await writer.write(join(dir, 'tmp', 'w-0'), join(dir, 'pooled'), pooled);
    expect(pooled.toString()).toBe('pooled');
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    const s = statSync(path);
    expect(written).toEqual({ ino: s.ino, size: s.size, mtimeMs: s.mtimeMs });
    // The cache removed under a running writer: its folders are made again.
    rmSync(dir, { recursive: true });
    await writer.write(join(dir, 'tmp', 'w-2'), path, 'again');
    expect(readFileSync(path, 'utf8')).toBe('again');
  });

  it('keeps the order of the writes to one path: the last posted wins', async () => {
    const writer = startCacheWriter()!;
    const dir = makeTempDir();
    const path = join(dir, 'entry');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write(join(dir, `w-${i}`), path, `version ${i}`)));
    expect(readFileSync(path, 'utf8')).toBe('version 19');
  });

  it('a write that fails rejects with the error and code of the call, and leaves nothing', async () => {
    const writer = startCacheWriter()!;
    const dir = makeTempDir();
    writeFileSync(join(dir, 'a-file'), '');
    const error = await writer.write(join(dir, 'w-1'), join(dir, 'a-file', 'entry'), 'x').then(
      () => new Error('written where a file is') as NodeJS.ErrnoException,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    // What Node itself says when asked for that folder.
    const expected = ((): NodeJS.ErrnoException => {
      try {
        mkdirSync(join(dir, 'a-file'), { recursive: true });
      } catch (e) {
        return e as NodeJS.ErrnoException;
      }
      throw new Error('a folder was made where a file is');
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(expected.code);
    expect(error.message).toBe(expected.message);
    expect(readdirSync(dir)).toEqual(['a-file']);
    // The writer goes on after a failure.
    await writer.write(join(dir, 'w-2'), join(dir, 'entry'), 'y');
    expect(existsSync(join(dir, 'entry'))).toBe(true);
  });

  it('keeps a process alive while a write is under way, and not once the writer is idle', async () => {
    const dir = makeTempDir();
    // The temporary name is a pipe: the write waits there until this test reads it.
    const pipe = join(dir, 'w-1');
    execFileSync('mkfifo', [pipe]);
    // A first write that ends at once, so that the one held is made by a writer that was idle.
    const script = `import { startCacheWriter } from ${JSON.stringify(BUILT_WRITER)};
const writer = startCacheWriter();
await writer.write(${JSON.stringify(join(dir, 'w-0'))}, ${JSON.stringify(join(dir, 'first'))}, 'a');
writer.write(${JSON.stringify(pipe)}, ${JSON.stringify(join(dir, 'entry'))}, 'x').then(() => console.log('written'));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(child.exitCode).toBeNull();
    expect(readFileSync(pipe, 'utf8')).toBe('x');
    // Written: the process ends by itself (an idle writer would otherwise hold it forever).
    expect(await exited).toBe(0);
    expect(out).toBe('written\n');
  });

  it('node:worker_threads is loaded when the writer starts, not with the module (a run that writes little never loads it); a writer that never wrote keeps nothing alive', () => {
    const script = `import { startCacheWriter } from ${JSON.stringify(BUILT_WRITER)};
const loaded = () => process.moduleLoadList.includes('NativeModule worker_threads');
const before = loaded();
startCacheWriter();
console.log(before, loaded());`;
    // The timeout only ends a process the writer would keep alive for ever (the test then fails).
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })).toBe('false true\n');
  });
});
