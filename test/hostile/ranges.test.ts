// Range requests that lie: an index answers `Range:` requests with bytes of another zip of the same
// size (whose METADATA lists no dependencies) and plain downloads with the real wheel (whose hash
// is the index's). The metadata read through ranges must be checked against the verified wheel
// before anything is saved: safe-pip stops with an error naming the file and saves nothing,
// rather than a closure without the real dependency. (Plain pip never uses ranges: it saves the
// wheel and its dependency.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { buildWheel } from '../helpers/wheel-builder.js';
import type { BuiltDistribution } from '../helpers/archives.js';
import { expectCleanFailure, expectDestination, makeSandbox, plainPipDownload, safePipDownload, safePipFetch } from './harness.js';
import { sameSizeZips, serveProject, serveRanges, sha256, startHostileServer, type HostileServer } from './hostile-server.js';

let server: HostileServer;
let real: Buffer;
let decoy: Buffer;
let helper: BuiltDistribution;
let filename: string;

beforeAll(async () => {
  server = await startHostileServer();
  helper = await buildWheel({ name: 'helper', version: '1.0' });
  serveProject(server, 'helper', [{ filename: helper.filename, data: helper.data }]);
  // Larger than the first tail request (64 KiB), so the metadata is read through ranges.
  const blob = randomBytes(200 * 1024);
  const realWheel = await buildWheel({ name: 'ranged', version: '1.0', requiresDist: ['helper'], files: { 'ranged/blob.bin': blob } });
  const decoyWheel = await buildWheel({ name: 'ranged', version: '1.0', files: { 'ranged/blob.bin': blob } });
  [real, decoy] = sameSizeZips(realWheel.data, decoyWheel.data);
  expect(real.length).toBe(decoy.length);
  filename = realWheel.filename;
  serveProject(server, 'ranged', [{ filename, data: real }]);
  serveRanges(server, `/simple/ranged/${filename}`, real, decoy);
  expect(sha256(real)).not.toBe(sha256(decoy));
}, 60_000);
afterAll(async () => server?.close());

describe('METADATA read through ranges from another zip of the same size', () => {
  it('plain pip ignores ranges and saves the wheel with its dependency', async () => {
    expect(await plainPipDownload(['-i', `${server.url}/simple/`, 'ranged'])).toEqual([helper.filename, filename].sort());
  }, 120_000);

  it('safe-pip fetch reads ranges, then refuses the wheel whose own METADATA disagrees; nothing is saved', async () => {
    const s = makeSandbox();
    const result = await safePipFetch(s, ['-i', `${server.url}/simple/`, '--retries', '0', 'ranged']);
    expect(server.requestsTo(`/simple/ranged/${filename}`).some((r) => r.headers.range !== undefined)).toBe(true);
    expectCleanFailure(result, [filename, /range requests disagrees with the file itself/, /Requires-Dist/, /helper/]);
    expectDestination(s, {});
  }, 120_000);

  it('pip download through safe-pip: the same, and pip never runs', async () => {
    const s = makeSandbox();
    const before = server.requests.length;
    const result = await safePipDownload(s, ['-i', `${server.url}/simple/`, '--retries', '0', 'ranged']);
    expectCleanFailure(result, [filename, /disagrees with the file itself/]);
    expectDestination(s, {});
    expect(server.requests.slice(before).filter((r) => /^pip\//.test(String(r.headers['user-agent'])))).toEqual([]);
  }, 120_000);
});
