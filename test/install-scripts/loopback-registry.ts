// A throw-away npm registry on loopback that serves safe-pip's runtime dependencies from the
// checkout's own node_modules (the versions package-lock.json names), so a test can install the
// packed tarball the way a user would — dependencies resolved from a registry — with npm never
// leaving 127.0.0.1. Packuments carry no integrity, so npm computes it from what it receives.
import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { REPO_ROOT } from '../setup/shell-harness.js';

interface Served {
  name: string;
  version: string;
  dir: string;
  manifest: Record<string, unknown>;
}

function runtimePackages(): Served[] {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
  const out: Served[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    const dir = join(REPO_ROOT, path);
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // an optional dependency for another platform
    }
    out.push({ name: manifest.name as string, version: manifest.version as string, dir, manifest });
  }
  return out;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function tarball(served: Served, res: NodeJS.WritableStream): void {
  const archive = pack();
  archive.pipe(createGzip()).pipe(res);
  for (const file of filesUnder(served.dir)) {
    archive.entry({ name: `package/${relative(served.dir, file)}`, mode: statSync(file).mode & 0o777 }, readFileSync(file));
  }
  archive.finalize();
}

export async function startLoopbackRegistry(): Promise<{ url: string; close(): Promise<void> }> {
  const packages = runtimePackages();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    const file = /^(.+)\/-\/(.+)-(\d[^/]*)\.tgz$/.exec(path);
    if (file !== null) {
      const served = packages.find((p) => p.name === file[1] && p.version === file[3]);
      if (served === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      tarball(served, res);
      return;
    }
    const versions = packages.filter((p) => p.name === path);
    if (versions.length === 0) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const basename = path.split('/').pop();
    const packument = {
      name: path,
      'dist-tags': { latest: versions[0]!.version },
      versions: Object.fromEntries(
        versions.map((p) => [p.version, { ...p.manifest, dist: { tarball: `${base}${path}/-/${basename}-${p.version}.tgz` } }]),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
