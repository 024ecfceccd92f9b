// The cache's writes on a worker thread (issue 12). Written with fs promises, each cache entry (a
// temporary file in `tmp/`, renamed into place) is a chain of round trips through libuv's pool
// (mkdir, open, write, close, rename, stat), and the main thread pays for each: about 130 ms of
// a 100-package install's analysis, the largest single cost left in it. The worker makes the same
// calls synchronously, on its own thread; the main thread only posts the bytes (a copy, moved
// there and back).
// Entries are written in the order they are posted. A write that fails rejects with the error the
// call gave (its message and code), as the promise version would. Where no worker can be started
// (startCacheWriter returns null), or once it has stopped (WriterStopped), http-cache.ts writes
// with fs promises on the main thread.
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { defaultV8OptionsUntil } from '../v8-options.js';

// Run with `eval`, so nothing has to be found on disk, in the bundle or out of it; as a script or
// as a module (a parent started with --input-type=module hands that on), hence no require. Its
// built-ins come from process.getBuiltinModule (Node 20.16+, 22.3+), else import(), which loads
// Node's ES module loader first (~10 more built-ins to compile). It says it is ready once they are
// loaded (startCacheWriter). Messages wait in the port until the listener is there. On ENOENT
// (the cache removed while safe-pip runs) the folders are made again, once.
const WORKER_SOURCE = `
const run = ({ parentPort }, fs, path) => {
  parentPort.postMessage({ ready: true });
  const known = new Set();
  // The bytes go back with the answer: the main thread, which collects garbage all the time, frees
  // them; this thread makes almost none, and would hold each file it wrote until it ran out.
  const giveBack = (job) => (typeof job.data === 'string' ? [] : [job.data.buffer]);
  const ensure = (dir) => {
    if (known.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    known.add(dir);
  };
  const attempt = (job) => {
    ensure(path.dirname(job.tmp));
    fs.writeFileSync(job.tmp, job.data);
    ensure(path.dirname(job.path));
    fs.renameSync(job.tmp, job.path);
  };
  parentPort.on('message', (job) => {
    try {
      try {
        attempt(job);
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
        known.clear();
        attempt(job);
      }
      const s = fs.statSync(job.path);
      parentPort.postMessage({ id: job.id, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs }, giveBack(job));
    } catch (e) {
      try { fs.rmSync(job.tmp, { force: true }); } catch {}
      parentPort.postMessage({ id: job.id, error: { message: String(e && e.message), code: e && e.code } }, giveBack(job));
    }
  });
};
const names = ['node:worker_threads', 'node:fs', 'node:path'];
if (typeof process.getBuiltinModule === 'function') run(...names.map((name) => process.getBuiltinModule(name)));
else Promise.all(names.map((name) => import(name))).then((modules) => run(...modules));
`;

interface Reply {
  ready?: true;
  id: number;
  ino?: number;
  size?: number;
  mtimeMs?: number;
  error?: { message: string; code?: string };
}

/** What the written entry looked like (the verified-file identity of http-cache.ts). */
export interface WrittenEntry {
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface CacheWriter {
  /** Writes `data` to `tmp`, then renames it to `path`, making the folders of both as needed. */
  write(tmp: string, path: string, data: Uint8Array | string): Promise<WrittenEntry>;
}

/** The worker stopped (it failed to start, or died): the write was not made, and may be made another way. */
export class WriterStopped extends Error {
  constructor(cause?: unknown) {
    super('the cache writer stopped', { cause });
  }
}

let writer: CacheWriter | null | undefined;

/** The process's cache writer, started on first use; null where a worker cannot be started. */
export function startCacheWriter(): CacheWriter | null {
  if (writer !== undefined) return writer;
  let worker: Worker;
  let restoreOptions = (): void => {};
  try {
    // V8's default options while this thread loads node:worker_threads and the worker loads its
    // built-ins, until it says it is ready: both then come from Node's code cache. Under other
    // options, V8 refuses that cache, and Node replaces the entry of what it compiled with code
    // made under those options, which a thread later started under the defaults refuses in turn.
    // (Of a cold jupyter fetch on Node 20, the worker spent ~45 ms of CPU compiling ~100 of them.)
    restoreOptions = defaultV8OptionsUntil();
    // Loaded here, not at start-up: most runs never start the writer (2.5 ms of a start on Node
    // 20). process.getBuiltinModule is Node 20.16+ and 22.3+.
    const threads: typeof import('node:worker_threads') =
      typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:worker_threads') : (createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads'));
    const WorkerThread = threads.Worker;
    worker = new WorkerThread(WORKER_SOURCE, { eval: true, stdout: true, stderr: true });
  } catch {
    restoreOptions();
    writer = null;
    return writer;
  }
  const waiting = new Map<number, { resolve: (entry: WrittenEntry) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const settleAll = (error: Error): void => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: Reply) => {
    if (reply.ready === true) {
      restoreOptions();
      return;
    }
    const job = waiting.get(reply.id);
    if (job === undefined) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if (reply.error !== undefined) job.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    else job.resolve({ ino: reply.ino!, size: reply.size!, mtimeMs: reply.mtimeMs! });
  });
  // A worker that stopped takes no more writes: they go the fs-promises way (writer null).
  const stop = (error: Error): void => {
    restoreOptions();
    writer = null;
    settleAll(error);
  };
  worker.on('error', (error) => stop(new WriterStopped(error)));
  worker.on('exit', () => stop(new WriterStopped()));
  // Referenced only while a write is under way, so an idle worker never keeps the process alive.
  // After the listeners: adding a 'message' listener references the worker again.
  worker.unref();
  const self: CacheWriter = {
    write(tmp, path, data) {
      return new Promise((resolve, reject) => {
        if (writer !== self) {
          reject(new WriterStopped());
          return;
        }
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        // A copy of its own, moved to the worker: `data` may be a view of a larger buffer that
        // its owner goes on using (Node's pool of small Buffers).
        const bytes = typeof data === 'string' ? data : new Uint8Array(data);
        worker.postMessage({ id, tmp, path, data: bytes }, typeof bytes === 'string' ? [] : [bytes.buffer]);
      });
    },
  };
  writer = self;
  return writer;
}
