// src/report/spinner.ts's plainProgress (pipes, CI, -q): every line reaches the stream, in order,
// the lines of one turn of the event loop in one write; stop() writes what is pending at once (so
// a summary or an error written after it comes after the lines), and so does the process's exit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainProgress } from '../../src/report/spinner.js';
import { ensureBuilt, ROOT } from '../launcher/harness.js';

function recordingStream(): { stream: NodeJS.WritableStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { write: (chunk: string) => writes.push(chunk) > 0 } as unknown as NodeJS.WritableStream;
  return { stream, writes };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('plainProgress', () => {
  it('writes the lines of one turn in one write, at the end of the turn', async () => {
    const { stream, writes } = recordingStream();
    const progress = plainProgress(stream);
    expect(progress.active).toBe(false);
    progress.line('safe-pip: saved a');
    progress.line('safe-pip: saved b');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['safe-pip: saved a\nsafe-pip: saved b\n']);
    progress.line('safe-pip: saved c');
    await nextTurn();
    expect(writes).toEqual(['safe-pip: saved a\nsafe-pip: saved b\n', 'safe-pip: saved c\n']);
  });

  it('stop() writes what is pending at once, and nothing twice', async () => {
    const { stream, writes } = recordingStream();
    const progress = plainProgress(stream);
    progress.line('safe-pip: warning');
    progress.stop();
    expect(writes).toEqual(['safe-pip: warning\n']);
    progress.stop();
    await nextTurn();
    expect(writes).toEqual(['safe-pip: warning\n']);
    // A line after stop() is still written.
    progress.line('late');
    await nextTurn();
    expect(writes).toEqual(['safe-pip: warning\n', 'late\n']);
  });

  it('lines still pending when the process exits are written before it ends', () => {
    ensureBuilt();
    const module = join(ROOT, 'dist', 'report', 'spinner.js');
    const script = `import { plainProgress } from ${JSON.stringify(module)}; const p = plainProgress(); p.line('first'); p.line('second'); process.exit(3);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect([result.status, result.stderr]).toEqual([3, 'first\nsecond\n']);
  });
});
