// A loopback copy of a real wheel mirror (issue 12 §2): the directory tree of a PEP 503 mirror on
// this machine (`simple/<project>/index.html`, files linked relative to it, here under `files/`),
// served as it lies, the way `python3 -m http.server` would serve it: HTML pages only, no PEP 658
// metadata files, no JSON, Range ignored (every file whole), Last-Modified and If-Modified-Since. Pages and files are read from disk
// per request (the mirror holds gigabytes); requests are counted by kind, like index-server.mjs.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';

/** The mirror on this machine the bench uses by default: the one pip is configured with here. */
export const DEFAULT_MIRROR = '/opt/pypi';

/** Whether `dir` looks like such a mirror (a `simple/` folder of project pages). */
export function isMirror(dir) {
  return existsSync(join(dir, 'simple')) && statSync(join(dir, 'simple')).isDirectory();
}

export async function startMirrorServer(dir) {
  const root = normalize(dir);
  let counts = null;
  const reset = () => {
    counts = { requests: 0, pages: 0, pagesJson: 0, pagesNotModified: 0, metadata: 0, ranges: 0, heads: 0, files: 0, notFound: 0, bytes: 0 };
  };
  reset();
  const server = createServer((req, res) => {
    counts.requests += 1;
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) file = null;
    else if (path.endsWith('/')) file = join(file, 'index.html');
    let size = -1;
    let modified = null;
    try {
      const s = file === null ? null : statSync(file);
      if (s?.isFile()) {
        size = s.size;
        modified = new Date(Math.floor(s.mtimeMs / 1000) * 1000);
      }
    } catch {
      size = -1;
    }
    if (size < 0) {
      counts.notFound += 1;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const page = file.endsWith('.html');
    // As http.server: Last-Modified, and 304 for an If-Modified-Since not older than the file.
    const since = Date.parse(req.headers['if-modified-since'] ?? '');
    if (!Number.isNaN(since) && since >= modified.getTime()) {
      if (page) counts.pagesNotModified += 1;
      res.writeHead(304, { 'Last-Modified': modified.toUTCString() }).end();
      return;
    }
    if (page) counts.pages += 1;
    else counts.files += 1;
    if (req.method === 'HEAD') counts.heads += 1;
    counts.bytes += size;
    res.writeHead(200, { 'Content-Type': page ? 'text/html; charset=utf-8' : 'application/octet-stream', 'Content-Length': size, 'Last-Modified': modified.toUTCString() });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    indexUrl: `http://127.0.0.1:${port}/simple/`,
    mode: 'mirror',
    takeCounts() {
      const taken = counts;
      reset();
      return taken;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
