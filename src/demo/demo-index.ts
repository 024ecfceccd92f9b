// The demo's package index: node:http on 127.0.0.1, a random port, serving one project in the
// simple repository API (https://packaging.python.org/en/latest/specifications/simple-repository-api/):
// PEP 503 HTML, or PEP 691 JSON when the client asks for it, with the file's sha256. Everything
// else is 404. `close()` also ends kept-alive connections, so nothing outlives the demo.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CanarySdist } from './canary-sdist.js';
import { projectPageHtml } from '../standards/simple-api/html-write.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

export interface DemoIndex {
  /** `http://127.0.0.1:PORT/simple/` */
  url: string;
  port: number;
  /** Request paths served so far (method and path), for the report and tests. */
  requests: string[];
  close(): Promise<void>;
}

function wantsJson(request: IncomingMessage): boolean {
  const accept = request.headers.accept ?? '';
  // A client listing JSON before HTML (or only JSON) gets JSON, as PyPI does for pip's header.
  const json = accept.indexOf(JSON_TYPE);
  const html = accept.indexOf('text/html');
  return json >= 0 && (html < 0 || json < html);
}

export async function startDemoIndex(project: string, sdist: CanarySdist): Promise<DemoIndex> {
  const requests: string[] = [];
  const projectPath = `/simple/${project}/`;
  const filePath = `${projectPath}${sdist.filename}`;
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(`${request.method ?? 'GET'} ${path}`);
    const send = (status: number, type: string, body: string | Buffer): void => {
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    const json = wantsJson(request);
    if (path === '/simple/' || path === '/simple') {
      if (json) return send(200, JSON_TYPE, JSON.stringify({ meta: { 'api-version': '1.0' }, projects: [{ name: project }] }));
      return send(200, 'text/html', `<!DOCTYPE html><html><body><a href="${project}/">${project}</a></body></html>\n`);
    }
    if (path === projectPath || path === projectPath.slice(0, -1)) {
      if (json) {
        const files = [{ filename: sdist.filename, url: filePath, hashes: { sha256: sdist.sha256 } }];
        return send(200, JSON_TYPE, JSON.stringify({ meta: { 'api-version': '1.0' }, name: project, files }));
      }
      return send(200, 'text/html', projectPageHtml([{ href: `${filePath}#sha256=${sdist.sha256}`, text: sdist.filename }]));
    }
    if (path === filePath) return send(200, 'application/octet-stream', sdist.data);
    return send(404, 'text/plain', 'not found\n');
  };
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    port,
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
