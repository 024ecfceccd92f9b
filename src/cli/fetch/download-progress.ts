// What `safe-pip fetch` shows while files download on a terminal (issue 13 item 10): files done,
// bytes written and the rate. The bytes are read from the destination itself: every download is
// written to `.<name>.safe-pip-<pid>-<random>.part` and renamed when complete
// (src/io/file-download.ts), so the size of this process's `.part` files plus the files finished
// is what has been written, whatever the source (network, cache, local file). Sampled a few times
// a second, only while a spinner is drawn; nothing runs in pipes, in CI, with -q or --json.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from '../../report/spinner.js';
import { downloadProgressText } from './report.js';

const SAMPLE_MS = 250;

export interface DownloadProgress {
  /** A file was saved (its size counts from now on instead of its `.part` file). */
  fileDone(size: number, written: boolean): void;
  stop(): void;
}

export function trackDownloads(progress: Progress, dest: string, total: number, now: () => number = Date.now): DownloadProgress {
  const started = now();
  let done = 0;
  let finishedBytes = 0;
  let partBytes = 0;
  const ownPart = new RegExp(`^\\..*\\.safe-pip-${process.pid}-[0-9a-f]+\\.part$`);
  const show = (): void =>
    progress.update(downloadProgressText({ done, total, bytes: finishedBytes + partBytes, seconds: (now() - started) / 1000 }));
  let sampling = false;
  const sample = async (): Promise<void> => {
    if (sampling) return;
    sampling = true;
    try {
      let sum = 0;
      for (const name of await readdir(dest)) {
        if (!ownPart.test(name)) continue;
        sum += await stat(join(dest, name)).then((s) => s.size, () => 0);
      }
      partBytes = sum;
      show();
    } catch {
      // the destination vanished or cannot be listed: the line keeps its last figures
    } finally {
      sampling = false;
    }
  };
  show();
  const timer = progress.active ? setInterval(() => void sample(), SAMPLE_MS) : null;
  timer?.unref();
  return {
    fileDone(size, written) {
      done++;
      if (written) finishedBytes += size;
      partBytes = 0;
      show();
      if (timer !== null) void sample();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
    },
  };
}
