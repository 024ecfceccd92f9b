// A loopback simple-repository API for the benchmarks:
// https://packaging.python.org/en/latest/specifications/simple-repository-api/
// PEP 503 HTML pages, PEP 691 JSON pages chosen by the Accept header (as PyPI does), and two modes:
//   `rich`  — PEP 658/714 metadata files (`data-core-metadata` and `data-dist-info-metadata`
//             attributes, `core-metadata`/`dist-info-metadata` keys in JSON, `<file>.metadata`
//             URLs) and single HTTP range requests on files (`Accept-Ranges: bytes`, 206);
//   `plain` — neither: no metadata files, Range ignored (always 200 with the whole file).
// Pages carry `Cache-Control: max-age=600` and an ETag (If-None-Match answers 304); files and
// metadata are immutable. Every body is rendered once up front so serving costs little CPU in
// the benchmark process. Requests are counted by kind so a run can say where its time went.
// `latencyMs` holds every answer back that long, as a distant index would (loopback answers in
// well under a millisecond, which hides how many round trips one after another a tool makes).
// Not here: authentication, TLS, redirects, faults (the hostile suite in test/hostile/ has those).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const etagOf = (body) => `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;

/** Picks JSON when the client ranks it at least as high as HTML (q-values), like PyPI. */
function wantsJson(accept) {
  if (!accept) return false;
  let json = -1;
  let html = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().split(';').map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (type === JSON_TYPE) json = Math.max(json, q);
    else if (type === 'application/vnd.pypi.simple.v1+html' || type === 'text/html') html = Math.max(html, q);
    else if (type === '*/*') html = Math.max(html, q);
  }
  return json > 0 && json >= html;
}

function renderPages(closure, mode) {
  const rich = mode === 'rich';
  const pages = new Map(); // normalized name -> { html, json }
  const files = new Map(); // filename -> { data, metadata }
  for (const [key, project] of closure.projects) {
    const links = [];
    const jsonFiles = [];
    for (const f of project.files) {
      files.set(f.filename, f);
      const attrs = [`href="/files/${f.filename}#sha256=${f.sha256}"`, `data-requires-python="${escapeHtml(f.requiresPython)}"`];
      if (rich) attrs.push(`data-core-metadata="sha256=${f.metadataSha256}"`, `data-dist-info-metadata="sha256=${f.metadataSha256}"`);
      if (f.yanked !== null) attrs.push(`data-yanked="${escapeHtml(f.yanked)}"`);
      links.push(`    <a ${attrs.join(' ')}>${f.filename}</a><br/>`);
      const entry = { filename: f.filename, url: `/files/${f.filename}`, hashes: { sha256: f.sha256 }, 'requires-python': f.requiresPython, size: f.data.length, yanked: f.yanked ?? false };
      if (rich) {
        entry['core-metadata'] = { sha256: f.metadataSha256 };
        entry['dist-info-metadata'] = { sha256: f.metadataSha256 };
      }
      jsonFiles.push(entry);
    }
    const html = Buffer.from(
      `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.1">\n    <title>Links for ${escapeHtml(key)}</title>\n  </head>\n  <body>\n    <h1>Links for ${escapeHtml(key)}</h1>\n${links.join('\n')}\n  </body>\n</html>\n`,
    );
    const versions = [...new Set(project.files.map((f) => f.version))];
    const json = Buffer.from(JSON.stringify({ meta: { 'api-version': '1.1' }, name: key, versions, files: jsonFiles }));
    pages.set(key, { html: { body: html, etag: etagOf(html) }, json: { body: json, etag: etagOf(json) } });
  }
  const rootLinks = [...closure.projects.keys()].map((k) => `    <a href="/simple/${k}/">${k}</a>`);
  const rootHtml = Buffer.from(`<!DOCTYPE html>\n<html>\n  <body>\n${rootLinks.join('\n')}\n  </body>\n</html>\n`);
  const rootJson = Buffer.from(JSON.stringify({ meta: { 'api-version': '1.1' }, projects: [...closure.projects.keys()].map((name) => ({ name })) }));
  return { pages, files, root: { html: { body: rootHtml, etag: etagOf(rootHtml) }, json: { body: rootJson, etag: etagOf(rootJson) } } };
}

const emptyCounts = () => ({ requests: 0, pages: 0, pagesJson: 0, pagesNotModified: 0, metadata: 0, files: 0, ranges: 0, heads: 0, notFound: 0, bytes: 0 });

/**
 * Starts the server on 127.0.0.1 with an ephemeral port.
 * @param {Awaited<ReturnType<typeof import('./wheel-closure.mjs').generateClosure>>} closure
 * @param {'rich' | 'plain'} mode
 * @param {{ latencyMs?: number }} [options]
 */
export async function startIndexServer(closure, mode, { latencyMs = 0 } = {}) {
  const rich = mode === 'rich';
  const { pages, files, root } = renderPages(closure, mode);
  let counts = emptyCounts();
  const notFound = new Set();

  const sendBody = (req, res, status, headers, body) => {
    res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    counts.bytes += body.length;
    res.end(body);
  };

  const servePage = (req, res, page) => {
    const form = wantsJson(req.headers.accept) ? page.json : page.html;
    const headers = { 'Content-Type': form === page.json ? JSON_TYPE : HTML_TYPE, 'Cache-Control': 'max-age=600, public', ETag: form.etag, Vary: 'Accept' };
    if (req.headers['if-none-match'] === form.etag) {
      counts.pagesNotModified += 1;
      res.writeHead(304, headers);
      res.end();
      return;
    }
    counts.pages += 1;
    if (form === page.json) counts.pagesJson += 1;
    sendBody(req, res, 200, headers, form.body);
  };

  const serveFile = (req, res, data) => {
    const headers = { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'max-age=31536000, immutable, public', ETag: etagOf(data.subarray(0, 64)) };
    if (rich) headers['Accept-Ranges'] = 'bytes';
    if (req.method === 'HEAD') counts.heads += 1;
    const range = rich ? /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '') : null;
    if (range !== null && (range[1] !== '' || range[2] !== '')) {
      const size = data.length;
      let start;
      let end;
      if (range[1] === '') {
        start = Math.max(0, size - Number(range[2]));
        end = size - 1;
      } else {
        start = Number(range[1]);
        end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
      }
      if (start >= size || end < start) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      if (req.method !== 'HEAD') counts.ranges += 1;
      sendBody(req, res, 206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` }, data.subarray(start, end + 1));
      return;
    }
    if (req.method !== 'HEAD') counts.files += 1;
    sendBody(req, res, 200, headers, data);
  };

  const answer = (req, res) => {
    counts.requests += 1;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (path === '/simple/' || path === '/simple') {
      servePage(req, res, root);
      return;
    }
    let m = /^\/simple\/([^/]+)\/?$/.exec(path);
    if (m !== null) {
      const key = m[1].toLowerCase().replace(/[-_.]+/g, '-');
      const page = pages.get(key);
      if (page !== undefined && (key !== m[1] || !path.endsWith('/'))) {
        res.writeHead(301, { Location: `/simple/${key}/` });
        res.end();
        return;
      }
      if (page !== undefined) {
        servePage(req, res, page);
        return;
      }
    }
    m = /^\/files\/([^/]+)$/.exec(path);
    if (m !== null) {
      const name = m[1];
      if (rich && name.endsWith('.metadata')) {
        const file = files.get(name.slice(0, -'.metadata'.length));
        if (file !== undefined) {
          counts.metadata += 1;
          sendBody(req, res, 200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'max-age=31536000, immutable, public' }, file.metadata);
          return;
        }
      }
      const file = files.get(name);
      if (file !== undefined) {
        serveFile(req, res, file.data);
        return;
      }
    }
    counts.notFound += 1;
    notFound.add(path);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  };
  const server = createServer(latencyMs > 0 ? (req, res) => setTimeout(answer, latencyMs, req, res) : answer);
  // pip and safe-pip both keep connections alive; no artificial limits.
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    indexUrl: `${url}/simple/`,
    mode,
    latencyMs,
    /** Returns the counts since the last call and starts counting afresh. */
    takeCounts() {
      const taken = { ...counts, notFoundPaths: [...notFound].slice(0, 5) };
      counts = emptyCounts();
      notFound.clear();
      return taken;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
