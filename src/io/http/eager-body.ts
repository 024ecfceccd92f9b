// A response body read as soon as its head arrives.
//
// undici 7 (the last line that runs on Node 20) kills the process with an uncatchable
// `assert(!this.paused)` in Parser.finish when a body is paused under backpressure at the moment
// the server closes the connection (nodejs/undici#5360, fixed only in undici 8, which needs
// Node 22). Every response of an HTTP/1.0 server such as `python3 -m http.server` ends that way,
// so a consumer that awaits anything between two chunks (a cache folder, a disk write) crashed
// safe-pip there. The body is therefore drained in flowing mode into a queue of our own: undici's
// parser is never paused. What the queue holds is what the consumer has not yet taken; hashing
// and writing keep up with a network, so it stays small.
import type { Readable } from 'node:stream';

export class EagerBody implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private head = 0;
  private ended = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  constructor(private readonly body: Readable) {
    body.on('data', (chunk: Uint8Array) => {
      this.queue.push(chunk);
      this.notify();
    });
    body.on('end', () => {
      this.ended = true;
      this.notify();
    });
    body.on('error', (e: unknown) => {
      this.failure ??= e;
      this.notify();
    });
    body.on('close', () => {
      if (!this.ended) this.failure ??= new Error('the response ended before its body was complete');
      this.notify();
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      if (this.head < this.queue.length) {
        const chunk = this.queue[this.head]!;
        this.queue[this.head++] = EMPTY;
        if (this.head > 1024 && this.head * 2 > this.queue.length) this.compact();
        yield chunk;
        continue;
      }
      if (this.failure !== null) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Stops reading and frees what is queued; the connection is dropped unless the body ended. */
  discard(): void {
    this.queue.length = 0;
    this.head = 0;
    if (!this.body.destroyed) this.body.destroy();
  }

  private compact(): void {
    this.queue.splice(0, this.head);
    this.head = 0;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

const EMPTY = new Uint8Array(0);
