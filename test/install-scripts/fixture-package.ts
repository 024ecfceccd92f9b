// A stand-in safe-pip package for the install-script tests: the same name and bin as the real one,
// no dependencies (so npm installs it offline), and a `safe-pip` that records its arguments.
// The real checkout is installed too, in the tests marked as needing `setup`/`init` to be wired.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, writeExecutable } from '../setup/shell-harness.js';

export function makeFixturePackage(root: string): string {
  const dir = join(root, 'safe-pip-fixture');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'safe-pip', version: '0.0.0-test', bin: { 'safe-pip': 'bin/safe-pip' }, files: ['bin/', 'dist/'] }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'dist', 'main.js'), '');
  writeExecutable(
    join(dir, 'bin', 'safe-pip'),
    [
      '#!/bin/sh',
      'printf "%s\\n" "$*" >>"$SAFE_PIP_TEST_RECORD"',
      'case $1 in',
      '  setup) [ "${2-}" = --ci ] && mkdir -p "$4" ;;',
      '  init) echo "# init $2" ;;',
      'esac',
      'exit "${FIXTURE_EXIT:-0}"',
      '',
    ].join('\n'),
  );
  return dir;
}

/** npm kept off the network and out of the developer's cache and config. */
export function offlineNpmEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_')) delete env[key];
  const userconfig = join(root, 'npmrc');
  writeFileSync(userconfig, '');
  return {
    ...env,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_cache: join(root, 'npm-cache'),
    npm_config_userconfig: userconfig,
    npm_config_loglevel: 'error',
  };
}

export function packTarball(dir: string, destination: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync('npm', ['pack', '--pack-destination', destination, dir], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  return join(destination, result.stdout.trim().split('\n').pop() as string);
}

export function readRecord(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') : [];
}

/**
 * True when the checkout's built CLI runs `safe-pip init` (the lead wires src/setup into the
 * dispatch table); the end-to-end install tests need that.
 */
export function checkoutHasSetupWired(): boolean {
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) return false;
  const result = spawnSync(join(REPO_ROOT, 'bin', 'safe-pip'), ['init', 'bash'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('__safe_pip_bin');
}
