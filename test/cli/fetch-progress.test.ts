// `safe-pip fetch` progress (DESIGN.md "Output"): a spinner and `downloading k/n` on an
// interactive stderr only. The interactive runs happen under a pseudo-terminal made by util-linux
// `script`; the transcript is replayed through a small terminal model, so "never garbled" means:
// the screen left at the end holds exactly the lines a pipe would have received (no frame, no
// half-cleared spinner) and the cursor is visible again. Pipes, CI=1, TERM=dumb and --json get
// no spinner at all; NO_COLOR drops its colour; an error and Ctrl+C both clear it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { downloadProgressText } from '../../src/cli/fetch/report.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { childEnv, runCommand, type RunResult } from '../helpers/run-cli.js';

const SAFE_PIP = join(process.cwd(), 'bin', 'safe-pip');
const SCRIPT = '/usr/bin/script';
/** cli-spinners' `dots` (ora's default) and `line` (used where Unicode is not supported). */
const FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|[-\\|/] safe-pip: (resolving|downloading)/;
const ESC = '\u001b';

let server: IndexServer;
let files: string[];

beforeAll(async () => {
  const wheels = await Promise.all([
    buildWheel({ name: 'app', version: '1.0', requiresDist: ['lib', 'dep'] }),
    buildWheel({ name: 'lib', version: '1.0' }),
    buildWheel({ name: 'dep', version: '2.0' }),
  ]);
  const [app, lib, dep] = wheels.map((w) => ({ ...w, coreMetadata: true }));
  files = wheels.map((w) => w.filename).sort();
  server = await startIndexServer({ projects: { app: [app!], lib: [lib!], dep: [dep!] } });
});
afterAll(async () => server?.close());

const BASE_ENV = { PIP_NO_CACHE_DIR: '1', TERM: 'xterm-256color', CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined };

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `safe-pip <args>` with a pty for stdin/stdout/stderr; `cols` sizes it (unsized: 0 columns). */
function ptyCommand(args: readonly string[], cols: number | null): string[] {
  const sizing = cols === null ? '' : `stty cols ${cols} rows 40; `;
  return ['-qfec', `${sizing}exec ${[SAFE_PIP, ...args].map(shellQuote).join(' ')}`, '/dev/null'];
}

async function underPty(args: readonly string[], env: Record<string, string | undefined> = {}, cols: number | null = 120): Promise<RunResult> {
  return runCommand(SCRIPT, ptyCommand(args, cols), { env: { ...BASE_ENV, ...env } });
}

/**
 * The screen a transcript leaves: printable text at the cursor (overwriting), CR, LF, and the
 * CSI sequences Node's readline and ora use (G column, A/B up/down, K erase, m colour, ?25 l/h).
 */
function screen(transcript: string): { lines: string[]; cursorVisible: boolean } {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let cursorVisible = true;
  const line = (): string[] => (rows[row] ??= []);
  for (let i = 0; i < transcript.length; i++) {
    const ch = transcript[i]!;
    if (ch === ESC) {
      const m = /^\u001b\[(\??)([0-9;]*)([A-Za-z])/.exec(transcript.slice(i));
      if (m === null) throw new Error(`unknown escape at ${i}: ${JSON.stringify(transcript.slice(i, i + 10))}`);
      i += m[0].length - 1;
      const [, privateMode, params = '', final] = m;
      const n = params === '' ? null : Number(params.split(';')[0]);
      if (privateMode === '?') {
        if (params === '25') cursorVisible = final === 'h';
      } else if (final === 'G') col = (n ?? 1) - 1;
      else if (final === 'A') row = Math.max(0, row - (n ?? 1));
      else if (final === 'B') row += n ?? 1;
      else if (final === 'K') {
        const l = line();
        if ((n ?? 0) === 0) l.length = Math.min(l.length, col);
        else if (n === 1) for (let c = 0; c <= col && c < l.length; c++) l[c] = ' ';
        else l.length = 0;
      } else if (final !== 'm') throw new Error(`unexpected CSI ${m[0].slice(1)}`);
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      line();
    } else {
      const l = line();
      while (l.length < col) l.push(' ');
      l[col++] = ch;
    }
  }
  const lines = rows.map((r) => (r ?? []).join('').trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return { lines, cursorVisible };
}

/** Lines of a piped run's stderr, in the order they came. */
function plainLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** `saved` lines are written as downloads finish: compare them as a set, the rest in order. */
function normalized(lines: readonly string[], dest: string, otherDest: string): string[] {
  const own = lines.map((l) => l.split(otherDest).join(dest));
  const saved = own.filter((l) => l.startsWith('safe-pip: saved ')).sort();
  return [...own.filter((l) => !l.startsWith('safe-pip: saved ')), ...saved];
}

describe('on an interactive terminal', () => {
  it('shows a spinner while resolving and downloading k/n, and leaves exactly the piped output', async () => {
    const dest = makeTempDir('pty-dest-');
    const result = await underPty(['fetch', '-d', dest, '-i', server.indexUrl(), 'app']);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(FRAME);
    expect(result.stdout).toContain('safe-pip: resolving');
    for (let k = 0; k <= files.length; k++) expect(result.stdout).toContain(`safe-pip: downloading ${k}/${files.length}`);
    expect(result.stdout).toContain(`${ESC}[36m`); // ora's cyan, since NO_COLOR is unset
    expect(readdirSync(dest).sort()).toEqual(files);

    const pipeDest = makeTempDir('pipe-dest-');
    const piped = await runCommand(SAFE_PIP, ['fetch', '-d', pipeDest, '-i', server.indexUrl(), 'app'], { env: BASE_ENV });
    expect(piped.exitCode, piped.stderr).toBe(0);
    const shown = screen(result.stdout);
    expect(normalized(shown.lines, dest, dest)).toEqual(normalized(plainLines(piped.stderr), dest, pipeDest));
    expect(shown.lines.join('\n')).not.toMatch(FRAME);
    expect(shown.cursorVisible).toBe(true);
  });

  it('a warning while spinning is written whole, on a line of its own', async () => {
    const dest = makeTempDir('pty-dest-');
    const dead = 'http://127.0.0.1:1/simple/';
    const args = (d: string): string[] => ['fetch', '-d', d, '--retries', '0', '-i', server.indexUrl(), '--extra-index-url', dead, 'app'];
    const result = await underPty(args(dest));
    expect(result.exitCode, result.stdout).toBe(0);
    const pipeDest = makeTempDir('pipe-dest-');
    const piped = await runCommand(SAFE_PIP, args(pipeDest), { env: BASE_ENV });
    const warnings = plainLines(piped.stderr).filter((l) => l.includes(dead));
    expect(warnings.length).toBeGreaterThan(0);
    const shown = screen(result.stdout);
    expect(normalized(shown.lines, dest, dest)).toEqual(normalized(plainLines(piped.stderr), dest, pipeDest));
    expect(result.stdout).toMatch(FRAME);
  });

  it('an error clears the spinner first: the screen holds only the error, the cursor is back', async () => {
    const dest = makeTempDir('pty-dest-');
    const result = await underPty(['fetch', '-d', dest, '-i', server.indexUrl(), 'nosuch']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(FRAME);
    const piped = await runCommand(SAFE_PIP, ['fetch', '-d', dest, '-i', server.indexUrl(), 'nosuch'], { env: BASE_ENV });
    expect(piped.exitCode).toBe(result.exitCode);
    const shown = screen(result.stdout);
    expect(shown.lines).toEqual(plainLines(piped.stderr));
    expect(shown.lines.join('\n')).toMatch(/nosuch/);
    expect(shown.cursorVisible).toBe(true);
  });

  it('NO_COLOR: the spinner turns but is not coloured', async () => {
    const dest = makeTempDir('pty-dest-');
    const result = await underPty(['fetch', '-d', dest, '-i', server.indexUrl(), 'app'], { NO_COLOR: '1' });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(FRAME);
    expect(result.stdout).not.toMatch(/\u001b\[[0-9;]*m/);
  });

  it('a terminal that reports 0 columns (an unsized pty) still works', async () => {
    const dest = makeTempDir('pty-dest-');
    const result = await underPty(['fetch', '-d', dest, '-i', server.indexUrl(), 'app'], {}, null);
    expect(result.exitCode, result.stdout.slice(0, 2000)).toBe(0);
    expect(result.stdout).toMatch(FRAME);
    expect(screen(result.stdout).lines.at(-1)).toMatch(/^safe-pip: fetched 3 files/);
  });

  it('Ctrl+C during a download stops the spinner, removes the partial file and ends by SIGINT', async () => {
    const dest = makeTempDir('pty-dest-');
    const hang = server.fault(new URL(server.fileUrl(files[1]!)).pathname, { hang: true });
    const child = execa(SCRIPT, ptyCommand(['fetch', '-d', dest, '-i', server.indexUrl(), 'app'], 120), {
      env: childEnv(BASE_ENV),
      extendEnv: false,
      stdin: 'pipe',
      reject: false,
      timeout: 60_000,
    });
    let transcript = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        transcript += chunk.toString('utf8');
        // Two of three saved and the third under way: interrupt now.
        if (/downloading 2\/3/.test(transcript) && hang.hits > 0) resolve();
      });
      void child.then(() => resolve());
    });
    child.stdin!.write('\u0003');
    const result = await child;
    hang.remove();
    expect(result.exitCode).toBe(130); // script -e: 128 + SIGINT, the child ended by the signal
    const shown = screen(String(result.stdout));
    expect(shown.lines.join('\n')).not.toMatch(FRAME);
    expect(shown.lines.join('\n')).not.toContain('downloading');
    expect(shown.cursorVisible).toBe(true);
    expect(readdirSync(dest).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(readdirSync(dest)).not.toContain(files[1]);
  });
});

describe('no spinner where nobody watches', () => {
  async function expectPlain(result: RunResult, output: string, dest: string): Promise<void> {
    expect(result.exitCode, output).toBe(0);
    expect(output).not.toContain(ESC);
    expect(output).not.toMatch(FRAME);
    expect(output).not.toMatch(/resolving|downloading/);
    expect(readdirSync(dest).sort()).toEqual(files);
  }

  it('a pipe', async () => {
    const dest = makeTempDir('pipe-dest-');
    const result = await runCommand(SAFE_PIP, ['fetch', '-d', dest, '-i', server.indexUrl(), 'app'], { env: BASE_ENV });
    await expectPlain(result, result.stderr, dest);
    expect(plainLines(result.stderr).filter((l) => l.startsWith('safe-pip: saved '))).toHaveLength(files.length);
  });

  for (const [name, env] of [['CI=1', { CI: '1' }], ['TERM=dumb', { TERM: 'dumb' }]] as const) {
    it(`a terminal with ${name}`, async () => {
      const dest = makeTempDir('pty-dest-');
      const result = await underPty(['fetch', '-d', dest, '-i', server.indexUrl(), 'app'], env);
      await expectPlain(result, result.stdout, dest);
      expect(plainLines(result.stdout.replace(/\r/g, '')).at(-1)).toMatch(/^safe-pip: fetched 3 files/);
    });
  }

  it('--json on a terminal: the output is the JSON document and nothing else', async () => {
    const dest = makeTempDir('pty-dest-');
    const result = await underPty(['fetch', '--json', '-d', dest, '-i', server.indexUrl(), 'app']);
    await expectPlain(result, result.stdout, dest);
    const doc = JSON.parse(result.stdout.replace(/\r\n/g, '\n')) as { files: { filename: string }[] };
    expect(doc.files.map((f) => f.filename).sort()).toEqual(files);
  });

  it('--json through a pipe: stdout parses, stderr is empty', async () => {
    const dest = makeTempDir('pipe-dest-');
    const result = await runCommand(SAFE_PIP, ['fetch', '--json', '-d', dest, '-i', server.indexUrl(), 'app'], { env: BASE_ENV });
    await expectPlain(result, result.stderr, dest);
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as { files: unknown[] }).files).toHaveLength(files.length);
  });
});

/**
 * A loopback proxy in front of `upstream` that sends every wheel body in 64 KiB pieces, one every
 * `pauseMs`, so a download lasts long enough for the progress line to be sampled.
 */
async function startSlowProxy(upstream: string, pauseMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        const slow = /\.whl$/.test(req.url ?? '');
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        if (!slow) {
          upstreamRes.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (c: Buffer) => chunks.push(c));
        upstreamRes.on('end', () => {
          const body = Buffer.concat(chunks);
          let offset = 0;
          const next = (): void => {
            if (res.destroyed) return;
            if (offset >= body.length) {
              res.end();
              return;
            }
            res.write(body.subarray(offset, offset + 65536));
            offset += 65536;
            setTimeout(next, pauseMs);
          };
          next();
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}${target.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the progress line of a long download', () => {
  it('downloadProgressText: files done, bytes, and the rate once half a second has passed', () => {
    expect(downloadProgressText({ done: 0, total: 3, bytes: 0, seconds: 0 })).toBe('safe-pip: downloading 0/3 files…');
    expect(downloadProgressText({ done: 0, total: 1, bytes: 700, seconds: 0.2 })).toBe('safe-pip: downloading 0/1 file, 700 B…');
    expect(downloadProgressText({ done: 1, total: 2, bytes: 3 * 1024 * 1024, seconds: 2 })).toBe('safe-pip: downloading 1/2 files, 3.0 MiB, 1.5 MiB/s…');
  });

  it('on a terminal: bytes and rate while a slow file arrives; the screen ends as the piped output does', async () => {
    const big = { ...(await buildWheel({ name: 'big', version: '1.0', files: { 'big/data.bin': randomBytes(1536 * 1024) } })), coreMetadata: true };
    const upstream = await startIndexServer({ projects: { big: [big] } });
    const proxy = await startSlowProxy(upstream.indexUrl(), 40);
    try {
      const dest = makeTempDir('pty-dest-');
      const result = await underPty(['fetch', '-d', dest, '-i', proxy.url, 'big']);
      expect(result.exitCode, result.stdout.slice(-2000)).toBe(0);
      expect(readdirSync(dest)).toEqual([big.filename]);
      // Some frame showed bytes under way and a rate, before the file was done.
      expect(result.stdout).toMatch(/safe-pip: downloading 0\/1 file, \d+(\.\d)? (KiB|MiB), \d+(\.\d)? (B|KiB|MiB)\/s…/);
      const pipeDest = makeTempDir('pipe-dest-');
      const piped = await runCommand(SAFE_PIP, ['fetch', '-d', pipeDest, '-i', proxy.url, 'big'], { env: BASE_ENV });
      expect(piped.exitCode, piped.stderr).toBe(0);
      expect(piped.stderr).not.toMatch(/downloading|\/s/);
      expect(normalized(screen(result.stdout).lines, dest, dest)).toEqual(normalized(plainLines(piped.stderr), dest, pipeDest));
      expect(plainLines(piped.stderr).map((l) => l.split(pipeDest).join('<dest>'))).toEqual([
        `safe-pip: saved <dest>/${big.filename}`,
        'safe-pip: fetched 1 file (1.5 MiB) into <dest>',
      ]);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
