// The cooldown's settings (src/cli/intercept/cooldown-settings.ts): `--safe-pip-min-age` is taken
// out of argv before pip's parser runs, in both spellings, and wins over SAFE_PIP_MIN_AGE, which
// wins over safe-pip's config.toml; the source each note names follows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cooldownSettings, stripMinAgeFlag } from '../../../src/cli/intercept/cooldown-settings.js';
import { SafePipError } from '../../../src/errors.js';
import { EXIT_USAGE } from '../../../src/exit-codes.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const DAY = 86_400_000;

function configHome(toml: string): string {
  const home = makeTempDir('xdg-');
  mkdirSync(join(home, 'safe-pip'));
  writeFileSync(join(home, 'safe-pip', 'config.toml'), toml);
  return home;
}

function usageError(run: () => unknown): { message: string; exitCode: number } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SafePipError);
    return { message: (error as SafePipError).message, exitCode: (error as SafePipError).exitCode };
  }
  throw new Error('expected a SafePipError');
}

describe('stripMinAgeFlag', () => {
  it.each([
    [['download', '--safe-pip-min-age=3d', 'app'], ['download', 'app'], '3d'],
    [['download', '--safe-pip-min-age', '12h', 'app'], ['download', 'app'], '12h'],
    [['--safe-pip-min-age=0', 'install', 'x'], ['install', 'x'], '0'],
    [['install', '--safe-pip-min-age=1d', '--safe-pip-min-age', '2w', 'x'], ['install', 'x'], '2w'],
    [['install', 'x'], ['install', 'x'], null],
  ])('%j -> pip gets %j, min-age %s', (argv, rest, minAge) => {
    expect(stripMinAgeFlag(argv)).toEqual({ argv: rest, minAge });
  });

  it('leaves other spellings and everything after `--` to pip', () => {
    const argv = ['install', '--safe-pip-min-ages=3d', '--Safe-Pip-Min-Age=3d', '--', '--safe-pip-min-age=3d'];
    expect(stripMinAgeFlag(argv)).toEqual({ argv, minAge: null });
  });

  it('a missing value is a usage error (exit 2), as for --safe-pip-allow-build', () => {
    for (const argv of [['download', 'app', '--safe-pip-min-age'], ['download', '--safe-pip-min-age=', 'app']]) {
      expect(usageError(() => stripMinAgeFlag(argv))).toEqual({ message: '--safe-pip-min-age needs a duration, such as --safe-pip-min-age=3d', exitCode: EXIT_USAGE });
    }
  });

  it('a value that is no duration is a usage error naming it', () => {
    expect(usageError(() => stripMinAgeFlag(['download', '--safe-pip-min-age', 'soon', 'app']))).toEqual({
      message: '--safe-pip-min-age: "soon" is not a duration (write it as 3d, 12h, 90m, 2w, or a number of days; 0 turns the cooldown off)',
      exitCode: EXIT_USAGE,
    });
  });
});

describe('precedence: flag > SAFE_PIP_MIN_AGE > config.toml', () => {
  const config = configHome('min-age = "1d"\nmin-age-exempt = ["internal"]\n');
  const configFile = join(config, 'safe-pip', 'config.toml');
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, XDG_CONFIG_HOME: config, ...extra });

  it('config alone', () => {
    expect(cooldownSettings(env())).toMatchObject({ minAgeMs: DAY, written: '1d', source: configFile });
  });
  it('the environment wins over the config', () => {
    expect(cooldownSettings(env({ SAFE_PIP_MIN_AGE: '2d' }))).toMatchObject({ minAgeMs: 2 * DAY, written: '2d', source: 'SAFE_PIP_MIN_AGE' });
  });
  it('the flag wins over both, and keeps the exemptions and the missing-time choice', () => {
    const settings = cooldownSettings(env({ SAFE_PIP_MIN_AGE: '2d' }), '3d');
    expect(settings).toMatchObject({ minAgeMs: 3 * DAY, written: '3d', source: '--safe-pip-min-age', missing: 'allow' });
    expect([...settings!.exempt]).toEqual(['internal']);
  });
  it('--safe-pip-min-age=0 turns the cooldown off for the command', () => {
    expect(cooldownSettings(env({ SAFE_PIP_MIN_AGE: '2d' }), '0')).toBeNull();
  });
});
