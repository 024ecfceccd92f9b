// safe-pip's own command line: --version, --help, an unknown command, and main.ts's error report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { EXIT_USAGE } from '../../src/exit-codes.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, commandOnPath, ensureBuilt, envWith, ROOT, run, writeExecutable } from './harness.js';

beforeAll(() => ensureBuilt());

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const env = envWith({ PATH: `${BIN}:${process.env.PATH}` });

it('--version: safe-pip\'s version, the real pip and its own --version line', () => {
  const realPip = commandOnPath('pip', process.env.PATH ?? '');
  const expectedPipLine = run(realPip, ['--version'], env).stdout.trim();
  for (const flag of ['--version', '-V']) {
    const result = run(join(BIN, 'safe-pip'), [flag], env);
    expect(result).toEqual({ exitCode: 0, signal: null, stderr: '', stdout: `safe-pip ${version}\nreal pip: ${realPip}\n${expectedPipLine}\n` });
  }
});

it('--version without any real pip still answers', () => {
  const result = run(join(BIN, 'safe-pip'), ['--version'], envWith({ PATH: `${BIN}:${makeTempDir()}`, SAFE_PIP_NODE: process.execPath }));
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain(`safe-pip ${version}\nreal pip: not found`);
});

it('--help, -h and no arguments print the subcommand table', () => {
  for (const args of [['--help'], ['-h'], []]) {
    const result = run(join(BIN, 'safe-pip'), args, env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Commands:\n {2}pip +run pip through safe-pip/m);
  }
});

it('an unknown command is a usage error with a hint', () => {
  const result = run(join(BIN, 'safe-pip'), ['instal'], env);
  expect(result).toEqual({
    exitCode: EXIT_USAGE,
    signal: null,
    stdout: '',
    stderr: 'safe-pip: error: unknown command "instal"\nhint: run `safe-pip --help` for the list of commands; to run pip, use `safe-pip pip <args>`\n',
  });
});

it('the hand-off variable never reaches the real pip', () => {
  const dir = makeTempDir();
  writeExecutable(join(dir, 'pip'), '#!/bin/sh\necho "handoff=${SAFE_PIP_LAUNCHER_REAL_PIP-unset} depth=$SAFE_PIP_DEPTH"\n');
  const result = run(join(BIN, 'pip'), ['install', 'x'], envWith({ PATH: `${BIN}:${dir}:${process.env.PATH}`, SAFE_PIP_DISABLE: '1' }));
  expect(result.stdout).toBe('handoff=unset depth=1\n');
  expect(result.stderr).toContain('SAFE_PIP_DISABLE=1');
});

it('NODE_EXTRA_CA_CERTS reaches Node under the hand-off name, unless NODE_OPTIONS picks another CA store', () => {
  const dir = makeTempDir();
  const log = join(dir, 'node.log');
  const node = writeExecutable(
    join(dir, 'node'),
    // Only what the launcher hands over matters here (Node 20 would refuse --use-system-ca).
    `#!/bin/sh\necho "extra=\${NODE_EXTRA_CA_CERTS-unset} handoff=\${SAFE_PIP_LAUNCHER_EXTRA_CA_CERTS-unset}" >'${log}'\n`,
  );
  const seen = (changes: Record<string, string | undefined>): string => {
    const result = run(join(BIN, 'safe-pip'), ['--help'], envWith({ SAFE_PIP_NODE: node, NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: undefined, ...changes }));
    expect(result.exitCode, result.stderr).toBe(0);
    return readFileSync(log, 'utf8').trim();
  };
  expect(seen({ NODE_EXTRA_CA_CERTS: '/x/ca.pem' })).toBe('extra=unset handoff=/x/ca.pem');
  expect(seen({})).toBe('extra=unset handoff=unset');
  for (const option of ['--use-openssl-ca', '--use-system-ca']) {
    expect(seen({ NODE_EXTRA_CA_CERTS: '/x/ca.pem', NODE_OPTIONS: `--max-old-space-size=512 ${option}` })).toBe('extra=/x/ca.pem handoff=unset');
  }
});
