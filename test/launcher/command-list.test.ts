// The sh launcher and the TS side keep the same data: the pass-through command list, the general
// options the fast path skips, and the recursion-guard depth.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { GENERAL_FLAGS, GENERAL_VALUE_OPTIONS, PASSTHROUGH_COMMANDS } from '../../src/cli/pip-commands.js';
import { MAX_DEPTH } from '../../src/io/real-pip-guard.js';
import { BIN } from './harness.js';

const launcher = readFileSync(join(BIN, 'safe-pip'), 'utf8');
function shVariable(name: string): string {
  const match = new RegExp(`^${name}='?([^'\\n]*)'?$`, 'm').exec(launcher);
  if (match?.[1] === undefined) throw new Error(`${name} not found in bin/safe-pip`);
  return match[1];
}

it('sh and TS agree on the lists and the depth', () => {
  expect(shVariable('safe_pip_passthrough_commands').split(' ')).toEqual(PASSTHROUGH_COMMANDS);
  expect(shVariable('safe_pip_general_flags').split(' ')).toEqual(GENERAL_FLAGS);
  expect(shVariable('safe_pip_general_value_options').split(' ')).toEqual(GENERAL_VALUE_OPTIONS);
  expect(Number(shVariable('safe_pip_max_depth'))).toBe(MAX_DEPTH);
});

it('pip 23.2.1 and 23.0.1 know every pass-through command (none is misspelled)', async () => {
  const { execFileSync } = await import('node:child_process');
  for (const python of ['python3', '/usr/bin/python3']) {
    const known = JSON.parse(
      execFileSync(python, ['-c', 'import json; from pip._internal.commands import commands_dict; print(json.dumps(sorted(commands_dict)))'], { encoding: 'utf8' }),
    ) as string[];
    for (const command of PASSTHROUGH_COMMANDS) expect({ python, command, known: known.includes(command) }).toEqual({ python, command, known: true });
  }
});
