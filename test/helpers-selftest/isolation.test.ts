// The suite is hermetic against machine-wide configuration (test/helpers/isolation.ts). A
// "machine" is laid out in a temp folder with a system-wide pip config carrying a constraint
// (the shape of the machines' /etc/xdg/pip), a user config, a safe-pip system config allowing a
// build, and PIP_*/SAFE_PIP_* variables. With that machine's environment both the real pip and
// safe-pip see the constraint — so the check can fail; after isolate() neither does.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseForPip } from '../../src/cli/intercept/analyze.js';
import { gatherRequirements } from '../../src/io/requirement-sources.js';
import { allowedBuilds } from '../../src/cli/intercept/allow-list.js';
import { probeInterpreter } from '../../src/io/interpreter-probe.js';
import type { InterpreterFacts } from '../../src/standards/interpreter-facts.js';
import { isolate } from '../helpers/isolation.js';
import { runPlainPip } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PIP = execFileSync('python3', ['-c', 'import sys,os;print(os.path.join(os.path.dirname(sys.executable),"pip"))'], { encoding: 'utf8' }).trim();
let facts: InterpreterFacts;
beforeAll(async () => {
  facts = await probeInterpreter(PIP, { env: { ...process.env } });
});

/** A machine whose every configuration layer names something a test must never see. */
function machine(): { env: NodeJS.ProcessEnv; cwd: string } {
  const root = makeTempDir('machine-');
  const write = (path: string, text: string): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  write(join(root, 'xdg', 'pip', 'constraints.txt'), 'torch<=2.14.1\n');
  write(join(root, 'xdg', 'pip', 'pip.conf'), `[global]\nconstraint = ${join(root, 'xdg', 'pip', 'constraints.txt')}\n`);
  write(join(root, 'home', '.config', 'pip', 'pip.conf'), '[install]\nno-binary = :all:\n');
  write(join(root, 'etc', 'safe-pip', 'config.toml'), 'allow-build = ["systemwide"]\n');
  const cwd = join(root, 'work');
  mkdirSync(cwd);
  return {
    cwd,
    env: {
      ...process.env,
      HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'home', '.config'),
      XDG_CONFIG_DIRS: join(root, 'xdg'),
      PIP_CONFIG_FILE: undefined,
      PIP_PRE: '1',
      SAFE_PIP_ETC_DIR: join(root, 'etc'),
      SAFE_PIP_ALLOW_BUILD: 'fromenv',
    },
  };
}

function withoutUndefined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

async function constraintsSeenBySafePip(env: NodeJS.ProcessEnv, cwd: string): Promise<string[]> {
  const parsed = await parseForPip({ argv: ['install', 'x'], facts, env, cwd, prog: 'pip' });
  const gathered = await gatherRequirements({
    settings: parsed.settings,
    cwd,
    env,
    pipVersion: facts.pipVersion,
    facts,
    fetchUrl: () => Promise.reject(new Error('no network in this test')),
  });
  return gathered.targets.map((t) => t.requirement).filter((r) => r !== 'x');
}

async function pipConfigList(env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  // runCommand lays overrides on process.env; every variable of `env` is passed, and the ones it
  // lacks are removed, so the child sees exactly `env`.
  const overrides: Record<string, string | undefined> = Object.fromEntries(Object.keys(process.env).map((k) => [k, undefined]));
  const result = await runPlainPip(['config', 'list'], { cwd, env: { ...overrides, ...withoutUndefined(env) } });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
}

describe('tests are isolated from machine-wide configuration', () => {
  it('the machine config is seen without isolation, by the real pip and by safe-pip', async () => {
    const { env, cwd } = machine();
    const listed = await pipConfigList(env, cwd);
    expect(listed).toContain("global.constraint=");
    expect(listed).toContain("install.no-binary=':all:'");
    expect(await constraintsSeenBySafePip(env, cwd)).toEqual(['torch<=2.14.1']);
    expect([...allowedBuilds({ env, flag: [] }).names].sort()).toEqual(['fromenv', 'systemwide']);
  });

  it('after isolate() neither the real pip nor safe-pip sees any of it', async () => {
    const { env, cwd } = machine();
    isolate(env, makeTempDir('isolated-'));
    expect(Object.keys(env).filter((k) => k.startsWith('PIP_') && k !== 'PIP_CONFIG_FILE')).toEqual([]);
    const listed = await pipConfigList(env, cwd);
    expect(listed).not.toContain('constraint');
    expect(listed).not.toContain('no-binary');
    expect(await constraintsSeenBySafePip(env, cwd)).toEqual([]);
    expect([...allowedBuilds({ env, flag: [] }).names]).toEqual([]);
  });

  it.runIf(existsSync('/etc/xdg/pip/pip.conf'))('this machine has /etc/xdg/pip, and the suite does not see it', async () => {
    const cwd = makeTempDir('etc-xdg-');
    expect(await pipConfigList(process.env, cwd)).not.toContain('constraint');
    expect(await constraintsSeenBySafePip({ ...process.env }, cwd)).toEqual([]);
  });
});
