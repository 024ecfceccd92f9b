// Test harness for the requirements-file oracle: materializes corpus cases in a temp directory, serves it on
// loopback, runs pip's own parser (reqfile_oracle.py) under a given Python, and reads files the way the real
// pip would (for safe-pip's parser).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { RequirementsFileContent } from '../../../src/standards/requirements-file.js';
import type { ReqFileCase } from './corpus.js';

export const ORACLE_SCRIPT = fileURLToPath(new URL('./reqfile_oracle.py', import.meta.url));

export const PYTHONS = {
  '23.2.1': 'python3',
  '24.2': '/root/.pyenv/versions/3.13.0/bin/python3',
  '23.0.1': '/usr/bin/python3',
} as const;

export interface MaterializedCase {
  source: ReqFileCase;
  dir: string;
  root: string;
  env: Record<string, string>;
}

export function materialize(cases: ReqFileCase[], base: string, httpBase: string | null, prefix: string): MaterializedCase[] {
  return cases.map((c, i) => {
    const name = `${prefix}${i}`;
    const dir = join(base, name);
    const fill = (text: string): string =>
      text.replaceAll('{{DIR}}', dir).replaceAll('{{HTTP}}', httpBase === null ? 'http://127.0.0.1:9' : `${httpBase}/${name}`);
    mkdirSync(dir, { recursive: true });
    for (const d of c.dirs ?? []) mkdirSync(join(dir, d), { recursive: true });
    for (const [path, content] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), typeof content === 'string' ? fill(content) : content);
    }
    return { source: c, dir, root: fill(c.root), env: c.env ?? {} };
  });
}

/** A loopback server for `base`: text/plain for every file, 404 otherwise. */
export async function serveDirectory(base: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = resolve(base, `.${decodeURIComponent((req.url ?? '/').split('?')[0]!)}`);
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export interface OracleResult {
  pip: string;
  error: { type: string; message: string } | null;
  requirements: Array<{
    requirement: string;
    is_editable: boolean;
    comes_from: string;
    constraint: boolean;
    options: Record<string, unknown> | null;
    line_source: string | null;
  }>;
  finder: {
    index_urls: string[];
    find_links: string[];
    no_index: boolean;
    no_binary: string[];
    only_binary: string[];
    prefer_binary: boolean;
    allow_all_prereleases: boolean;
  };
  options: { require_hashes: boolean; features_enabled: string[] };
  trusted: string[];
  lines: Array<{ filename: string; lineno: number; requirement: string | null; constraint: boolean; opts: Record<string, unknown> }>;
  warnings: string[];
}

export async function runOracle(python: string, cases: MaterializedCase[]): Promise<OracleResult[]> {
  const input = JSON.stringify(cases.map((c) => ({ dir: c.dir, root: c.root, constraint: c.source.constraint ?? false, env: c.env })));
  const env: Record<string, string | undefined> = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', NO_PROXY: '*', no_proxy: '*' };
  for (const key of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'all_proxy']) delete env[key];
  const result = await execa(python, [ORACLE_SCRIPT], { input, env, extendEnv: false });
  return JSON.parse(result.stdout) as OracleResult[];
}

/** Reads like pip: paths relative to the case directory, file: URLs from disk, http(s) over loopback. */
export function pipLikeReader(cwd: string): (location: string, kind: 'path' | 'url') => Promise<RequirementsFileContent> {
  return async (location, kind) => {
    if (kind === 'path') {
      const path = resolve(cwd, location);
      try {
        return { bytes: readFileSync(path), finalLocation: location };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const errno = code === 'ENOENT' ? '[Errno 2] No such file or directory' : code === 'EISDIR' ? '[Errno 21] Is a directory' : String(code);
        throw new Error(`${errno}: '${location}'`);
      }
    }
    if (location.toLowerCase().startsWith('file:')) {
      const path = decodeURIComponent(location.replace(/^file:(\/\/)?/i, ''));
      return { bytes: readFileSync(path), finalLocation: location, contentType: 'text/plain' };
    }
    const response = await fetch(location);
    if (!response.ok) {
      throw new Error(`${response.status} Client Error: ${response.statusText} for url: ${location}`);
    }
    return {
      bytes: new Uint8Array(await response.arrayBuffer()),
      finalLocation: response.url,
      contentType: response.headers.get('content-type'),
    };
  };
}
