// Node versions (issue 13 item 12): safe-pip supports Node 20.18.1+ on the 20 line and Node 22
// and later (package.json `engines`). What differs between them is checked by feature, not by
// version number: Node's on-disk compile cache (`module.enableCompileCache`, Node 22.1+) is turned
// on where it exists and skipped where it does not (Node 20, which the machines run).
// The run under Node 22 needs a Node 22 binary already on the machine (tests never download):
// NODE_22_BINARY, or the one `npx node@22 --version` leaves in npm's npx cache.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCacheDir, enableCompileCache } from '../src/node-compile-cache.js';
import { buildWheel } from './helpers/wheel-builder.js';
import { findLinksDir } from './helpers/index-server.js';
import { runCommand } from './helpers/run-cli.js';
import { makeTempDir } from './helpers/temp-dir.js';
import { BIN, ensureBuilt } from './launcher/harness.js';

const SAFE_PIP = join(BIN, 'safe-pip');
const manifest = JSON.parse(readFileSync(join(BIN, '..', 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

beforeAll(() => ensureBuilt());

function nodeMajor(binary: string): number | null {
  try {
    return Number(/^v(\d+)\./.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))?.[1]);
  } catch {
    return null;
  }
}

/** A Node >= 22 binary on this machine, or null. */
function findNode22(): string | null {
  const candidates: string[] = [];
  if (process.env.NODE_22_BINARY) candidates.push(process.env.NODE_22_BINARY);
  const npx = join(userInfo().homedir, '.npm', '_npx');
  if (existsSync(npx)) {
    for (const entry of readdirSync(npx)) candidates.push(join(npx, entry, 'node_modules', 'node', 'bin', 'node'));
  }
  return candidates.find((c) => existsSync(c) && (nodeMajor(c) ?? 0) >= 22) ?? null;
}

describe('engines', () => {
  it('Node 20 from 20.18.1, and every line from 22 on', () => {
    expect(manifest.engines.node).toBe('^20.18.1 || >=22');
  });
});

describe('the compile cache, by feature', () => {
  it('where module.enableCompileCache does not exist (Node 20), nothing is done and nothing fails', () => {
    expect(enableCompileCache({ XDG_CACHE_HOME: '/x' }, {})).toBe('unavailable');
  });

  it('where it exists, it is called with safe-pip cache folder', () => {
    const calls: unknown[] = [];
    const status = enableCompileCache({ XDG_CACHE_HOME: '/x' }, { enableCompileCache: (dir?: string) => (calls.push(dir), { status: 1 }) });
    expect(status).toBe('enabled');
    expect(calls).toEqual(['/x/safe-pip/node-compile-cache']);
    expect(compileCacheDir({ SAFE_PIP_CACHE_DIR: '/c' })).toBe('/c/node-compile-cache');
  });

  it('a cache that cannot be made (it throws, or reports failure) is only a lost speed-up', () => {
    expect(enableCompileCache({ XDG_CACHE_HOME: '/x' }, { enableCompileCache: () => ({ status: 0, message: 'read-only' }) })).toBe('failed');
    expect(
      enableCompileCache({ XDG_CACHE_HOME: '/x' }, {
        enableCompileCache: () => {
          throw new Error('EACCES');
        },
      }),
    ).toBe('failed');
  });

  it('SAFE_PIP_NO_COMPILE_CACHE=1 leaves it off', () => {
    expect(enableCompileCache({ SAFE_PIP_NO_COMPILE_CACHE: '1' }, { enableCompileCache: () => ({ status: 1 }) })).toBe('off');
  });

  it(`this Node (${process.version}) runs bin/safe-pip --version`, async () => {
    const result = await runCommand(SAFE_PIP, ['--version']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`safe-pip ${manifest.version}`);
  });
});

const node22 = findNode22();
describe.skipIf(node22 === null)(
  `under Node 22${node22 === null ? ' (skipped: no Node >= 22 on this machine; run `npx node@22 --version` once, or set NODE_22_BINARY)' : ''}`,
  () => {
    it('bin/safe-pip --version, and the compile cache is written', async () => {
      const cache = makeTempDir('cache-');
      const result = await runCommand(SAFE_PIP, ['--version'], { env: { SAFE_PIP_NODE: node22!, XDG_CACHE_HOME: cache } });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe(`safe-pip ${manifest.version}`);
      expect(readdirSync(join(cache, 'safe-pip', 'node-compile-cache')).length).toBeGreaterThan(0);
    });

    it('an intercepted download (explain --json) from a find-links folder', async () => {
      const wheel = await buildWheel({ name: 'tiny', version: '1.0' });
      const links = findLinksDir([wheel]);
      const dest = makeTempDir('dest-');
      const result = await runCommand(SAFE_PIP, ['explain', '--json', 'download', '-d', dest, '--no-index', '-f', links, 'tiny'], {
        env: { SAFE_PIP_NODE: node22! },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const doc = JSON.parse(result.stdout) as { packages: { name: string; filename: string; via: string }[] };
      expect(doc.packages).toEqual([expect.objectContaining({ name: 'tiny', filename: wheel.filename, via: 'pip' })]);
    });
  },
);
