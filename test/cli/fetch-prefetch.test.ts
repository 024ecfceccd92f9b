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

// An index like a static mirror (`python3 -m http.server` over a folder of pages): HTML pages,
// which give no sizes, and no range requests, so a wheel's METADATA costs the whole wheel. Those
// reads go out together, as uv's would, instead of one after another (issue 12 §2: the real sets
// from such a mirror).
describe('reading ahead on an index without sizes or ranges', () => {
  let mirror: IndexServer;
  beforeAll(async () => {
    const [app, left, right] = await Promise.all([
      buildWheel({ name: 'app', version: '1.0', requiresDist: ['left', 'right'] }),
      buildWheel({ name: 'left', version: '1.0' }),
      buildWheel({ name: 'right', version: '1.0' }),
    ]);
    mirror = await startIndexServer({ projects: { app: [app!], left: [left!], right: [right!] }, format: 'html', ranges: false });
  });
  afterAll(async () => mirror?.close());

  /** Fetches `app`, saying whether the two wheel reads were ever under way together. */
  const fetchWatching = async (env: Record<string, string>): Promise<boolean> => {
    const wheel = /^\/simple\/(left|right)\/.*\.whl$/;
    // Each answer held back long enough that reads one after the other could not overlap.
    const fault = mirror.fault(wheel, { delayMs: 1500 });
    const dir = makeTempDir();
    let overlapped = false;
    const watch = setInterval(() => {
      const pending = mirror.requests.filter((r) => wheel.test(r.pathname) && r.status === 0);
      if (new Set(pending.map((r) => r.pathname)).size === 2) overlapped = true;
    }, 10);
    try {
      const result = await runCommand(SAFE_PIP, ['fetch', '-d', dir, '-i', mirror.indexUrl(), 'app'], { env });
      expect(result.exitCode, result.stderr).toBe(0);
    } finally {
      clearInterval(watch);
      fault.remove();
    }
    expect(readdirSync(dir).sort()).toEqual(['app-1.0-py3-none-any.whl', 'left-1.0-py3-none-any.whl', 'right-1.0-py3-none-any.whl']);
    // What makes the index such a mirror: HTML pages (no size: PEP 700 is JSON only), whole files.
    expect(mirror.requestsTo('/simple/app/').every((r) => r.contentType?.startsWith('text/html'))).toBe(true);
    expect(mirror.requestsTo(wheel).every((r) => r.status === 200)).toBe(true);
    return overlapped;
  };

  it('the wheels of both dependencies are read at once, not one after the other', async () => {
    expect(await fetchWatching({})).toBe(true);
  });

  it('not without a cache, where each read ahead would hold a whole wheel in memory', async () => {
    expect(await fetchWatching({ PIP_NO_CACHE_DIR: '1' })).toBe(false);
  });
});

// A requirement with extras on a project already read ahead: its extras' own dependencies are read
// ahead as soon as the requirement is known, from the metadata already read (jupyter's
// `jsonschema[format-nongpl]`, whose six dependencies were read one after another at the end).
describe('reading ahead the dependencies of extras', () => {
  let mirror: IndexServer;
  beforeAll(async () => {
    const [app, base, mid, slow, extraDep] = await Promise.all([
      buildWheel({ name: 'app', version: '1.0', requiresDist: ['base', 'mid', 'slow'] }),
      buildWheel({ name: 'base', version: '1.0', requiresDist: ['extra-dep; extra == "x"'] }),
      buildWheel({ name: 'mid', version: '1.0', requiresDist: ['base[x]'] }),
      buildWheel({ name: 'slow', version: '1.0' }),
      buildWheel({ name: 'extra-dep', version: '1.0' }),
    ]);
    mirror = await startIndexServer({ projects: { app: [app!], base: [base!], mid: [mid!], slow: [slow!], 'extra-dep': [extraDep!] }, format: 'html', ranges: false });
  });
  afterAll(async () => mirror?.close());

  it("asks for an extra's dependency while another dependency's wheel is still on its way", async () => {
    const slowWheel = /^\/simple\/slow\/.*\.whl$/;
    const fault = mirror.fault(slowWheel, { delayMs: 3000 });
    const dir = makeTempDir();
    let askedMeanwhile = false;
    const watch = setInterval(() => {
      const slowPending = mirror.requests.some((r) => slowWheel.test(r.pathname) && r.status === 0);
      if (slowPending && mirror.requestsTo('/simple/extra-dep/').length > 0) askedMeanwhile = true;
    }, 10);
    try {
      const result = await runCommand(SAFE_PIP, ['fetch', '-d', dir, '-i', mirror.indexUrl(), 'app'], { env: {} });
      expect(result.exitCode, result.stderr).toBe(0);
    } finally {
      clearInterval(watch);
      fault.remove();
    }
    expect(askedMeanwhile).toBe(true);
    // The files pip picks, the extra's dependency among them.
    const pipDir = makeTempDir();
    const pip = await runPlainPip(['download', '--only-binary', ':all:', '-d', pipDir, '-i', mirror.indexUrl(), 'app']);
    expect(pip.exitCode, pip.stderr).toBe(0);
    expect(readdirSync(pipDir)).toContain('extra_dep-1.0-py3-none-any.whl');
    expect(readdirSync(dir).sort()).toEqual(readdirSync(pipDir).sort());
  });
});
