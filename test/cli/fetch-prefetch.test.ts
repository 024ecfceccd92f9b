// The resolver reads pages and metadata files ahead of need (uv's prefetch; src/resolve/resolver.ts
// #prefetch). A read ahead must leave no trace beyond the request itself: here the first version
// tried of `top` requires a version of `needs-new` that does not exist, so pip drops it before it
// comes to `flaky` (whose page answers 503 "retry after an hour") and `slowpoke` (whose page never
// answers). pip, asked the same, never requests those pages; safe-pip does, says nothing of them,
// and waits neither for the answer nor for the retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { runCommand, runPlainPip } from '../helpers/run-cli.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
let server: IndexServer;

beforeAll(async () => {
  const [top1, top2, old, flaky, slowpoke] = await Promise.all([
    buildWheel({ name: 'top', version: '1.0' }),
    buildWheel({ name: 'top', version: '2.0', requiresDist: ['needs-new>=5', 'flaky', 'slowpoke'] }),
    buildWheel({ name: 'needs-new', version: '1.0' }),
    buildWheel({ name: 'flaky', version: '1.0' }),
    buildWheel({ name: 'slowpoke', version: '1.0' }),
  ]);
  server = await startIndexServer({
    projects: { top: [{ ...top1!, coreMetadata: true }, { ...top2!, coreMetadata: true }], 'needs-new': [old!], flaky: [flaky!], slowpoke: [slowpoke!] },
  });
  server.fault('/simple/flaky/', { status: 503, headers: { 'retry-after': '3600' } });
  server.fault('/simple/slowpoke/', { hang: true });
});
afterAll(async () => server?.close());

describe('reading ahead leaves no trace', () => {
  it('pages read ahead for a candidate pip drops: no warning, no wait, the files pip picks', async () => {
    const pipDir = makeTempDir();
    server.clearRequests();
    const pip = await runPlainPip(['download', '--only-binary', ':all:', '-d', pipDir, '-i', server.indexUrl(), 'top']);
    expect(pip.exitCode, pip.stderr).toBe(0);
    // The oracle: pip never asks for the pages of a dropped candidate's other dependencies.
    expect(server.requestsTo(/^\/simple\/(flaky|slowpoke)\//)).toEqual([]);

    const dir = makeTempDir();
    server.clearRequests();
    // A timeout far beyond the test's, and pip's 5 retries, each a minute later (Retry-After, capped
    // at 60 s): waiting for either page would fail the test.
    const result = await runCommand(SAFE_PIP, ['fetch', '--timeout', '3600', '-d', dir, '-i', server.indexUrl(), 'top'], { env: { PIP_NO_CACHE_DIR: '1' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(readdirSync(pipDir).sort());
    expect(readdirSync(dir)).toEqual(['top-1.0-py3-none-any.whl']);
    // Read ahead (so the run above did meet both faults) ...
    expect(server.requestsTo('/simple/flaky/').length).toBeGreaterThan(0);
    expect(server.requestsTo('/simple/slowpoke/').length).toBeGreaterThan(0);
    // ... and not a word about either.
    expect(result.stderr).not.toMatch(/flaky|slowpoke|Could not fetch/);
  });
});
