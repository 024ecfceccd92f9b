// Interruption (issue 6 §3): SIGINT or SIGTERM while `safe-pip fetch` streams a large file from a
// slow server leaves no partial file and ends the process as the signal does (a shell reports
// 130 / 143); during `pip download` through safe-pip, after the hand-off to pip, the signal
// reaches pip, pip exits, and no python process is left behind.
import { describe, expect, it, onTestFinished } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import { childEnv } from '../helpers/run-cli.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { baseEnv, expectDestination, makeSandbox, SAFE_PIP, treeOf } from './harness.js';
import { htmlPage, sendSlowly, startHostileServer, type HostileServer } from './hostile-server.js';

const MiB = 1024 * 1024;

/**
 * A server offering `slow` (a ~8 MiB wheel with PEP 658 metadata) whose body trickles out. With
 * `onlyToPip`, safe-pip's own request for the file gets a 404, so safe-pip cannot stage it for
 * the download hand-off and pip downloads it itself.
 */
async function slowIndex(options: { onlyToPip?: boolean } = {}): Promise<{ srv: HostileServer; filename: string; wheelPath: string; bytesSent: () => number }> {
  const srv = await startHostileServer();
  onTestFinished(() => srv.close());
  const padding = Buffer.alloc(8 * MiB);
  for (let i = 0; i < padding.length; i += 4) padding.writeUInt32LE((i * 2654435761) >>> 0, i);
  const wheel = await buildWheel({ name: 'slow', version: '1.0', files: { 'slow/__init__.py': '', 'slow/blob.bin': padding } });
  const wheelPath = `/simple/slow/${wheel.filename}`;
  let sent = 0;
  srv.route('/simple/slow/', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(htmlPage([{ filename: wheel.filename, data: wheel.data, metadata: wheel.metadata! }]));
  });
  srv.route(`${wheelPath}.metadata`, (_req, res) => void res.writeHead(200).end(wheel.metadata!));
  // 16 KiB every 20 ms: the whole file would take about 10 s, far longer than the test waits.
  expect(wheel.data.length / (16 * 1024)).toBeGreaterThan(100);
  srv.route(wheelPath, (req, res) => {
    if (options.onlyToPip === true && !/^pip\//.test(req.headers['user-agent'] ?? '')) {
      res.writeHead(404).end();
      return;
    }
    sendSlowly(res, wheel.data, { 'content-type': 'application/octet-stream' }, 16 * 1024, 20);
    const timer = setInterval(() => {
      sent = res.socket?.bytesWritten ?? sent;
      if (res.destroyed || res.writableEnded) clearInterval(timer);
    }, 10);
  });
  return { srv, filename: wheel.filename, wheelPath, bytesSent: () => sent };
}

async function waitUntil(what: string, condition: () => boolean, limitMs = 60_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 25) {
    if (waited > limitMs) throw new Error(`gave up waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The exit status a shell would report: the code, or 128 + the signal that ended it. */
function shellStatus(result: { exitCode?: number | undefined; signal?: string | undefined }): number {
  if (typeof result.exitCode === 'number') return result.exitCode;
  return 128 + (constants.signals[result.signal as keyof typeof constants.signals] ?? 0);
}

/** Pids of the processes whose parent is `pid`. */
/** A process's command line, its arguments joined by spaces ('' once it has gone). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function start(args: readonly string[], env: Record<string, string | undefined>, cwd: string): ResultPromise {
  const child = execa(SAFE_PIP, [...args], { env: childEnv(env), extendEnv: false, cwd, reject: false, stdin: 'ignore', timeout: 120_000 });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s', (signal, status) => {
  it(`during safe-pip fetch of a large, slow file: no partial file is left, and the status is ${status}`, async () => {
    const { srv, wheelPath, bytesSent } = await slowIndex();
    const s = makeSandbox();
    const child = start(['fetch', '-d', s.dest, '-i', `${srv.url}/simple/`, '--no-deps', 'slow'], baseEnv(s), s.cwd);
    // Streaming has begun: a temporary file is in the destination and the server has sent a part.
    await waitUntil('the download is under way', () => srv.requestsTo(wheelPath).length > 0 && bytesSent() > 256 * 1024 && treeOf(s.dest).length > 0);
    expect(treeOf(s.dest).every((name) => name.endsWith('.part'))).toBe(true);
    child.kill(signal);
    const result = await child;
    expect(shellStatus(result), String(result.stderr)).toBe(status);
    expect(String(result.stderr)).not.toMatch(/\n\s+at /);
    expectDestination(s, {});
  }, 120_000);

  it(`during pip download through safe-pip, while safe-pip stages the wheel for pip: nothing is left, no pip ran, the status is ${status}`, async () => {
    const { srv, wheelPath, bytesSent } = await slowIndex();
    const s = makeSandbox();
    const child = start(['pip', 'download', '-d', s.dest, '-i', `${srv.url}/simple/`, '--no-deps', 'slow'], baseEnv(s, { TMPDIR: s.cwd }), s.cwd);
    await waitUntil('safe-pip is downloading the wheel', () => srv.requestsTo(wheelPath).length > 0 && bytesSent() > 256 * 1024);
    expect(srv.requestsTo(wheelPath)[0]?.headers['user-agent'] ?? '').toMatch(/^safe-pip/);
    // No pip runs. The real pip's Python waits for its arguments: started first, by the launcher,
    // as safe-pip's parent (python/early-pip-loader.py), or else as safe-pip's child (src/io/early-pip.ts).
    const pipFirst = commandLine(child.pid!).includes('python/early-pip-loader.py');
    const node = pipFirst ? childrenOf(child.pid!) : [child.pid!];
    expect(node.map(commandLine)).toEqual([expect.stringMatching(/dist\/main\.c?js pip download/)]);
    const waiting = childrenOf(node[0]!);
    for (const pid of waiting) expect(commandLine(pid)).toContain('python/early-pip-loader.py');
    child.kill(signal);
    const result = await child;
    for (const pid of [...node, ...waiting]) await waitUntil(`the waiting Python or safe-pip (pid ${pid}) has exited`, () => !isAlive(pid), 10_000);
    // Ctrl-C ends a pip command as pip ends it: "ERROR: Operation cancelled by user", exit 1 (issue 13 item 7).
    expect(shellStatus(result), String(result.stderr)).toBe(signal === 'SIGINT' ? 1 : status);
    if (signal === 'SIGINT') expect(String(result.stderr)).toMatch(/^ERROR: Operation cancelled by user$/m);
    expect(String(result.stderr)).not.toMatch(/\n\s+at /);
    expectDestination(s, {});
    // The run's private directory (the staged wheel's partial file in it) is gone too.
    expect(treeOf(s.cwd).filter((name) => name.startsWith('safe-pip-run-'))).toEqual([]);
    expect(srv.requestsTo(wheelPath).filter((r) => /^pip\//.test(r.headers['user-agent'] ?? ''))).toEqual([]);
  }, 120_000);

  it('during pip download through safe-pip (after the hand-off): it reaches pip, pip exits, no orphan is left', async () => {
    const { srv, wheelPath, bytesSent } = await slowIndex({ onlyToPip: true });
    const s = makeSandbox();
    const child = start(['pip', 'download', '-d', s.dest, '-i', `${srv.url}/simple/`, '--no-deps', 'slow'], baseEnv(s), s.cwd);
    // safe-pip reads only the page and the metadata file; the wheel request comes from pip.
    const fromPip = (): number => srv.requestsTo(wheelPath).filter((r) => /^pip\//.test(r.headers['user-agent'] ?? '')).length;
    await waitUntil('pip is downloading the wheel', () => fromPip() > 0 && bytesSent() > 256 * 1024);
    const pips = childrenOf(child.pid!);
    expect(pips.length).toBeGreaterThan(0);
    child.kill(signal);
    const result = await child;
    expect(shellStatus(result), String(result.stderr)).not.toBe(0);
    if (signal === 'SIGTERM') expect(shellStatus(result)).toBe(143);
    for (const pid of pips) await waitUntil(`pip (pid ${pid}) has exited`, () => !isAlive(pid), 10_000);
    expect(String(result.stderr)).not.toMatch(/safe-pip: error/);
    // pip downloads into a temporary directory and moves the file in when it is complete.
    expect(existsSync(s.dest) ? readdirSync(s.dest) : []).toEqual([]);
  }, 120_000);
});
