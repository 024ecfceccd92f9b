// Issue 13 item 6: errors say what happened in the user's terms. A requirement no file satisfies
// keeps pip's two lines (pip's exact words, checked against the real pip), followed by safe-pip's
// line saying in words which files were skipped; an index that does not answer is said to not
// answer within the --timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP, startVectorWorld, type VectorWorld } from '../../policy/vector-world.js';

let world: VectorWorld;
beforeAll(async () => {
  world = await startVectorWorld();
});
afterAll(async () => {
  await world?.close();
});

const safePip = (args: string[]) => runCommand(SAFE_PIP, ['pip', ...args], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP } });
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('ERROR: '));

describe('no version satisfies the requirement', () => {
  it('a project the index does not have: pip\'s two lines, exit 1', async () => {
    const args = ['download', '-d', makeTempDir('dest-'), '-i', world.index, 'nosuch'];
    const plain = await runPlainPip(args);
    const shim = await safePip(args);
    expect(errorLines(plain.stderr)).toEqual([
      'ERROR: Could not find a version that satisfies the requirement nosuch (from versions: none)',
      'ERROR: No matching distribution found for nosuch',
    ]);
    expect({ exitCode: shim.exitCode, stderr: shim.stderr }).toEqual({ exitCode: plain.exitCode, stderr: `${errorLines(plain.stderr).join('\n')}\n` });
  });
  it('files that were skipped are named in words after pip\'s lines', async () => {
    const args = ['download', '-d', makeTempDir('dest-'), '-i', world.index, 'tiny>=2'];
    const plain = await runPlainPip(args);
    const shim = await safePip(args);
    expect(shim.exitCode).toBe(plain.exitCode);
    expect(shim.stderr).toBe(
      `${errorLines(plain.stderr).join('\n')}\n` + 'safe-pip: files skipped: a version the requirement excludes (1 file)\n',
    );
    expect(errorLines(plain.stderr)[1]).toBe('ERROR: No matching distribution found for tiny>=2');
  });
});

describe('an index that does not answer', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket); // accepted, never answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  it('says it did not answer within the --timeout, not undici\'s error code', async () => {
    const shim = await safePip(['download', '-d', makeTempDir('dest-'), '-i', `http://127.0.0.1:${port}/simple`, '--timeout', '1', '--retries', '0', 'tiny']);
    expect(shim.exitCode).toBe(1);
    expect(shim.stderr.replaceAll(String(port), '<port>')).toBe(
      'safe-pip: Could not fetch URL http://127.0.0.1:<port>/simple/tiny/: the index did not answer within 1 s (--timeout) - skipping\n' +
        'ERROR: Could not find a version that satisfies the requirement tiny (from versions: none)\n' +
        'ERROR: No matching distribution found for tiny\n',
    );
  });
});
