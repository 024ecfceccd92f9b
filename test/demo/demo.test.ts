// `safe-pip demo` end to end, offline, in a temp HOME: the real pip (python3's, found the way
// safe-pip finds it) is the oracle for "plain pip runs the build code"; the files the demo leaves
// with --keep are checked by the test itself, so the demo's words are compared with what really
// happened. A second run without --keep must leave nothing behind and close its server.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CANARY_FILENAME, CANARY_MARKER_FILE } from '../../src/demo/canary-sdist.js';
import { demo, runDemo, type DemoOutcome } from '../../src/demo/run-demo.js';
import { SafePipError } from '../../src/errors.js';
import { EXIT_USAGE } from '../../src/exit-codes.js';
import { childEnv } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ensureBuilt, writeExecutable } from '../launcher/harness.js';

interface Observed {
  outcome: DemoOutcome;
  output: string;
  tmpBase: string;
}

async function runDemoOnce(keep: boolean, launcher?: string): Promise<Observed> {
  const home = makeTempDir('demo-home-');
  const tmpBase = makeTempDir('demo-tmp-');
  // User settings that would break or change both pip runs if the demo passed them on.
  const env = childEnv({
    HOME: home,
    PIP_NO_INDEX: '1',
    PIP_INDEX_URL: 'http://127.0.0.1:9/simple/',
    PIP_ONLY_BINARY: ':all:',
    SAFE_PIP_DISABLE: '1',
  });
  let output = '';
  const outcome = await demo({ env, keep, out: { write: (t: string) => (output += t) }, tmpBase, ...(launcher === undefined ? {} : { launcher }) });
  return { outcome, output, tmpBase };
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

let kept: Observed;
let cleaned: Observed;

beforeAll(async () => {
  ensureBuilt();
  kept = await runDemoOnce(true);
  cleaned = await runDemoOnce(false);
});

describe('safe-pip demo', () => {
  it('plain pip runs the canary build code, and the demo says so with the marker it found', () => {
    const markers = join(kept.outcome.root, 'marker-plain-pip');
    expect(readdirSync(markers)).toEqual([CANARY_MARKER_FILE]);
    expect(readFileSync(join(markers, CANARY_MARKER_FILE), 'utf8')).toMatch(/^canary-demo's build code ran in process \d+/);
    expect(existsSync(join(kept.outcome.root, 'plain-pip', CANARY_FILENAME))).toBe(true);
    expect(kept.outcome.plain.exitCode).toBe(0);
    expect(kept.output).toContain(`The package's build code RAN: it wrote ${join(markers, CANARY_MARKER_FILE)}`);
    expect(kept.output).toMatch(/^ {3}\$ pip download --no-deps --no-cache-dir -d \S+\/plain-pip -i http:\/\/127\.0\.0\.1:\d+\/simple\/ canary-demo$/m);
  });

  it("tells the user their PIP_* settings are left out (they would have broken both runs)", () => {
    expect(kept.output).toContain('Your PIP_* and SAFE_PIP_* variables are left out and PIP_CONFIG_FILE');
    expect(kept.output).toContain('points at an empty file');
  });

  it('reports honestly what happened through safe-pip', () => {
    const root = kept.outcome.root;
    const fired = existsSync(join(root, 'marker-through-safe-pip', CANARY_MARKER_FILE));
    const downloaded = existsSync(join(root, 'through-safe-pip', CANARY_FILENAME));
    expect(kept.outcome.safe.marker !== null).toBe(fired);
    expect(kept.outcome.safe.downloaded).toBe(downloaded);
    if (fired) {
      expect(kept.output).toContain("The package's build code RAN through safe-pip too");
      expect(kept.output).toContain('Result: safe-pip did NOT show its protection');
      expect(kept.outcome.exitCode).toBe(1);
    } else if (downloaded && kept.outcome.safe.exitCode === 0) {
      expect(kept.output).toContain(`The build code did NOT run, and ${CANARY_FILENAME} was still downloaded`);
      expect(kept.outcome.exitCode).toBe(0);
    } else {
      expect(kept.output).toContain('the download did not succeed either');
      expect(kept.outcome.exitCode).toBe(1);
    }
  });

  // Skipped (with the reason) only while `bin/pip download` of the canary still runs its code.
  it('safe-pip prevents it: no marker, the same sdist downloaded, exit 0', (context) => {
    const root = kept.outcome.root;
    if (existsSync(join(root, 'marker-through-safe-pip', CANARY_MARKER_FILE))) {
      context.skip('bin/pip download still runs the canary build code: the protection is not in place yet');
    }
    const viaSafePip = readFileSync(join(root, 'through-safe-pip', CANARY_FILENAME));
    const viaPlainPip = readFileSync(join(root, 'plain-pip', CANARY_FILENAME));
    expect(viaSafePip.equals(viaPlainPip)).toBe(true);
    expect(kept.outcome.safe.exitCode).toBe(0);
    expect(kept.outcome.exitCode).toBe(0);
    expect(kept.output).toContain("Result: plain pip ran the package's code just to download it; safe-pip gave you the same file without running it.");
  });

  it('step 3, the .pth wheel: plain pip installs it and a start-up runs its line; through safe-pip it is refused', () => {
    const pth = kept.outcome.pth;
    expect(pth, kept.output).not.toBeNull();
    expect(pth!.plain.installed).toBe(true);
    expect(pth!.plain.marker).not.toBeNull();
    expect(existsSync(pth!.plain.marker!)).toBe(true);
    expect(pth!.safe.installed).toBe(false);
    expect(pth!.safe.marker).toBeNull();
    expect(pth!.safe.exitCode).toBe(42);
    expect(kept.output).toContain('3. A wheel that runs code at every Python start-up');
    expect(kept.output).toContain('and the next Python start-up RAN its line');
    expect(kept.output).toContain('Through safe-pip: refused before pip ran (exit status 42); nothing installed, nothing ran.');
  });

  it('--keep keeps the folder and says where it is', () => {
    expect(kept.outcome.kept).toBe(true);
    expect(existsSync(kept.outcome.root)).toBe(true);
    expect(kept.output).toContain(`Kept ${kept.outcome.root} for inspection (--keep)`);
    rmSync(kept.outcome.root, { recursive: true, force: true });
  });

  it('without --keep nothing is left behind and the index server is closed', async () => {
    expect(cleaned.outcome.plain.marker).not.toBeNull();
    expect(readdirSync(cleaned.tmpBase)).toEqual([]);
    expect(cleaned.output).toContain(`Cleaned up: removed ${cleaned.outcome.root} and stopped the index server.`);
    expect(await portIsClosed(cleaned.outcome.indexPort)).toBe(true);
    expect(await portIsClosed(kept.outcome.indexPort)).toBe(true);
  });

  it('a "safe-pip" that only passes pip through is reported as not protecting, with exit 1', async () => {
    // Stands in for a safe-pip without the protection: the demo must say the code ran.
    const passThrough = writeExecutable(join(makeTempDir('demo-fake-launcher-'), 'pip'), '#!/bin/sh\nexec "$SAFE_PIP_REAL_PIP" "$@"\n');
    const run = await runDemoOnce(false, passThrough);
    expect(run.outcome.safe.marker).not.toBeNull();
    expect(run.output).toContain("The package's build code RAN through safe-pip too: it wrote ");
    expect(run.output).toContain('Result: safe-pip did NOT show its protection in this run (see above).');
    expect(run.outcome.exitCode).toBe(1);
    expect(readdirSync(run.tmpBase)).toEqual([]);
  });

  it('an unknown argument is a usage error (before anything is made)', async () => {
    const error = await runDemo(['--bogus'], { env: childEnv(), realPipHandOff: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafePipError);
    expect((error as SafePipError).exitCode).toBe(EXIT_USAGE);
  });
});
