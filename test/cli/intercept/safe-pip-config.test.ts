// safe-pip's own config.toml (issue 13 item 9): an unknown key is not silently ignored. It is
// warned about once, on one `safe-pip: warning:` line naming the file and the closest valid key,
// and the run goes on; the keys safe-pip knows keep working.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedBuilds, closestConfigKey, readSafePipConfig } from '../../../src/cli/intercept/allow-list.js';
import { runCommand, PLAIN_PIP_ENV } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { REAL_PIP, SAFE_PIP, useVectorWorld } from '../../policy/vector-world.js';

function configHome(text: string): string {
  const home = makeTempDir('xdg-config-');
  mkdirSync(join(home, 'safe-pip'));
  writeFileSync(join(home, 'safe-pip', 'config.toml'), text);
  return home;
}

describe('closestConfigKey', () => {
  it.each([
    ['allow_build', 'allow-build'],
    ['Allow-Build', 'allow-build'],
    ['allowbuild', 'allow-build'],
    ['allow-builds', 'allow-build'],
    ['alow-build', 'allow-build'],
    ['index-url', null],
    ['x', null],
  ])('%s -> %s', (key, expected) => {
    expect(closestConfigKey(key)).toBe(expected);
  });
});

describe('reading config.toml', () => {
  it('an unknown key is warned about with the closest valid key and otherwise ignored', () => {
    const home = configHome('allow_build = ["numpy"]\n');
    const warnings: string[] = [];
    const list = allowedBuilds({ env: { ...process.env, XDG_CONFIG_HOME: home }, flag: [], warn: (m) => warnings.push(m) });
    expect([...list.names]).toEqual([]);
    expect(warnings).toEqual([`warning: ${join(home, 'safe-pip', 'config.toml')}: unknown key "allow_build" (did you mean "allow-build"?); it is ignored`]);
  });

  it('a key with no close match names the keys safe-pip knows', () => {
    const home = configHome('allow-build = ["numpy"]\nindex-url = "https://example.invalid/simple"\n');
    const warnings: string[] = [];
    const list = allowedBuilds({ env: { ...process.env, XDG_CONFIG_HOME: home }, flag: [], warn: (m) => warnings.push(m) });
    expect([...list.names]).toEqual(['numpy']);
    expect(warnings).toEqual([
      `warning: ${join(home, 'safe-pip', 'config.toml')}: unknown key "index-url" (safe-pip knows only "allow-build", "allow-startup-code", "advisories-url", "min-age", "min-age-exempt", "min-age-missing"; pip's settings belong in pip.conf); it is ignored`,
    ]);
  });

  it('readSafePipConfig lists both files, whether each exists, its names and its unknown keys', () => {
    const home = configHome('allow-build = ["NumPy", "my_internal"]\nallow_build = []\n');
    const env = { ...process.env, XDG_CONFIG_HOME: home };
    expect(readSafePipConfig(env)).toEqual([
      { path: join(process.env.SAFE_PIP_ETC_DIR!, 'safe-pip', 'config.toml'), exists: false, allowBuild: [], unknownKeys: [] },
      { path: join(home, 'safe-pip', 'config.toml'), exists: true, allowBuild: ['NumPy', 'my_internal'], unknownKeys: [{ key: 'allow_build', suggestion: 'allow-build' }] },
    ]);
  });
});

describe('through the command line', () => {
  const world = useVectorWorld();

  it('pip download with allow_build in config.toml: exactly one warning line on stderr, and the run goes on', async () => {
    const home = configHome('allow_build = ["canary"]\n');
    const dest = makeTempDir('dest-');
    const result = await runCommand(SAFE_PIP, ['explain', 'download', '-d', dest, '-i', world.index, 'tiny'], {
      env: { ...PLAIN_PIP_ENV, XDG_CONFIG_HOME: home, SAFE_PIP_REAL_PIP: REAL_PIP },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr.split(home).join('<config>')).toBe(
      'safe-pip: warning: <config>/safe-pip/config.toml: unknown key "allow_build" (did you mean "allow-build"?); it is ignored\n',
    );
  });
});
