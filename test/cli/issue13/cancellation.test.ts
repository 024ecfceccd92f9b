// Issue 13 item 7: Ctrl-C while safe-pip itself reads the index for a pip command ends it as pip
// ends: "ERROR: Operation cancelled by user" on stderr, exit 1 (pip's base command catches
// KeyboardInterrupt). Measured with pip 23.2.1 interrupted at the same point (waiting for an index
// that accepted the connection and never answers, SIGINT from a parent with the default
// disposition): stdout "Looking in indexes: …", stderr "ERROR: Operation cancelled by user", exit 1.
// (Not run here: under vitest the interrupted pip did not exit; see the issue 13 report.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { execa } from 'execa';
import { childEnv, PLAIN_PIP_ENV } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP } from '../../policy/vector-world.js';

let server: Server;
const sockets = new Set<Socket>();
let connections = 0;
let port = 0;
beforeAll(async () => {
  server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function interruptedWhileWaiting(file: string, args: string[], env: Record<string, string>): Promise<{ exitCode: number | undefined; stderr: string }> {
  const before = connections;
  const child = execa(file, args, { env: childEnv({ ...PLAIN_PIP_ENV, ...env }), extendEnv: false, cwd: makeTempDir('cwd-'), reject: false, stdin: 'ignore' });
  while (connections === before) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGINT');
  const result = await child;
  return { exitCode: result.exitCode, stderr: String(result.stderr) };
}

describe('SIGINT during safe-pip\'s own index reads', () => {
  for (const command of ['download', 'install']) {
    it(`pip ${command} through safe-pip: the same line and exit code, before pip ever ran`, async () => {
      const args = ['pip', command, ...(command === 'download' ? ['-d', 'out'] : []), '-i', `http://127.0.0.1:${port}/simple`, '--timeout', '60', 'tiny'];
      const shim = await interruptedWhileWaiting(SAFE_PIP, args, { SAFE_PIP_REAL_PIP: REAL_PIP });
      expect(shim).toEqual({ exitCode: 1, stderr: 'ERROR: Operation cancelled by user' });
    });
  }
});
