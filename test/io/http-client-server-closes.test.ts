// A server that sends a whole response and closes the connection at once (HTTP/1.0 style, as
// `python3 -m http.server` does) while the consumer has not started reading the body yet. undici 7
// then threw an uncatchable `assert(!this.paused)` from the socket's 'end' handler and the process
// died (nodejs/undici#5360); src/io/http/eager-body.ts drains every body so the parser never
// pauses. The client runs in a child process, so a crash shows up as that process dying.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCommand } from '../helpers/run-cli.js';

const CLIENT = join(process.cwd(), 'dist', 'io', 'http', 'client.js');
// Bodies a little over a stream's buffer, which one or two socket reads deliver whole.
const SIZES = [70 * 1024, 100 * 1024, 134 * 1024];

let server: Server | undefined;
afterEach(() => server?.close());

/** Answers every request with `bytes` bytes of 'a', `Connection: close`, and a FIN right after. */
async function startClosingServer(bytes: number): Promise<string> {
  server = createServer((socket) => {
    socket.once('data', () => {
      socket.write(`HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n`);
      socket.end(Buffer.alloc(bytes, 0x61));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/file.whl`;
}

/** A consumer that waits (as a cache folder or a disk write makes it wait) before it reads. */
function script(url: string, consume: 'stream' | 'buffered'): string {
  return `
    import { HttpClient } from ${JSON.stringify(CLIENT)};
    const client = new HttpClient({ retries: 0 });
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    let total = 0;
    if (${JSON.stringify(consume)} === 'stream') {
      total = await client.fetchStream(${JSON.stringify(url)}, { headers: { range: 'bytes=-65536' } }, async (head, body) => {
        await wait(300);
        let n = 0;
        for await (const chunk of body) { n += chunk.length; await wait(1); }
        return n;
      });
    } else {
      const [a, b] = await Promise.all([0, 1].map(() => client.fetchBuffered(${JSON.stringify(url)}, { maxBodyBytes: 1 << 30 })));
      total = a.body.length + b.body.length;
    }
    await client.close();
    console.log('read', total);
  `;
}

describe('a server that closes the connection right after the response', () => {
  it.each(SIZES)('%i bytes: a consumer that waits before reading gets the whole body, and the process lives', async (bytes) => {
    const url = await startClosingServer(bytes);
    const result = await runCommand(process.execPath, ['--input-type=module', '-e', script(url, 'stream')]);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/AssertionError|ERR_ASSERTION/);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`read ${bytes}`);
  });
  it.each(SIZES)('%i bytes: buffered reads of two such responses at once', async (bytes) => {
    const url = await startClosingServer(bytes);
    const result = await runCommand(process.execPath, ['--input-type=module', '-e', script(url, 'buffered')]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`read ${2 * bytes}`);
  });
});
