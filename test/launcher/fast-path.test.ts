// The sh fast path (bin/safe-pip): a command that cannot build anything execs the real pip without
// starting Node; everything else — and every install/download/wheel/lock however it is spelled —
// reaches Node. Observed with a fake `node` first on PATH that records each start, and a fake pip
// that records its argv. The fast path's verdicts are then checked against pip's own parser.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDING_COMMANDS, buildingCommandWord, GENERAL_FLAGS, GENERAL_VALUE_OPTIONS, isPassthroughArgv, PASSTHROUGH_COMMANDS } from '../../src/cli/pip-commands.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ensureBuilt, envWith, parseFakePipOutput, run, writeFakeNode, writeFakePip } from './harness.js';

let fakeDir: string;
let nodeLog: string;

beforeAll(() => {
  ensureBuilt();
  fakeDir = makeTempDir('safe-pip-fast-path-');
  writeFakeNode(join(fakeDir, 'node-bin'));
  writeFakePip(join(fakeDir, 'pip-bin', 'pip'));
  writeFakePip(join(fakeDir, 'pip-bin', 'pip3'));
  nodeLog = join(fakeDir, 'node.log');
});
// Made in beforeAll, so makeTempDir can only promise removal at worker exit: remove it here.
afterAll(() => rmSync(fakeDir, { recursive: true, force: true }));

/** Runs `launcher args` and reports whether Node started and what the fake pip received. */
function launch(launcher: string, args: readonly string[], extraEnv: Record<string, string> = {}) {
  rmSync(nodeLog, { force: true });
  const env = envWith({
    PATH: `${BIN}:${join(fakeDir, 'node-bin')}:${join(fakeDir, 'pip-bin')}:/usr/bin:/bin`,
    FAKE_NODE_LOG: nodeLog,
    // The Node path is checked for reaching Node and running pip with the argv unchanged; the
    // policy it would apply to a building command is tested elsewhere (test/cli/).
    SAFE_PIP_DISABLE: '1',
    ...extraEnv,
  });
  const result = run(join(BIN, launcher), args, env);
  return { ...result, nodeStarted: existsSync(nodeLog) };
}

const passthroughCases: string[][] = [
  ['--version'], ['-V'], ['-h'], ['--help'], [], ['list'], ['show', 'pip'], ['freeze'], ['help'], ['help', 'install'],
  ['config', 'list'], ['uninstall', '-y', 'x'], ['cache', 'dir'], ['hash', 'f'], ['check'], ['debug'], ['inspect'],
  ['index', 'versions', 'x'], ['search', 'x'], ['completion', '--bash'],
  ['-v', 'list'], ['-vv', '-qq', 'list'], ['--log', 'f', 'list'], ['--log=f', 'list'], ['--cache-dir', '/tmp/x', 'freeze'],
  ['--isolated', '--no-input', 'list', 'install'], ['--python', '/usr/bin/python3', 'list'], ['--version', 'install', 'x'],
  ['-h', 'install', 'x'], ['--log', 'install', 'list'], ['--log', 'f'],
];

const nodeCases: string[][] = [
  ['install', 'x'], ['download', 'x'], ['wheel', 'x'], ['lock', 'x'],
  ['-v', 'install', 'x'], ['--log', 'f', 'install', 'x'], ['--log=f', 'install', 'x'], ['--isol', 'install', 'x'],
  ['--', 'install'], ['--', 'list'], ['-vq', 'install', 'x'], ['--verbose=1', 'list'], ['--log'],
  ['-qv', 'list'], ['--isolated=1', 'list'], ['instal', 'x'], ['-', 'install'], ['', 'install'], ['list show'],
  ['--no-binary', ':all:', 'list'], ['-r', 'req.txt'], ['--python=/x', 'install', 'x'], ['-V=1'],
];

describe('fast path', () => {
  it.each(['pip', 'pip3'])('%s: non-building commands exec the real pip without Node', (launcher) => {
    for (const args of passthroughCases) {
      const result = launch(launcher, args);
      expect({ args, nodeStarted: result.nodeStarted }).toEqual({ args, nodeStarted: false });
      expect(parseFakePipOutput(result.stdout)).toEqual({ pip: join(fakeDir, 'pip-bin', launcher), depth: '1', argv: args });
    }
  });

  it.each(['pip', 'pip3'])('%s: building or unrecognised command lines reach Node, argv unchanged', (launcher) => {
    // Every case through bin/pip; a sample through bin/pip3 (same code, each Node start is slow).
    for (const args of launcher === 'pip' ? nodeCases : nodeCases.slice(0, 8)) {
      const result = launch(launcher, args);
      expect({ args, nodeStarted: result.nodeStarted }).toEqual({ args, nodeStarted: true });
      expect(parseFakePipOutput(result.stdout)).toEqual({ pip: join(fakeDir, 'pip-bin', launcher), depth: '1', argv: args });
    }
  });

  it('`safe-pip pip <args>` takes the same fast path', () => {
    expect(launch('safe-pip', ['pip', 'list']).nodeStarted).toBe(false);
    expect(launch('safe-pip', ['pip', 'install', 'x']).nodeStarted).toBe(true);
  });

  it('PIP_AUTO_COMPLETE always goes to Node', () => {
    const result = launch('pip', ['list'], { PIP_AUTO_COMPLETE: '1' });
    expect(result.nodeStarted).toBe(true);
    expect(parseFakePipOutput(result.stdout).argv).toEqual(['list']);
  });

  it('the fake pip passes awkward arguments through byte for byte', () => {
    const args = ['show', 'a b', 'quote"d', 'back\\slash', '$HOME', '*', ''];
    expect(parseFakePipOutput(launch('pip', args).stdout).argv).toEqual(args);
  });
});

// A pool of tokens from which random pip command lines are drawn.
const tokenPool = [
  ...GENERAL_FLAGS, ...GENERAL_VALUE_OPTIONS, ...PASSTHROUGH_COMMANDS, ...BUILDING_COMMANDS,
  ...GENERAL_VALUE_OPTIONS.map((o) => `${o}=v`), '--', '-', '-h', '--help', '-V', '--version', '--isol', '--verb',
  '--lo', '--log-f', '-vq', '-qv', '-vl', '-r', 'req.txt', '--no-deps', '--only-binary', ':all:', 'x', '--python=/nonexistent',
  '--no-proxy-env', '--cach', '--use-feature=fast-deps', '-i', 'http://127.0.0.1:1/simple',
];

describe('fast path verdicts agree with pip\'s own parser', () => {
  it('never waves through a command pip would run as install/download/wheel/lock; sh and TS agree', () => {
    const argvs = fc.sample(fc.array(fc.constantFrom(...tokenPool), { minLength: 0, maxLength: 6 }), { numRuns: 400, seed: 20260823 });
    argvs.push(...passthroughCases, ...nodeCases);
    // pip's verdict: the command its main parser would run (or "exit" for help/version/errors).
    const oracle = `
import contextlib, io, json, os, sys
os.environ["_PIP_RUNNING_IN_SUBPROCESS"] = "1"
from pip._internal.cli.main_parser import create_main_parser
out = []
for argv in json.load(sys.stdin):
    parser = create_main_parser()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            opts, rest = parser.parse_args(argv)
        if opts.version or not rest or (rest[0] == "help" and len(rest) == 1):
            out.append("exit")
        else:
            out.append(rest[0])
    except SystemExit:
        out.append("exit")
print(json.dumps(out))
`;
    for (const python of ['python3', '/usr/bin/python3']) {
      const verdicts = JSON.parse(
        execFileSync(python, ['-c', oracle], { input: JSON.stringify(argvs), encoding: 'utf8', env: envWith({}) }),
      ) as string[];
      argvs.forEach((argv, i) => {
        if (isPassthroughArgv(argv, {})) {
          expect({ argv, python, pipCommand: BUILDING_COMMANDS.includes(verdicts[i] as string) }).toEqual({ argv, python, pipCommand: false });
        }
        // The early pip's warm-up guess (early-pip.ts), when it makes one, is the command pip runs
        // (unless pip stops at a usage error first, e.g. a value outside an option's choices).
        const word = buildingCommandWord(argv);
        if (word !== null && verdicts[i] !== 'exit') expect({ argv, python, command: word }).toEqual({ argv, python, command: verdicts[i] });
      });
    }
    // sh vs TS on a subset (each launcher start costs a few ms).
    let checked = 0;
    for (const argv of argvs.slice(0, 40)) {
      const result = launch('pip', argv);
      expect({ argv, viaNode: result.nodeStarted }).toEqual({ argv, viaNode: !isPassthroughArgv(argv, {}) });
      checked++;
    }
    expect(checked).toBe(40);
    // The corpus exercises both verdicts.
    expect(argvs.filter((a) => isPassthroughArgv(a, {})).length).toBeGreaterThan(30);
    expect(argvs.filter((a) => !isPassthroughArgv(a, {})).length).toBeGreaterThan(30);
    expect(argvs.filter((a) => buildingCommandWord(a) !== null).length).toBeGreaterThan(30);
    expect(buildingCommandWord(['--log', 'install', 'download', 'x'])).toBe('download');
    expect(buildingCommandWord(['-q', 'list'])).toBeNull();
  });

  it('every general option the fast path skips has the same arity in pip 23.2.1 and 23.0.1', () => {
    // An option the fast path treats as a flag must never take a value in the real pip, or the
    // next token (perhaps "install") would be hidden from the fast path's view.
    const probe = `
import json, sys
from pip._internal.cli.main_parser import create_main_parser
parser = create_main_parser()
names = json.load(sys.stdin)
out = {}
for name in names:
    if parser.has_option(name):
        out[name] = parser.get_option(name).takes_value()
    else:
        try:
            parser._match_long_opt(name) if name.startswith("--") else None
            out[name] = "abbreviation"
        except Exception:
            out[name] = None
print(json.dumps(out))
`;
    const names = [...GENERAL_FLAGS.filter((f) => !/^-[vq]{2,}$/.test(f)), ...GENERAL_VALUE_OPTIONS];
    for (const python of ['python3', '/usr/bin/python3']) {
      const arity = JSON.parse(execFileSync(python, ['-c', probe], { input: JSON.stringify(names), encoding: 'utf8', env: envWith({}) })) as Record<string, boolean | null | string>;
      for (const flag of GENERAL_FLAGS.filter((f) => !/^-[vq]{2,}$/.test(f))) expect({ flag, python, arity: arity[flag] }).toEqual({ flag, python, arity: false });
      for (const option of GENERAL_VALUE_OPTIONS) {
        // Options newer than this pip (--resume-retries) are unknown to it: pip then fails on them.
        expect({ option, python, ok: arity[option] === true || arity[option] === null }).toEqual({ option, python, ok: true });
      }
    }
  });
});

it('the launcher files carry the marker the search skips', () => {
  for (const name of ['pip', 'pip3', 'safe-pip']) {
    expect(readFileSync(join(BIN, name), 'utf8').split('\n')[1]).toMatch(/^# safe-pip-launcher:/);
  }
});
