import { describe, expect, it } from 'vitest';
import { childEnv, PLAIN_PIP_ENV, runCommand, runPlainPip } from '../helpers/run-cli.js';

describe('run-cli', () => {
  it('passes process.env plus overrides, removes variables set to undefined, collects output and exit code', async () => {
    process.env.RUN_CLI_SELFTEST_REMOVE = 'present';
    try {
      const env = childEnv({ RUN_CLI_SELFTEST_ADD: 'added', RUN_CLI_SELFTEST_REMOVE: undefined });
      expect(env.RUN_CLI_SELFTEST_ADD).toBe('added');
      expect(env).not.toHaveProperty('RUN_CLI_SELFTEST_REMOVE');
      const script = 'import os, sys; print(os.environ.get("RUN_CLI_SELFTEST_ADD"), os.environ.get("RUN_CLI_SELFTEST_REMOVE")); sys.stderr.write(sys.stdin.read()); sys.exit(4)';
      const result = await runCommand('python3', ['-c', script], {
        env: { RUN_CLI_SELFTEST_ADD: 'added', RUN_CLI_SELFTEST_REMOVE: undefined },
        input: 'from stdin',
      });
      expect(result).toMatchObject({ exitCode: 4, stdout: 'added None\n', stderr: 'from stdin', timedOut: false });
    } finally {
      delete process.env.RUN_CLI_SELFTEST_REMOVE;
    }
  });

  it('reports a timeout instead of throwing', async () => {
    const result = await runCommand('sleep', ['5'], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(-1);
  });

  it('runs the real pip with the test config file and without PIP_* leaking in', async () => {
    const result = await runPlainPip(['config', 'debug']);
    expect(result.exitCode, result.stderr).toBe(0);
    // `pip config debug` lists every PIP_* variable it sees under "env_var:".
    const section = result.stdout.split('\nenv:')[0] ?? '';
    const seen = section.split('\n').slice(1).map((line) => line.trim().split('=')[0]).sort();
    expect(seen).toEqual(['PIP_CONFIG_FILE', ...Object.keys(PLAIN_PIP_ENV).filter((k) => k.startsWith('PIP_'))].sort());
    expect(section).toContain(`PIP_CONFIG_FILE='${process.env.PIP_CONFIG_FILE}'`);
    const old = await runPlainPip(['--version'], { python: '/usr/bin/python3' });
    expect(old.stdout).toMatch(/^pip 23\.0\.1 /);
  });
});
