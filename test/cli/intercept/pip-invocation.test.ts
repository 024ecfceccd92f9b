// What the real pip receives once safe-pip has rewritten a command line (src/cli/intercept/
// pip-invocation.ts), checked exactly with a recording stand-in for pip: the download hand-off
// (user argv minus requirements + `-r <pins> --no-deps --only-binary=:all:`, and the pins file's
// text: wheels safe-pip staged as `name @ file:///…`, removed again when safe-pip exits),
// install/wheel with `--only-binary=:all:` last (install of index wheels with the staging options
// before it), sanitized requirements trees (their text, nested
// references still working), PIP_REQUIREMENT overrides, allowed builds, and `--`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, PLAIN_PIP_ENV, type RunResult } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { SAFE_PIP, startVectorWorld, type VectorWorld } from '../../policy/vector-world.js';
import { createRecordingPip, type RecordedCall, type RecordingPip } from './recording-pip.js';
import { withoutStagingArgs } from '../../helpers/staging-options.js';

let world: VectorWorld;
let pip: RecordingPip;
beforeAll(async () => {
  world = await startVectorWorld();
  pip = createRecordingPip(makeTempDir('recording-pip-'));
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => {
  writeFileSync(pip.logFile, '');
  truncateSync(pip.logFile);
});

async function safePip(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<RunResult> {
  return runCommand(SAFE_PIP, ['pip', ...args], {
    env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: pip.path, ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

/** The single call pip received (the interpreter probe reads the shebang: it never calls pip). */
function onlyCall(result: RunResult): RecordedCall {
  const calls = pip.calls();
  expect(calls, `${result.stdout}\n${result.stderr}`).toHaveLength(1);
  return calls[0]!;
}

const text = (s: string): string => s.replace(/^\ufeff/, '');

/** An install whose closure is all index wheels also gets the staging options (staging-options.ts), checked and removed. */
function withoutStaging(argv: readonly string[]): string[] {
  return withoutStagingArgs(argv).rest;
}


function writeTree(entries: Record<string, string>): string {
  const dir = makeTempDir('reqs-');
  for (const [path, content] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * A pins line for a wheel safe-pip staged: `name @ file:///<private dir>/<wheel>` plus options.
 * Returns the options part; the staged file must be gone once safe-pip has exited.
 */
function stagedPin(line: string, name: string, filename: string): string {
  const match = /^(\S+) @ (file:\/\/\S+)(.*)$/.exec(line);
  expect(match, line).not.toBeNull();
  const [, pinned, url, rest] = match!;
  expect(pinned).toBe(name);
  const path = fileURLToPath(url!);
  expect(basename(path)).toBe(filename);
  expect(path).toMatch(/([/\\]safe-pip-wheels-[^/\\]+|[/\\]staged-wheels)[/\\]/);
  expect(existsSync(path), `${path} left behind`).toBe(false);
  return rest!;
}

const pinLines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** The value after `-r` in argv, and that file's recorded text. */
function requirementFile(call: RecordedCall, occurrence = 0): { path: string; text: string } {
  const positions = call.argv.flatMap((a, i) => (a === '-r' ? [i] : []));
  const path = call.argv[positions[occurrence]! + 1]!;
  const recorded = call.files[path];
  expect(recorded, `no recorded file ${path}`).toBeDefined();
  return { path, text: text(recorded!) };
}

describe('download: the pinned hand-off', () => {
  it('a wheel with an sdist-only dependency: pip gets the wheel pinned, safe-pip fetched the sdist', async () => {
    const dest = makeTempDir('dest-');
    const result = await safePip(['download', '-d', dest, '-i', world.index, 'app']);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const pins = requirementFile(call);
    expect(call.argv).toEqual(['download', '-d', dest, '-i', world.index, '-r', pins.path, '--no-deps', '--only-binary=:all:']);
    // The wheel was staged by safe-pip and handed over as a local file.
    expect(pinLines(pins.text)).toHaveLength(1);
    expect(stagedPin(pinLines(pins.text)[0]!, 'app', world.dists.app!.filename)).toBe('');
    // safe-pip's own fetch happened before pip ran (the recording pip saves nothing).
    expect(readdirSync(dest)).toEqual([world.dists.canary!.filename]);
  });
  it('every requirement source leaves the command line: positionals, -r, -c', async () => {
    const dir = writeTree({ 'r.txt': 'host\n', 'c.txt': 'tiny==1.0\n' });
    const dest = makeTempDir('dest-');
    const result = await safePip(['download', '-c', join(dir, 'c.txt'), '-d', dest, '-r', join(dir, 'r.txt'), '-i', world.index, 'tiny', '--no-cache-dir']);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const pins = requirementFile(call);
    expect(call.argv).toEqual(['download', '-d', dest, '-i', world.index, '--no-cache-dir', '-r', pins.path, '--no-deps', '--only-binary=:all:']);
    const lines = pinLines(pins.text).sort();
    expect(lines).toHaveLength(2);
    stagedPin(lines[0]!, 'host', world.dists.host!.filename);
    stagedPin(lines[1]!, 'tiny', world.dists.tiny!.filename);
  });
  it('hash-checking mode: the pins carry the user\'s hashes', async () => {
    const dir = writeTree({ 'r.txt': `tiny==1.0 --hash=sha256:${world.dists.tiny!.sha256}\n` });
    const dest = makeTempDir('dest-');
    const result = await safePip(['download', '--require-hashes', '-d', dest, '-i', world.index, '-r', join(dir, 'r.txt')]);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const pins = requirementFile(call);
    expect(call.argv).toEqual(['download', '--require-hashes', '-d', dest, '-i', world.index, '-r', pins.path, '--no-deps', '--only-binary=:all:']);
    expect(pinLines(pins.text)).toHaveLength(1);
    // pip checks the user's hash on the staged file.
    expect(stagedPin(pinLines(pins.text)[0]!, 'tiny', world.dists.tiny!.filename)).toBe(` --hash=sha256:${world.dists.tiny!.sha256}`);
  });
  it('a wheel URL the user named is handed to pip in the pins file', async () => {
    const url = world.server.fileUrl(world.dists.tiny!.filename);
    const dest = makeTempDir('dest-');
    const result = await safePip(['download', '-d', dest, '-i', world.index, url]);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const pins = requirementFile(call);
    expect(call.argv).toEqual(['download', '-d', dest, '-i', world.index, '-r', pins.path, '--no-deps', '--only-binary=:all:']);
    expect(pins.text.split('\n')).toContain(url);
  });
  it('`--` ends options: the requirements after it are removed, the appended options stay options', async () => {
    const dest = makeTempDir('dest-');
    const result = await safePip(['download', '-d', dest, '-i', world.index, '--', 'tiny']);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const pins = requirementFile(call);
    expect(call.argv.slice(0, 8)).toEqual(['download', '-d', dest, '-i', world.index, '-r', pins.path, '--no-deps']);
    expect(call.argv).toContain('--only-binary=:all:');
    expect(call.argv).not.toContain('tiny');
    // Whatever follows a `--`, if anything, must not be one of our options.
    const dashDash = call.argv.indexOf('--');
    if (dashDash !== -1) expect(call.argv.slice(dashDash + 1)).toEqual([]);
    expect(stagedPin(pinLines(pins.text)[0]!, 'tiny', world.dists.tiny!.filename)).toBe('');
  });
  it('only sdists: pip is not run at all', async () => {
    const dest = makeTempDir('dest-');
    const result = await safePip(['download', '-d', dest, '-i', world.index, 'canary']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(pip.calls()).toEqual([]);
    expect(readdirSync(dest)).toEqual([world.dists.canary!.filename]);
  });
});

describe('install / wheel: --only-binary=:all: last', () => {
  it('install: the user argv unchanged, --only-binary=:all: appended', async () => {
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--target', dest, '-i', world.index, 'tiny', 'newer']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(withoutStaging(onlyCall(result).argv)).toEqual(['install', '--target', dest, '-i', world.index, 'tiny', 'newer', '--only-binary=:all:']);
  });
  it('the user\'s own --no-binary comes before ours, so ours wins', async () => {
    const result = await safePip(['wheel', '-w', makeTempDir('dest-'), '-i', world.index, '--only-binary', ':all:', '--no-binary', 'both', 'both']);
    expect(result.exitCode, result.stderr).toBe(0);
    const argv = onlyCall(result).argv;
    expect(argv.at(-1)).toBe('--only-binary=:all:');
    expect(argv.indexOf('--no-binary')).toBeLessThan(argv.length - 1);
  });
  it('`--` then a requirement: --only-binary=:all: goes before the `--`', async () => {
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--target', dest, '-i', world.index, '--', 'tiny']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(withoutStaging(onlyCall(result).argv)).toEqual(['install', '--target', dest, '-i', world.index, '--only-binary=:all:', '--', 'tiny']);
  });
  it('an allowed build is its own step (pip wheel --no-deps, binary-only but for that project); the flag stripped', async () => {
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--safe-pip-allow-build', 'canary', '--target', dest, '-i', world.index, 'app']);
    // The stand-in builds nothing, so safe-pip stops after the step: the main run never starts.
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/pip built canary==1\.0 but left no wheel for canary/);
    const call = onlyCall(result);
    const wheelDir = call.argv[call.argv.indexOf('--wheel-dir') + 1]!;
    expect(call.argv).toEqual([
      'wheel', '--no-deps', '--wheel-dir', wheelDir, '--index-url', world.index, '--only-binary=:all:', '--no-binary=canary', 'canary==1.0',
    ]);
    expect(call.argv).not.toContain('--safe-pip-allow-build');
    // The user's requirement sources are switched off for the step.
    expect(call.env).toMatchObject({ PIP_REQUIREMENT: '', PIP_CONSTRAINT: '', PIP_EDITABLE: '' });
  });
  it('a refusal: pip is never called', async () => {
    const result = await safePip(['install', '--target', makeTempDir('dest-'), '-i', world.index, 'app']);
    expect(result.exitCode).toBe(42);
    expect(pip.calls()).toEqual([]);
  });
  it('SAFE_PIP_DISABLE=1: pip receives the argv exactly as written', async () => {
    const args = ['install', '--target', '/nonexistent/x', '-i', world.index, '--no-binary', ':all:', 'canary'];
    const result = await safePip(args, { env: { SAFE_PIP_DISABLE: '1' } });
    expect(result.exitCode).toBe(0);
    expect(onlyCall(result).argv).toEqual(args);
  });
});

describe('sanitized requirements trees', () => {
  it('install -r: the --no-binary line is blanked in a copy; the requirement lines are kept', async () => {
    const dir = writeTree({ 'requirements.txt': '# pinned\n--no-binary both\nboth==1.0\ntiny\n' });
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--target', dest, '-i', world.index, '-r', join(dir, 'requirements.txt')]);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const copy = requirementFile(call);
    expect(copy.path).not.toBe(join(dir, 'requirements.txt'));
    expect(withoutStaging(call.argv)).toEqual(['install', '--target', dest, '-i', world.index, '-r', copy.path, '--only-binary=:all:']);
    expect(copy.text).toBe('# pinned\n\nboth==1.0\ntiny\n');
    expect(result.stderr).toMatch(/safe-pip: ignored .*requirements\.txt line 2 \(--no-binary both\)/);
  });
  it('nested files: every file copied, the relative reference still resolves to the copy', async () => {
    const dir = writeTree({
      'requirements.txt': '-r sub/inner.txt\ntiny\n',
      'sub/inner.txt': '--no-binary :all:\n-c constraints.txt\nboth\n',
      'sub/constraints.txt': 'both==1.0\n',
    });
    const result = await safePip(['wheel', '-w', makeTempDir('dest-'), '-i', world.index, '-r', 'requirements.txt'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const root = requirementFile(call);
    const files = Object.entries(call.files).map(([path, t]) => [path, text(t)] as const);
    // The root copy, the inner copy (its --no-binary line blanked) and the constraints copy, all outside the user's dir.
    expect(files).toHaveLength(3);
    for (const [path] of files) expect(path.startsWith(dir)).toBe(false);
    const inner = files.find(([, t]) => t.includes('both\n') && t.includes('constraints'))!;
    expect(inner[1]).toMatch(/^\n-c \S*constraints\.txt\nboth\n$/);
    expect(files.find(([, t]) => t === 'both==1.0\n')).toBeDefined();
    expect(root.text).toMatch(/^-r \S*inner\.txt\ntiny\n$/);
  });
  it('a constraints file with --no-binary is sanitized too', async () => {
    const dir = writeTree({ 'c.txt': '--no-binary both\nboth==1.0\n' });
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--target', dest, '-i', world.index, '-c', join(dir, 'c.txt'), 'both']);
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    const index = call.argv.indexOf('-c');
    const copy = call.argv[index + 1]!;
    expect(copy).not.toBe(join(dir, 'c.txt'));
    expect(text(call.files[copy]!)).toBe('\nboth==1.0\n');
    expect(call.argv.at(-1)).toBe('--only-binary=:all:');
  });
  it('PIP_REQUIREMENT naming a file with --no-binary: overridden through the environment', async () => {
    const dir = writeTree({ 'r.txt': '--no-binary both\nboth\n' });
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--target', dest, '-i', world.index], { env: { PIP_REQUIREMENT: join(dir, 'r.txt') } });
    expect(result.exitCode, result.stderr).toBe(0);
    const call = onlyCall(result);
    expect(withoutStaging(call.argv)).toEqual(['install', '--target', dest, '-i', world.index, '--only-binary=:all:']);
    const replaced = call.env.PIP_REQUIREMENT!;
    expect(replaced).not.toBe(join(dir, 'r.txt'));
    expect(text(call.files[replaced]!)).toBe('\nboth\n');
  });
  it('a requirements file without such lines is handed over as it is', async () => {
    const dir = writeTree({ 'r.txt': 'tiny\n' });
    const dest = makeTempDir('dest-');
    const result = await safePip(['install', '--target', dest, '-i', world.index, '-r', join(dir, 'r.txt')]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(withoutStaging(onlyCall(result).argv)).toEqual(['install', '--target', dest, '-i', world.index, '-r', join(dir, 'r.txt'), '--only-binary=:all:']);
  });
});
