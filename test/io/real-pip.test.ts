// src/io/real-pip.ts: the hand-off from the launcher, asking the sh search, and the messages.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafePipError } from '../../src/errors.js';
import { EXIT_NO_REAL_PIP } from '../../src/exit-codes.js';
import { findRealPip, isLauncher, LAUNCHER_HAND_OFF_VAR, searchRealPip, takeLauncherHandOff } from '../../src/io/real-pip.js';
import { assertBelowDepthLimit, currentDepth, guardedEnvironment, MAX_DEPTH } from '../../src/io/real-pip-guard.js';
import { BIN, commandOnPath, envWith, writeExecutable } from '../launcher/harness.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('takeLauncherHandOff', () => {
  it('returns and removes the variable', () => {
    const env: NodeJS.ProcessEnv = { [LAUNCHER_HAND_OFF_VAR]: '/x/pip', OTHER: '1' };
    expect(takeLauncherHandOff(env)).toBe('/x/pip');
    expect(env).toEqual({ OTHER: '1' });
    expect(takeLauncherHandOff(env)).toBeUndefined();
    expect(takeLauncherHandOff({ [LAUNCHER_HAND_OFF_VAR]: '' })).toBe('');
  });
});

describe('searchRealPip / findRealPip (the sh search, asked from Node)', () => {
  it('agrees with a shell\'s own lookup once the launchers are skipped', async () => {
    const path = `${BIN}:${process.env.PATH}`;
    expect(await searchRealPip('pip', envWith({ PATH: path }))).toBe(commandOnPath('pip', process.env.PATH ?? ''));
    expect(await searchRealPip('pip3', envWith({ PATH: path }))).toBe(commandOnPath('pip3', process.env.PATH ?? ''));
    expect(await findRealPip({ env: envWith({ PATH: path }) })).toBe(commandOnPath('pip', process.env.PATH ?? ''));
  });

  it('a launcher hand-off is used as it is', async () => {
    expect(await findRealPip({ env: {}, handOff: '/somewhere/pip' })).toBe('/somewhere/pip');
  });

  it('nothing found: SafePipError with the PATH directories and the override hint', async () => {
    const dir = makeTempDir();
    const error = await findRealPip({ env: envWith({ PATH: `${BIN}:${dir}` }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafePipError);
    const e = error as SafePipError;
    expect(e.exitCode).toBe(EXIT_NO_REAL_PIP);
    expect(e.message).toContain('"pip" then "pip3"');
    expect(e.message).toContain(`\n  ${dir}`);
    expect(e.hint).toContain('SAFE_PIP_REAL_PIP=/path/to/pip');
    const pip3 = (await findRealPip({ env: envWith({ PATH: dir }), name: 'pip3', handOff: '' }).catch((x: unknown) => x)) as SafePipError;
    expect(pip3.message).toContain('"pip3" then "pip"');
  });

  it('a hand-off at the depth limit is refused, naming the pip that loops', async () => {
    const error = (await findRealPip({ env: { SAFE_PIP_DEPTH: String(MAX_DEPTH) }, handOff: '/loop/pip' }).catch((e: unknown) => e)) as SafePipError;
    expect(error.exitCode).toBe(EXIT_NO_REAL_PIP);
    expect(error.message).toContain('"/loop/pip"');
  });
});

describe('isLauncher', () => {
  it('recognises the launchers and nothing else', () => {
    const dir = makeTempDir();
    for (const name of ['pip', 'pip3', 'safe-pip']) expect(isLauncher(join(BIN, name))).toBe(true);
    expect(isLauncher(writeExecutable(join(dir, 'pip'), '#!/bin/sh\n# not a launcher\n'))).toBe(false);
    expect(isLauncher(join(dir, 'missing'))).toBe(false);
  });
});

describe('recursion guard', () => {
  it('counts, refuses at the limit, and changes nothing else in the environment', () => {
    expect(currentDepth({})).toBe(0);
    expect(currentDepth({ SAFE_PIP_DEPTH: 'x' })).toBe(0);
    expect(currentDepth({ SAFE_PIP_DEPTH: '3' })).toBe(3);
    expect(() => assertBelowDepthLimit({ SAFE_PIP_DEPTH: String(MAX_DEPTH - 1) })).not.toThrow();
    expect(() => assertBelowDepthLimit({ SAFE_PIP_DEPTH: String(MAX_DEPTH) })).toThrow(SafePipError);
    const env = { A: '1', SAFE_PIP_DEPTH: '2' };
    expect(guardedEnvironment(env)).toEqual({ A: '1', SAFE_PIP_DEPTH: '3' });
    expect(env.SAFE_PIP_DEPTH).toBe('2');
  });
});
