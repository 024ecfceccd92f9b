// A counting semaphore: at most `limit` tasks at once, the others wait their turn in order. It
// bounds concurrent HTTP requests (body reads included), so a resolver that asks for hundreds of
// pages at once opens at most `limit` connections (client.ts), and the reads ahead (index-client.ts).

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
