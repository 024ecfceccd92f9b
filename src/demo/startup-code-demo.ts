// The `.pth` case for `safe-pip demo`: a harmless wheel whose `pth_demo.pth` holds one line that
// site.py executes at every Python start-up (no build, no import of the package needed). Plain
// `pip install --target DIR` installs it, and `python -S -c "import site; site.addsitedir(DIR)"`
// (what every start-up does for site-packages) runs the line, which writes a marker file; the same
// install through safe-pip is refused before pip starts, and DIR stays empty.
//
// The wheel is written without yazl (a development dependency only): stored (uncompressed) zip
// members (stored-zip.ts), RECORD with sha256 digests, as
// https://packaging.python.org/en/latest/specifications/binary-distribution-format/ asks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { storedZip, UTF8_NAME_FLAG } from './stored-zip.js';

export const PTH_DEMO_NAME = 'pth-demo';
export const PTH_DEMO_VERSION = '1.0';
export const PTH_DEMO_FILENAME = 'pth_demo-1.0-py3-none-any.whl';
export const PTH_DEMO_MARKER_VAR = 'SAFE_PIP_PTH_DEMO_MARKER';
export const PTH_DEMO_MARKER_FILE = 'pth-demo-startup-code-ran.txt';

/** The one executed line: writes the marker named by SAFE_PIP_PTH_DEMO_MARKER, when it is set. */
export const PTH_DEMO_LINE = `import os; p = os.environ.get("${PTH_DEMO_MARKER_VAR}"); p and open(p, "w").write("written by a .pth line at Python start-up\\n")`;

export interface DemoWheel {
  filename: string;
  data: Buffer;
  sha256: string;
}

/** The demo wheel, in memory. */
export function buildPthDemoWheel(): DemoWheel {
  const distInfo = `pth_demo-${PTH_DEMO_VERSION}.dist-info`;
  const members: Record<string, Buffer> = {
    'pth_demo/__init__.py': Buffer.from('"""Harmless package made by `safe-pip demo`."""\n'),
    'pth_demo.pth': Buffer.from(`${PTH_DEMO_LINE}\n`),
    [`${distInfo}/METADATA`]: Buffer.from(`Metadata-Version: 2.1\nName: ${PTH_DEMO_NAME}\nVersion: ${PTH_DEMO_VERSION}\nSummary: harmless .pth demo made by safe-pip demo\n\n`),
    [`${distInfo}/WHEEL`]: Buffer.from('Wheel-Version: 1.0\nGenerator: safe-pip-demo\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n'),
  };
  const record = Object.entries(members).map(([path, data]) => `${path},sha256=${createHash('sha256').update(data).digest('base64url')},${data.length}`);
  record.push(`${distInfo}/RECORD,,`);
  members[`${distInfo}/RECORD`] = Buffer.from(`${record.join('\n')}\n`);
  const data = storedZip(Object.entries(members).map(([name, bytes]) => ({ name: Buffer.from(name, 'utf8'), data: bytes, flags: UTF8_NAME_FLAG })));
  return { filename: PTH_DEMO_FILENAME, data, sha256: createHash('sha256').update(data).digest('hex') };
}

export interface PthDemoRun {
  exitCode: number;
  /** The marker file, when the .pth line ran. */
  marker: string | null;
  /** Whether pth_demo.pth landed in the target directory. */
  installed: boolean;
  output: string;
}

export interface PthDemoOptions {
  /** Index URL serving PTH_DEMO_NAME (e.g. startDemoIndex(PTH_DEMO_NAME, buildPthDemoWheel())). */
  indexUrl: string;
  /** The real pip, and the Python it runs under (interpreter-probe.ts findPipInterpreter). */
  realPip: string;
  python: string;
  /** The safe-pip launcher (bin/pip). */
  launcher: string;
  /** An empty folder for targets and markers. */
  root: string;
  /** The demo's environment (run-demo.ts demoEnvironment; SAFE_PIP_REAL_PIP is added here). */
  env: Record<string, string>;
  /** How to run a command (run-demo.ts runCaptured). */
  run: (file: string, argv: string[], env: Record<string, string>) => Promise<{ exitCode: number; output: string }>;
}

/**
 * Plain pip installs the wheel and a start-up (site.addsitedir) runs its line; then the same
 * install through safe-pip. Returns what was observed, never what was expected.
 */
export async function pthDemo(options: PthDemoOptions): Promise<{ plain: PthDemoRun; safe: PthDemoRun }> {
  const attempt = async (how: 'plain' | 'safe'): Promise<PthDemoRun> => {
    const target = join(options.root, `pth-${how}-target`);
    const markerDir = join(options.root, `pth-${how}-marker`);
    mkdirSync(target, { recursive: true });
    mkdirSync(markerDir, { recursive: true });
    const marker = join(markerDir, PTH_DEMO_MARKER_FILE);
    const argv = ['install', '--no-deps', '--no-cache-dir', '--target', target, '-i', options.indexUrl, PTH_DEMO_NAME];
    const env = how === 'plain' ? options.env : { ...options.env, SAFE_PIP_REAL_PIP: options.realPip };
    const result = await options.run(how === 'plain' ? options.realPip : options.launcher, argv, env);
    // A Python start-up that reads the target as a site directory: what site.py does for site-packages.
    const startup = await options.run(options.python, ['-S', '-c', 'import site, sys; site.addsitedir(sys.argv[1])', target], { ...options.env, [PTH_DEMO_MARKER_VAR]: marker });
    return { exitCode: result.exitCode, marker: existsSync(marker) ? marker : null, installed: existsSync(join(target, 'pth_demo.pth')), output: `${result.output}${startup.output}` };
  };
  const plain = await attempt('plain');
  const safe = await attempt('safe');
  return { plain, safe };
}
