// `safe-pip demo` (issue 5 §4): the README's first command. With no network at all it shows that
// a plain `pip download` runs a package's build code and that the same command through safe-pip
// does not, then removes everything it made. It reports what it observed, never what it expects:
// if the marker file appears through safe-pip too, it says so and exits 1.
//
// Steps: find the real pip (as every safe-pip command does); build the canary sdist
// (canary-sdist.ts) and serve it on 127.0.0.1 (demo-index.ts); run
//   <real pip> download --no-deps --no-cache-dir -d <tmp>/plain -i <index> canary-demo
// then the same through this package's bin/pip with SAFE_PIP_REAL_PIP=<real pip>; look for the
// canary's marker file and the downloaded sdist after each. Both runs get the user's environment
// minus every PIP_* / SAFE_PIP_* variable, PIP_CONFIG_FILE pointing at an empty file (so no
// user or site config applies), no pip self-version check, 127.0.0.1 added to no_proxy, and
// safe-pip's cache in the temp folder. Ctrl-C stops pip and still cleans up.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../cli/context.js';
import { SafePipError } from '../errors.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { findRealPip } from '../io/real-pip.js';
import { currentDepth, guardedEnvironment, RECURSION_GUARD_VAR } from '../io/real-pip-guard.js';
import { packageLauncherDir } from '../setup/command-io.js';
import { buildCanarySdist, CANARY_DIR_VAR, CANARY_FILENAME, CANARY_MARKER_FILE, CANARY_NAME } from './canary-sdist.js';
import { startDemoIndex } from './demo-index.js';
import { buildPthDemoWheel, pthDemo, PTH_DEMO_FILENAME, PTH_DEMO_NAME, type PthDemoRun } from './startup-code-demo.js';
import { findPipInterpreter } from '../io/interpreter-probe.js';

export const DEMO_USAGE = `usage: safe-pip demo [--keep]

Shows, with no network, what safe-pip is for: a local index on 127.0.0.1 serves a harmless sdist
whose build code writes a file; plain \`pip download\` runs that code, the same command through
safe-pip does not. Everything it makes is removed afterwards.

Options:
  --keep      keep the temporary folder (downloads, marker files) for inspection
  -h, --help  show this help

Environment:
  SAFE_PIP_REAL_PIP=/path/to/pip  the real pip both runs use (default: the next pip on PATH)
  TMPDIR                          where the temporary folder is made
  NO_PROXY, no_proxy              kept, with 127.0.0.1 added
  Both pip runs get your environment without any PIP_* or SAFE_PIP_* variable and with an empty
  pip config file, so nothing of your pip set-up changes what the demo shows.

Exit status:
  0   safe-pip downloaded the sdist without running its code
  1   otherwise (what each run did is printed)
  2   a usage error
  43  no real pip was found or it could not be started
  70  a bug in safe-pip
`;

const PIP_TIMEOUT_MS = 180_000;

interface TextSink {
  write(text: string): unknown;
}

export interface DemoOptions {
  env: NodeJS.ProcessEnv;
  realPipHandOff?: string | undefined;
  keep?: boolean;
  out: TextSink;
  /** Where the temporary folder is made (default: the OS temp dir). */
  tmpBase?: string;
  /** The safe-pip launcher to run (default: this package's bin/pip). */
  launcher?: string;
}

export interface DemoRun {
  argv: string[];
  exitCode: number;
  /** The canary's marker file, when its code ran. */
  marker: string | null;
  downloaded: boolean;
  output: string;
}

export interface DemoOutcome {
  exitCode: number;
  root: string;
  kept: boolean;
  indexPort: number;
  plain: DemoRun;
  safe: DemoRun;
  /** Step 3, a wheel with a `.pth` start-up line; null when that step could not run. */
  pth: { plain: PthDemoRun; safe: PthDemoRun } | null;
}

/** The CLI entry (same shape as the other subcommands in src/cli/subcommands.ts). */
export async function runDemo(args: readonly string[], context: CliContext): Promise<number> {
  let keep = false;
  for (const arg of args) {
    if (arg === '--keep') keep = true;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(DEMO_USAGE);
      return EXIT_OK;
    } else {
      throw new SafePipError(`demo: unknown argument "${arg}"`, { hint: 'usage: safe-pip demo [--keep]', exitCode: EXIT_USAGE });
    }
  }
  return (await demo({ env: context.env, realPipHandOff: context.realPipHandOff, keep, out: process.stdout })).exitCode;
}

/** The environment both pip runs start from (see the header). */
export function demoEnvironment(env: NodeJS.ProcessEnv, emptyConfig: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || key.startsWith('PIP_') || key.startsWith('SAFE_PIP_') || key === CANARY_DIR_VAR) continue;
    result[key] = value;
  }
  const depth = currentDepth(env);
  if (depth > 0) result[RECURSION_GUARD_VAR] = String(depth);
  result.PIP_CONFIG_FILE = emptyConfig;
  result.PIP_DISABLE_PIP_VERSION_CHECK = '1';
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  result.no_proxy = result.NO_PROXY = noProxy === '' ? '127.0.0.1' : `127.0.0.1,${noProxy}`;
  return result;
}

async function runCaptured(
  file: string,
  argv: string[],
  env: Record<string, string>,
  onStart: (kill: () => void) => void,
): Promise<{ exitCode: number; output: string }> {
  const { execa } = await import('execa');
  const subprocess = execa(file, argv, { env, extendEnv: false, all: true, reject: false, stdin: 'ignore', timeout: PIP_TIMEOUT_MS });
  onStart(() => subprocess.kill('SIGTERM'));
  const result = await subprocess;
  const output = typeof result.all === 'string' ? result.all : '';
  if (typeof result.exitCode === 'number') return { exitCode: result.exitCode, output };
  return { exitCode: -1, output: `${output}\n${result.timedOut ? `timed out after ${PIP_TIMEOUT_MS / 1000} s` : (result.originalMessage ?? result.shortMessage)}` };
}

/**
 * Step 3: a wheel whose `.pth` file has an `import` line, which Python runs at every start-up once
 * the wheel is installed — no build needed. Plain pip installs it and a start-up runs the line;
 * through safe-pip the install is refused (docs/beyond-pip.md). Null when it could not be set up.
 */
async function pthStep(
  out: TextSink,
  context: { root: string; realPip: string; launcher: string; base: Record<string, string>; env: NodeJS.ProcessEnv; setKill: (kill: (() => void) | undefined) => void },
): Promise<{ plain: PthDemoRun; safe: PthDemoRun } | null> {
  const wheel = buildPthDemoWheel();
  const index = await startDemoIndex(PTH_DEMO_NAME, wheel);
  try {
    const python = await findPipInterpreter(context.realPip, context.env);
    out.write(`3. A wheel that runs code at every Python start-up (${PTH_DEMO_FILENAME} ships a .pth file with an import line):\n`);
    out.write(`   $ pip install --target DIR -i ${index.url} ${PTH_DEMO_NAME}, then a Python start-up that reads DIR\n`);
    const result = await pthDemo({
      indexUrl: index.url,
      realPip: context.realPip,
      python,
      launcher: context.launcher,
      root: context.root,
      env: { ...context.base, SAFE_PIP_CACHE_DIR: join(context.root, 'safe-pip-cache') },
      run: async (file, argv, env) => {
        const ran = await runCaptured(file, argv, env, context.setKill);
        context.setKill(undefined);
        return ran;
      },
    });
    out.write(
      result.plain.marker !== null
        ? `   Plain pip installed it, and the next Python start-up RAN its line: it wrote ${result.plain.marker}\n`
        : `   Plain pip: the line did not run here (exit status ${result.plain.exitCode}).\n`,
    );
    out.write(
      result.safe.marker === null && !result.safe.installed
        ? `   Through safe-pip: refused before pip ran (exit status ${result.safe.exitCode}); nothing installed, nothing ran.\n`
        : `   Through safe-pip the wheel was installed (exit status ${result.safe.exitCode}); see \`safe-pip doctor\`.\n`,
    );
    return result;
  } catch (error) {
    out.write(`3. The .pth step could not run: ${(error as Error).message}\n`);
    return null;
  } finally {
    await index.close();
  }
}

function tail(output: string, lines = 12): string {
  const all = output.trimEnd().split('\n');
  return all.slice(-lines).map((line) => `     | ${line}`).join('\n');
}

export async function demo(options: DemoOptions): Promise<DemoOutcome> {
  const out = options.out;
  const realPip = await findRealPip({ env: options.env, handOff: options.realPipHandOff });
  const launcher = options.launcher ?? join(packageLauncherDir(), 'pip');
  const root = mkdtempSync(join(options.tmpBase ?? tmpdir(), 'safe-pip-demo-'));
  let kill: (() => void) | undefined;
  let index: Awaited<ReturnType<typeof startDemoIndex>> | undefined;
  const cleanUpNow = (): void => {
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  };
  // Ctrl-C or a kill: stop pip, then remove the folder before exiting as the signal would.
  const onSignal = (signal: NodeJS.Signals): void => {
    kill?.();
    void index?.close();
    cleanUpNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const emptyConfig = join(root, 'empty-pip.conf');
    writeFileSync(emptyConfig, '');
    const sdist = await buildCanarySdist(join(root, 'markers-unnamed'));
    index = await startDemoIndex(CANARY_NAME, sdist);
    const base = demoEnvironment(options.env, emptyConfig);

    out.write(
      [
        'safe-pip demo: a package whose code runs during a plain `pip download`, with and without safe-pip.',
        `No network: the package index is a local server at ${index.url}, serving`,
        `${CANARY_FILENAME}, a harmless sdist whose build code writes one file into a temporary folder.`,
        `Real pip: ${realPip}. Your PIP_* and SAFE_PIP_* variables are left out and PIP_CONFIG_FILE`,
        'points at an empty file (pip version check off), so your settings cannot change the outcome.',
        '',
        '',
      ].join('\n'),
    );

    const step = async (label: string, how: 'plain' | 'safe'): Promise<DemoRun> => {
      const dest = join(root, how === 'plain' ? 'plain-pip' : 'through-safe-pip');
      const markers = join(root, how === 'plain' ? 'marker-plain-pip' : 'marker-through-safe-pip');
      mkdirSync(dest);
      const argv = ['download', '--no-deps', '--no-cache-dir', '-d', dest, '-i', index!.url, CANARY_NAME];
      out.write(`${label}\n   $ pip ${argv.join(' ')}\n`);
      const env =
        how === 'plain'
          ? { ...(guardedEnvironment(base) as Record<string, string>), [CANARY_DIR_VAR]: markers }
          : { ...base, [CANARY_DIR_VAR]: markers, SAFE_PIP_REAL_PIP: realPip, SAFE_PIP_CACHE_DIR: join(root, 'safe-pip-cache') };
      const result = await runCaptured(how === 'plain' ? realPip : launcher, argv, env, (k) => (kill = k));
      kill = undefined;
      const markerFile = join(markers, CANARY_MARKER_FILE);
      return {
        argv,
        exitCode: result.exitCode,
        marker: existsSync(markerFile) ? markerFile : null,
        downloaded: existsSync(join(dest, CANARY_FILENAME)),
        output: result.output,
      };
    };

    const plain = await step('1. Plain pip:', 'plain');
    if (plain.marker !== null) {
      out.write(`   The package's build code RAN: it wrote ${plain.marker}\n`);
      out.write(`   (pip exit status ${plain.exitCode}; ${plain.downloaded ? `${CANARY_FILENAME} downloaded` : 'nothing downloaded'})\n`);
    } else {
      out.write(`   The build code did not run with this pip (exit status ${plain.exitCode}); its output ends:\n${tail(plain.output)}\n`);
    }
    if (plain.exitCode !== 0 && plain.marker !== null) out.write(`   pip's output ends:\n${tail(plain.output)}\n`);

    out.write('\n');
    const safe = await step(`2. The same command through safe-pip (${launcher}):`, 'safe');
    let exitCode: number = EXIT_ERROR;
    if (safe.marker !== null) {
      out.write(`   The package's build code RAN through safe-pip too: it wrote ${safe.marker}\n`);
      out.write(`   (exit status ${safe.exitCode}). This safe-pip does not protect \`pip download\` here; see \`safe-pip doctor\`.\n`);
    } else if (!safe.downloaded || safe.exitCode !== 0) {
      out.write(`   The build code did not run, but the download did not succeed either (exit status ${safe.exitCode}); the output ends:\n${tail(safe.output)}\n`);
    } else {
      out.write(`   The build code did NOT run, and ${CANARY_FILENAME} was still downloaded, unbuilt.\n`);
      exitCode = EXIT_OK;
    }
    out.write('\n');
    const pth = await pthStep(out, { root, realPip, launcher, base, env: options.env, setKill: (k) => (kill = k) });
    if (pth !== null && (pth.safe.marker !== null || pth.safe.installed)) exitCode = EXIT_ERROR;
    out.write('\n');
    if (exitCode === EXIT_OK) {
      out.write(
        plain.marker !== null
          ? 'Result: plain pip ran the package\'s code just to download it; safe-pip gave you the same file without running it.\n'
          : 'Result: safe-pip downloaded the file without running its code (this pip did not run it either).\n',
      );
    } else {
      out.write('Result: safe-pip did NOT show its protection in this run (see above).\n');
    }
    return { exitCode, root, kept: options.keep === true, indexPort: index.port, plain, safe, pth };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    kill?.();
    await index?.close();
    if (options.keep) {
      out.write(`Kept ${root} for inspection (--keep); remove it when done. The index server is stopped.\n`);
    } else {
      cleanUpNow();
      out.write(`Cleaned up: removed ${root} and stopped the index server.\n`);
    }
  }
}
