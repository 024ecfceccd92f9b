// A wheel mirror served by plain static file servers (issue 11 §1). `python3 -m http.server`
// answers HTTP/1.0, ignores Range, and closes the connection after every response: undici 7 then
// killed safe-pip with `assert(!this.paused)` (nodejs/undici#5360) whenever a body was left
// unread for a moment while the server hung up (src/io/http/eager-body.ts). The wheels here are
// larger than a stream's buffer (random bytes, so compression cannot shrink them), which is what
// made the body pause. Plain pip works against the same server; safe-pip must, in every mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildWheel } from '../helpers/wheel-builder.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip, type RunResult } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { REAL_PIP, SAFE_PIP } from './harness.js';

interface StaticServer {
  index: string;
  close(): void;
}

/** `simple/<project>/index.html` linking `files/<wheel>#sha256=…`: a mirror as a plain folder. */
function writeMirror(projects: Record<string, BuiltDistribution[]>): string {
  const root = makeTempDir('static-mirror-');
  mkdirSync(join(root, 'files'));
  for (const [project, dists] of Object.entries(projects)) {
    mkdirSync(join(root, 'simple', project), { recursive: true });
    const links = dists.map((d) => `<a href="../../files/${d.filename}#sha256=${d.sha256}">${d.filename}</a><br>`);
    writeFileSync(join(root, 'simple', project, 'index.html'), `<!DOCTYPE html><html><body>\n${links.join('\n')}\n</body></html>\n`);
    for (const d of dists) writeFileSync(join(root, 'files', d.filename), d.data);
  }
  return root;
}

/** `python3 -m http.server` on a free loopback port, serving `root`. */
async function startHttpServer(root: string): Promise<StaticServer> {
  const child: ChildProcess = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = / port (\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`python3 -m http.server exited with ${code}`)));
  });
  child.stderr!.resume();
  return { index: `http://127.0.0.1:${port}/simple`, close: () => child.kill() };
}

const payload = (): Buffer => randomBytes(90 * 1024);
let server: StaticServer;
let wheels: Record<string, BuiltDistribution>;

beforeAll(async () => {
  wheels = {
    app: await buildWheel({ name: 'app', version: '1.0', requiresDist: ['lib>=1', 'util'], files: { 'app/__init__.py': '', 'app/blob.bin': payload() } }),
    lib: await buildWheel({ name: 'lib', version: '2.0', requiresDist: ['util'], files: { 'lib/__init__.py': '', 'lib/blob.bin': payload() } }),
    util: await buildWheel({ name: 'util', version: '3.0', files: { 'util/__init__.py': '', 'util/blob.bin': payload() } }),
  };
  server = await startHttpServer(writeMirror({ app: [wheels.app!], lib: [wheels.lib!], util: [wheels.util!] }));
});
afterAll(() => server?.close());

/** A cache folder that does not exist yet, as on a first run: creating it is one of the waits. */
function freshCache(): string {
  return join(makeTempDir('cache-'), 'safe-pip');
}

function safePip(args: string[], cache: string): Promise<RunResult> {
  return runCommand(SAFE_PIP, args, { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, SAFE_PIP_CACHE_DIR: cache } });
}

function expectNoCrash(result: RunResult): void {
  const text = `${result.stdout}\n${result.stderr}`;
  expect(text).not.toMatch(/AssertionError|ERR_ASSERTION|this is a bug in safe-pip/);
  expect(result.exitCode, text).toBe(0);
}

const ALL = ['app-1.0-py3-none-any.whl', 'lib-2.0-py3-none-any.whl', 'util-3.0-py3-none-any.whl'];

describe('python3 -m http.server (HTTP/1.0, no Range, closes every connection)', () => {
  it('explain download --no-deps of each project, cold cache: no crash', async () => {
    for (const name of ['app', 'lib', 'util']) {
      const result = await safePip(['explain', '--json', 'download', '--no-deps', '-d', makeTempDir('dest-'), '-i', server.index, name], freshCache());
      expectNoCrash(result);
      expect((JSON.parse(result.stdout) as { packages: { filename: string }[] }).packages.map((p) => p.filename)).toEqual([wheels[name]!.filename]);
    }
  });

  it('explain download, cold cache: the closure is resolved, no crash', async () => {
    const result = await safePip(['explain', '--json', 'download', '-d', makeTempDir('dest-'), '-i', server.index, 'app'], freshCache());
    expectNoCrash(result);
    const plan = JSON.parse(result.stdout) as { packages: { filename: string }[] };
    expect(plan.packages.map((p) => p.filename).sort()).toEqual(ALL);
  });

  it('fetch, cold then warm cache: every file saved with the index hash', async () => {
    const cache = freshCache();
    for (const round of ['cold', 'warm']) {
      const dest = makeTempDir(`dest-${round}-`);
      expectNoCrash(await safePip(['fetch', '-d', dest, '-i', server.index, 'app'], cache));
      expect(readdirSync(dest).sort()).toEqual(ALL);
      for (const name of ['app', 'lib', 'util']) {
        expect(readFileSync(join(dest, wheels[name]!.filename)).equals(wheels[name]!.data)).toBe(true);
      }
    }
  });

  it('pip download through safe-pip saves what plain pip saves', async () => {
    const plainDest = makeTempDir('dest-plain-');
    const plain = await runPlainPip(['download', '-d', plainDest, '-i', server.index, 'app']);
    expect(plain.exitCode, plain.stderr).toBe(0);
    const dest = makeTempDir('dest-safe-');
    expectNoCrash(await safePip(['pip', 'download', '-d', dest, '-i', server.index, 'app'], freshCache()));
    expect(readdirSync(dest).sort()).toEqual(readdirSync(plainDest).sort());
  });

  it('pip install --target through safe-pip installs the closure', async () => {
    const target = makeTempDir('target-');
    expectNoCrash(await safePip(['pip', 'install', '--target', target, '-i', server.index, 'app'], freshCache()));
    expect(readdirSync(target).filter((n) => !n.endsWith('.dist-info') && !n.startsWith('.')).sort()).toEqual(['app', 'lib', 'util']);
  });
});
