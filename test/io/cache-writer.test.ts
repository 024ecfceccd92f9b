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
import { launcherNodeFlags } from '../launcher/harness.js';

const BUILT_WRITER = new URL('../../dist/io/cache-writer.js', import.meta.url).pathname;
const BUILT_V8_OPTIONS = new URL('../../dist/v8-options.js', import.meta.url).pathname;

/**
 * A preload (--require, with --expose-internals: Node's own test binding) that records which
 * built-ins a thread compiled from Node's code cache and which from source: a worker as it posts
 * its first message (into `<dir>/worker.json`), the main thread as it exits (`main.json`).
 */
function builtinUsageRecorder(dir: string): string {
  const preload = join(dir, 'usage.cjs');
  writeFileSync(preload, [
    "const { internalBinding } = require('internal/test/binding');",
    "const record = (name) => { const u = internalBinding('builtins').getCacheUsage();",
    `  require('node:fs').writeFileSync(require('node:path').join(${JSON.stringify(dir)}, name), JSON.stringify({ cached: [...u.compiledWithCache], compiled: [...u.compiledWithoutCache] })); };`,
    "if (internalBinding('worker').isMainThread) process.on('exit', () => record('main.json'));",
    'else {',
    "  const { parentPort } = require('node:worker_threads');",
    '  const post = parentPort.postMessage;',
    "  parentPort.postMessage = function (...args) { parentPort.postMessage = post; record('worker.json'); return post.apply(this, args); };",
    '}',
  ].join('\n'));
  return preload;
}

function usage(dir: string, name: string): { cached: string[]; compiled: string[] } {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as { cached: string[]; compiled: string[] };
}

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

  it("the thread loads Node's built-ins from Node's code cache, though safe-pip runs under V8 options of its own (src/v8-options.ts)", () => {
    // Built-ins only a worker loads, and the one the main thread loads to start it.
    const workerOnly = ['internal/main/worker_thread', 'internal/bootstrap/switches/is_not_main_thread'];
    const options = [...launcherNodeFlags(), '--expose-internals', '--no-warnings', '--input-type=module'];
    // The price of those options: a worker started under them compiles its built-ins from source.
    const plain = makeTempDir();
    const worker = "new Worker(\"process.getBuiltinModule('node:worker_threads').parentPort.postMessage(1)\", { eval: true }).once('message', function () { this.terminate(); });";
    execFileSync(process.execPath, [...options, '--require', builtinUsageRecorder(plain), '-e', `import { Worker } from 'node:worker_threads'; ${worker}`]);
    expect(usage(plain, 'worker.json').compiled).toEqual(expect.arrayContaining(workerOnly));
    // The writer's: with the options dist/main.cjs sets (and the interrupt budget, on Node 20).
    const dir = makeTempDir();
    const script = `import { applyV8Options } from ${JSON.stringify(BUILT_V8_OPTIONS)};
import { startCacheWriter } from ${JSON.stringify(BUILT_WRITER)};
applyV8Options('fetch');
await startCacheWriter().write(${JSON.stringify(join(dir, 'tmp', 'w-0'))}, ${JSON.stringify(join(dir, 'entry'))}, 'x');`;
    execFileSync(process.execPath, [...options, '--require', builtinUsageRecorder(dir), '-e', script]);
    expect(readFileSync(join(dir, 'entry'), 'utf8')).toBe('x');
    const writers = usage(dir, 'worker.json');
    expect(writers.cached).toEqual(expect.arrayContaining(workerOnly));
    expect(writers.compiled.filter((m) => workerOnly.includes(m))).toEqual([]);
    expect(usage(dir, 'main.json').cached).toContain('worker_threads');
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
