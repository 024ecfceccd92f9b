import { it } from 'vitest';
import { optionTableFor } from '../../src/pip/option-table.js';
import { runOurs } from './compare.js';
import { runPipOracle } from './oracle/run-oracle.js';
it('debug', async () => {
  const { table } = await optionTableFor('23.2.1');
  const argv = ['--bogus', 'install'];
  const [pip] = runPipOracle('python3', [{ id: 0, argv }], '/tmp');
  console.log(JSON.stringify(pip!.stderr));
  console.log(JSON.stringify(runOurs(argv, { table, env: { PIP_CONFIG_FILE: '/dev/null' }, configFiles: [], cwd: '/tmp' }).stderr));
});
