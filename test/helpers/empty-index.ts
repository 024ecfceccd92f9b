// A loopback index that answers 404 to everything: for tests of what a command loads or sets up
// once it asks an index, whatever the answer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Runs `use` with the index URL (`http://127.0.0.1:PORT/simple/`); resolves to the number of requests it got. */
export async function withEmptyIndex(use: (indexUrl: string) => Promise<void>): Promise<number> {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`);
  } finally {
    server.close();
  }
  return requests;
}
