import { describe, expect, it } from 'vitest';
import { createFakePip, readFakePipCalls } from '../helpers/fake-pip.js';
import { runCommand } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('fake pip', () => {
  it('records argv exactly (spaces, quotes, newlines, unicode, empty), selected env and cwd, as pip and pip3', async () => {
    const fake = createFakePip({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    const cwd = makeTempDir();
    const args = ['install', 'a b', `it's "quoted"`, 'line1\nline2', 'ünïcödé', '', '--', '$HOME', '*'];
    const viaPath = await runCommand('pip', args, {
      cwd,
      env: { ...fake.env, PIP_INDEX_URL: 'http://127.0.0.1:1/simple', SAFE_PIP_X: '1', UNRELATED: 'no' },
    });
    expect(viaPath).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const viaPip3 = await runCommand('pip3', ['download', 'x'], { env: { ...fake.env, FAKE_PIP_EXIT_CODE: '0' } });
    expect(viaPip3.exitCode).toBe(0);

    const calls = readFakePipCalls(fake);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ program: 'pip', argv: args, cwd });
    expect(calls[0]?.env).toMatchObject({ PIP_INDEX_URL: 'http://127.0.0.1:1/simple', SAFE_PIP_X: '1' });
    expect(calls[0]?.env).not.toHaveProperty('UNRELATED');
    expect(calls[1]).toMatchObject({ program: 'pip3', argv: ['download', 'x'] });
    expect(readFakePipCalls(fake.dir)).toEqual(calls);
  });

  it('answers --version like pip and writes to the log named by FAKE_PIP_LOG', async () => {
    const fake = createFakePip({ version: '24.0' });
    const log = `${makeTempDir()}/other.jsonl`;
    const result = await runCommand(fake.path, ['--version'], { env: { FAKE_PIP_LOG: log } });
    expect(result.stdout).toMatch(/^pip 24\.0 from .+ \(python 3\.11\)\n$/);
    expect(readFakePipCalls(fake)).toEqual([]);
    expect(readFakePipCalls(log).map((c) => c.argv)).toEqual([['--version']]);
  });
});
