// Differential test: every command line of the corpus parsed by safe-pip and by pip's own parser
// (pip 23.2.1 under python3, pip 23.0.1 under /usr/bin/python3, each with its own table),
// compared field by field: every dest after pip's processing, positional args, cmd_args, and for
// errors the exit code and the exact text pip prints.
import { describe, expect, it } from 'vitest';
import { optionTableFor } from '../../src/pip/option-table.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { cliCorpus } from './cli-corpus.js';
import { expectSameAsPip, runOurs } from './compare.js';
import { PYTHONS, runPipOracle } from './oracle/run-oracle.js';

const corpus = cliCorpus();

describe.each(Object.entries(PYTHONS))('command lines against pip %s', (version, python) => {
  it(`agrees with pip on all ${corpus.length} command lines`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const { table, exact } = await optionTableFor(version);
    expect(exact).toBe(true);
    const cwd = makeTempDir();
    const results = runPipOracle(
      python,
      corpus.map((argv, id) => ({ id, argv })),
      cwd,
    );
    const env: Record<string, string | undefined> = { ...process.env, PIP_CONFIG_FILE: '/dev/null' };
    for (const key of Object.keys(env)) if (key.startsWith('PIP_') && key !== 'PIP_CONFIG_FILE') delete env[key];
    const failures: string[] = [];
    corpus.forEach((argv, id) => {
      const label = `pip ${JSON.stringify(argv)}`;
      try {
        expectSameAsPip(label, runOurs(argv, { table, env, configFiles: [], cwd }, 'parse-then-settings'), results[id]!);
      } catch (error) {
        failures.push((error as Error).message.split('\n').slice(0, 12).join('\n'));
      }
    });
    expect(failures, failures.slice(0, 15).join('\n\n')).toEqual([]);
  });
});
