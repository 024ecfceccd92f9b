// Canary proof for start-up code (issue 14 §1): a wheel needs no build to run code. Plain pip
// installs a wheel whose `.pth` holds an `import` line, and a Python start-up that reads the
// target as a site directory (site.addsitedir, what every start-up does for site-packages) runs
// it: the door is open. Through safe-pip the same install is refused before pip starts, quoting
// the file and the line, and nothing is written; allowed by name, it installs. `download` runs
// nothing, so there the same wheel is saved and reported: one warning line per finding once pip has
// saved it, stdout as without the finding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { BuiltDistribution } from '../helpers/archives.js';
import { buildWheel } from '../helpers/wheel-builder.js';
import { startIndexServer, type IndexServer } from '../helpers/index-server.js';
import { PLAIN_PIP_ENV, runCommand, runPlainPip } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP } from './vector-world.js';
import { buildPthDemoWheel, PTH_DEMO_MARKER_VAR, PTH_DEMO_NAME } from '../../src/demo/startup-code-demo.js';
import { inspectWheelStartupCode } from '../../src/io/wheel-startup-files.js';
import { fromBytes } from '../../src/resolve/random-access.js';

const EVIL_LINE = 'import os; open(os.environ["STARTUP_MARKER"], "w").close()';

let server: IndexServer;
let evilWheel: BuiltDistribution;
beforeAll(async () => {
  const evil = await buildWheel({ name: 'evil', version: '1.0', files: { 'evil/__init__.py': '', 'evil.pth': `${EVIL_LINE}\n` } });
  evilWheel = evil;
  const custom = await buildWheel({ name: 'custom', version: '1.0', files: { 'custom/__init__.py': '', 'sitecustomize.py': 'import os; open(os.environ["STARTUP_MARKER"], "w").close()\n' } });
  const demo = buildPthDemoWheel();
  const tiny = await buildWheel({ name: 'tiny', version: '1.0' });
  const app = await buildWheel({ name: 'app', version: '1.0', requiresDist: ['evil', 'tiny'] });
  server = await startIndexServer({ projects: { evil: [evil], custom: [custom], tiny: [tiny], app: [app], [PTH_DEMO_NAME]: [{ filename: demo.filename, data: demo.data }] } });
});
afterAll(async () => {
  await server?.close();
});

/**
 * A Python start-up reading `dir` as a site directory (site.addsitedir runs its .pth files), then
 * the `import sitecustomize` that site.main() does; returns whether the marker appeared.
 */
async function startUpWith(dir: string, markerVar = 'STARTUP_MARKER'): Promise<boolean> {
  const marker = join(makeTempDir('marker-'), 'ran');
  const script = 'import site, sys; site.addsitedir(sys.argv[1])\ntry:\n    import sitecustomize\nexcept ImportError:\n    pass';
  await execa('python3', ['-S', '-c', script, dir], { env: { ...process.env, [markerVar]: marker }, reject: false });
  return existsSync(marker);
}

async function safeInstall(project: string, env: Record<string, string> = {}) {
  const dest = makeTempDir('dest-safe-');
  const result = await runCommand(SAFE_PIP, ['pip', 'install', '--no-deps', '--target', dest, '-i', server.indexUrl(), project], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, ...env } });
  return { result, dest, files: readdirSync(dest) };
}

describe('plain pip: a wheel runs code at start-up with no build (the door is open)', () => {
  it('an import line in a .pth file runs when the site directory is read', async () => {
    const dest = makeTempDir('dest-plain-');
    const result = await runPlainPip(['install', '--no-deps', '--target', dest, '-i', server.indexUrl(), 'evil']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toContain('evil.pth');
    expect(await startUpWith(dest)).toBe(true);
  });
  it('a top-level sitecustomize.py runs at start-up', async () => {
    const dest = makeTempDir('dest-plain-');
    const result = await runPlainPip(['install', '--no-deps', '--target', dest, '-i', server.indexUrl(), 'custom']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await startUpWith(dest)).toBe(true);
  });
  it('the demo wheel (written without yazl) installs and its line runs too', async () => {
    const dest = makeTempDir('dest-plain-');
    const result = await runPlainPip(['install', '--no-deps', '--target', dest, '-i', server.indexUrl(), PTH_DEMO_NAME]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await startUpWith(dest, PTH_DEMO_MARKER_VAR)).toBe(true);
    expect(await inspectWheelStartupCode(fromBytes(buildPthDemoWheel().data, 'demo.whl'))).toEqual([expect.objectContaining({ file: 'pth_demo.pth', line: 1 })]);
  });
});

describe('through safe-pip: the door is shut', () => {
  it('install of the .pth wheel: refused (exit 42), file and line quoted, nothing written', async () => {
    const { result, files } = await safeInstall('evil');
    expect(result.exitCode, result.stderr).toBe(42);
    expect(result.stderr).toMatch(/^safe-pip: refused/m);
    expect(result.stderr).toContain(`evil.pth line 1: ${JSON.stringify(EVIL_LINE)}`);
    expect(result.stderr).toContain('SAFE_PIP_ALLOW_STARTUP_CODE=evil');
    expect(files).toEqual([]);
    expect(result.stdout).toBe('');
  });
  it('install of a wheel with a top-level sitecustomize.py: refused', async () => {
    const { result, files } = await safeInstall('custom');
    expect(result.exitCode, result.stderr).toBe(42);
    expect(result.stderr).toContain('sitecustomize.py: a top-level sitecustomize module is imported by site.py every time Python starts');
    expect(files).toEqual([]);
  });
  it('install of the wheel as a local file: refused too', async () => {
    const wheel = join(makeTempDir('wheel-file-'), evilWheel.filename);
    writeFileSync(wheel, evilWheel.data);
    const { result, files } = await safeInstall(wheel);
    expect(result.exitCode, result.stderr).toBe(42);
    expect(result.stderr).toContain('evil.pth line 1');
    expect(result.stderr).toMatch(/required by: command line/);
    expect(files).toEqual([]);
  });
  it('allowed with SAFE_PIP_ALLOW_STARTUP_CODE: installed as plain pip would', async () => {
    const { result, files } = await safeInstall('evil', { SAFE_PIP_ALLOW_STARTUP_CODE: 'evil' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(files).toContain('evil.pth');
  });
});

describe('download: saved, and reported once saved', () => {
  const DOWNLOAD_WARNING =
    'safe-pip: warning: evil-1.0-py3-none-any.whl carries code that Python runs at every start-up once installed, with no import needed: ' +
    `evil.pth line 1: ${JSON.stringify(EVIL_LINE)} (a .pth line starting with "import" is executed by site.py every time Python starts); ` +
    'installing it through safe-pip is refused unless allowed (set SAFE_PIP_ALLOW_STARTUP_CODE=evil, or put allow-startup-code = ["evil"] in ~/.config/safe-pip/config.toml)';

  async function safeDownload(requirements: string[], env: Record<string, string> = {}) {
    const dest = makeTempDir('dest-download-');
    const result = await runCommand(SAFE_PIP, ['pip', 'download', '-d', dest, '-i', server.indexUrl(), ...requirements], { env: { ...PLAIN_PIP_ENV, SAFE_PIP_REAL_PIP: REAL_PIP, ...env } });
    const scrub = (text: string): string => text.split(dest).join('<dest>').replace(/\/tmp\/safe-pip-run-[^/\s]+/g, '<run>');
    return { exitCode: result.exitCode, stdout: scrub(result.stdout), stderr: scrub(result.stderr), files: readdirSync(dest).sort() };
  }
  const startupLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.includes('start-up'));

  it('plain pip saves the wheel and says nothing about its .pth line', async () => {
    const dest = makeTempDir('dest-plain-');
    const result = await runPlainPip(['download', '-d', dest, '-i', server.indexUrl(), 'evil']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(dest)).toEqual([evilWheel.filename]);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/evil\.pth|start-up|startup/);
  });
  it('through safe-pip: saved as by plain pip (exit 0), then one warning line quoting the file and the line', async () => {
    const result = await safeDownload(['evil']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.files).toEqual([evilWheel.filename]);
    expect(startupLines(result.stderr)).toEqual([DOWNLOAD_WARNING]);
    expect(result.stderr.endsWith(`${DOWNLOAD_WARNING}\n`), 'said after pip has saved the file').toBe(true);
    // stdout is pip's own, the same as when the project is allowed (and nothing is reported).
    const allowed = await safeDownload(['evil'], { SAFE_PIP_ALLOW_STARTUP_CODE: 'evil' });
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(startupLines(allowed.stderr)).toEqual([]);
    expect(result.stdout).toBe(allowed.stdout);
    expect(result.stdout).toContain('Successfully downloaded evil');
  });
  it('a clean wheel: no line', async () => {
    const result = await safeDownload(['tiny']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.files).toEqual(['tiny-1.0-py3-none-any.whl']);
    expect(startupLines(result.stderr)).toEqual([]);
  });
  it('a dependency of the named project, among clean ones: only it is reported', async () => {
    const result = await safeDownload(['app']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.files).toEqual(['app-1.0-py3-none-any.whl', evilWheel.filename, 'tiny-1.0-py3-none-any.whl']);
    expect(startupLines(result.stderr)).toEqual([DOWNLOAD_WARNING]);
  });
  it('a wheel named by its path: reported too; sitecustomize.py is reported with its reason', async () => {
    const wheel = join(makeTempDir('wheel-file-'), evilWheel.filename);
    writeFileSync(wheel, evilWheel.data);
    const byPath = await safeDownload([wheel]);
    expect(byPath.exitCode, byPath.stderr).toBe(0);
    expect(byPath.files).toEqual([evilWheel.filename]);
    expect(startupLines(byPath.stderr)).toEqual([DOWNLOAD_WARNING]);
    const custom = await safeDownload(['custom']);
    expect(custom.exitCode, custom.stderr).toBe(0);
    expect(startupLines(custom.stderr)).toEqual([
      'safe-pip: warning: custom-1.0-py3-none-any.whl carries code that Python runs at every start-up once installed, with no import needed: ' +
        'sitecustomize.py: a top-level sitecustomize module is imported by site.py every time Python starts; ' +
        'installing it through safe-pip is refused unless allowed (set SAFE_PIP_ALLOW_STARTUP_CODE=custom, or put allow-startup-code = ["custom"] in ~/.config/safe-pip/config.toml)',
    ]);
  });
  it('-q: nothing extra is said', async () => {
    const result = await safeDownload(['-q', 'evil']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.files).toEqual([evilWheel.filename]);
    expect(result.stderr).toBe('');
  });
});
