// Requirements files that include themselves: directly, through another file, as a constraints
// file, as a remote URL, and a remote chain of ever-new URLs (each file names the next). pip
// 23.2.1 dies with a RecursionError traceback on the first kinds; safe-pip must stop each one,
// in bounded time and requests, with a message naming the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWheel } from '../helpers/wheel-builder.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { BUG_REMOTE_REQFILE_STATUS_AND_DEPTH, BUG_REQFILE_ERROR_EXITS_70, expectCleanFailure, expectFailureAsBug, expectDestination, makeSandbox, safePipDownload, safePipFetch, type Sandbox } from './harness.js';
import { serveProject, startHostileServer, type HostileServer } from './hostile-server.js';

let server: HostileServer;
let wheel: BuiltDistribution;

beforeAll(async () => {
  server = await startHostileServer();
  wheel = await buildWheel({ name: 'innocent', version: '1.0' });
  serveProject(server, 'innocent', [{ filename: wheel.filename, data: wheel.data }]);
  server.route('/reqs/self.txt', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('innocent\n-r self.txt\n'));
  // Each file names a new one: only a depth (or count) limit can end this. The server gives up
  // after 2000 so the test stays bounded whatever the client does.
  server.route(/^\/reqs\/chain-\d+\.txt$/, (req, res) => {
    const n = Number(/chain-(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    if (n >= 2000) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`innocent\n-r chain-${n + 1}.txt\n`);
  });
}, 60_000);
afterAll(async () => server?.close());

interface FileCase {
  label: string;
  /** Files to write into the working directory. */
  files: Record<string, string>;
  /** The requirements argument(s). */
  args: (s: Sandbox) => string[];
  mentions: ReadonlyArray<string | RegExp>;
  /** The known bug this case runs into (see harness.ts), if any. */
  bug?: boolean;
}

const CASES: FileCase[] = [
  { label: 'a file that names itself with -r', files: { 'req.txt': 'innocent\n-r req.txt\n' }, args: () => ['-r', 'req.txt'], mentions: [/req\.txt/], bug: BUG_REQFILE_ERROR_EXITS_70 },
  { label: 'two files that name each other', files: { 'a.txt': '-r b.txt\ninnocent\n', 'b.txt': '-r a.txt\n' }, args: () => ['-r', 'a.txt'], mentions: [/[ab]\.txt/], bug: BUG_REQFILE_ERROR_EXITS_70 },
  { label: 'a file that names itself with -c', files: { 'c.txt': 'innocent\n-c c.txt\n' }, args: () => ['-r', 'c.txt'], mentions: [/c\.txt/], bug: BUG_REQFILE_ERROR_EXITS_70 },
  { label: 'a file that names itself by another spelling', files: { 'd.txt': 'innocent\n-r ./sub/../d.txt\n', 'sub/.keep': '' }, args: () => ['-r', 'd.txt'], mentions: [/d\.txt/], bug: BUG_REQFILE_ERROR_EXITS_70 },
  { label: 'a remote file that names itself', files: {}, args: () => ['-r', `${server.url}/reqs/self.txt`], mentions: [/self\.txt/], bug: BUG_REQFILE_ERROR_EXITS_70 },
  { label: 'a remote chain of ever-new files', files: {}, args: () => ['-r', `${server.url}/reqs/chain-0.txt`], mentions: [/chain-\d+\.txt/], bug: BUG_REMOTE_REQFILE_STATUS_AND_DEPTH },
];

function prepare(c: FileCase): Sandbox {
  const s = makeSandbox();
  for (const [name, text] of Object.entries(c.files)) {
    mkdirSync(join(s.cwd, name, '..'), { recursive: true });
    writeFileSync(join(s.cwd, name), text);
  }
  s.before = [...s.before, ...Object.keys(c.files).map((n) => `work/project/${n}`), ...(c.files['sub/.keep'] === undefined ? [] : ['work/project/sub'])].sort();
  return s;
}

describe.each(CASES)('$label', (c) => {
  const asBug = (f: () => Promise<void>): Promise<void> => (c.bug === true ? expectFailureAsBug(f) : f());

  it('safe-pip fetch stops with a clear error naming the file', async () => {
    await asBug(async () => {
      const s = prepare(c);
      const before = server.requests.length;
      const result = await safePipFetch(s, ['-i', `${server.url}/simple/`, ...c.args(s)]);
      expect(server.requests.length - before).toBeLessThan(1000);
      expectCleanFailure(result, c.mentions);
      expectDestination(s, {});
    });
  }, 120_000);

  it('pip download through safe-pip stops the same way (pip alone would die of a RecursionError)', async () => {
    await asBug(async () => {
      const s = prepare(c);
      const before = server.requests.length;
      const result = await safePipDownload(s, ['-i', `${server.url}/simple/`, ...c.args(s)]);
      expect(server.requests.length - before).toBeLessThan(1000);
      expectCleanFailure(result, c.mentions);
      expectDestination(s, {});
    });
  }, 120_000);
});
