// Signals and stdin reach the real pip (issue 2 §2/§4), on the sh fast path (the launcher execs
// pip, so it *is* pip) and on the Node path (run-pip.ts forwards them and waits). Fake pips write
// what they received to files; afterwards no process of theirs may be left. SAFE_PIP_DISABLE=1
// keeps the policy (tested in test/cli/) out of the Node path here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { BIN, ensureBuilt, envWith, run, start, writeExecutable } from './harness.js';

beforeAll(() => ensureBuilt());

/** Running (a zombie that only waits for init to reap it counts as gone). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(path)) throw new Error(`${path} never appeared`);
}

const paths: Array<[string, string[]]> = [
  ['fast path (pip list)', ['list']],
  ['Node path (pip install x)', ['install', 'x']],
];

describe.each(paths)('%s', (_label, args) => {
  it('stdin reaches pip and its output comes back', () => {
    const dir = makeTempDir('safe-pip-stdin-');
    writeExecutable(join(dir, 'pip'), '#!/bin/sh\nprintf "got:"\ncat\nexit 3\n');
    const input = 'y\nsecond line\n'.repeat(1000);
    const result = run(join(BIN, 'pip'), args, envWith({ PATH: `${BIN}:${dir}:${process.env.PATH}`, SAFE_PIP_DISABLE: '1' }), input);
    expect(result.stdout).toBe(`got:${input}`);
    expect(result.exitCode).toBe(3);
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s sent to the launcher reaches pip; pip\'s exit code comes back; nothing is left', async (signal) => {
    const dir = makeTempDir('safe-pip-signal-');
    const state = join(dir, 'state');
    writeExecutable(
      join(dir, 'pip'),
      `#!/bin/sh
trap 'echo TERM >"${state}/got"; kill $sleeper; exit 7' TERM
trap 'echo INT >"${state}/got"; kill $sleeper; exit 8' INT
trap 'echo HUP >"${state}/got"; kill $sleeper; exit 9' HUP
sleep 60 &
sleeper=$!
echo "$$ $sleeper" >"${state}/pids.tmp" && mv "${state}/pids.tmp" "${state}/pids"
wait $sleeper
`,
    );
    writeExecutable(join(state, '.keep'), '');
    const { child, done } = start(join(BIN, 'pip'), args, envWith({ PATH: `${BIN}:${dir}:${process.env.PATH}`, SAFE_PIP_DISABLE: '1' }));
    await waitFor(join(state, 'pids'));
    child.kill(signal);
    const result = await done;
    expect(readFileSync(join(state, 'got'), 'utf8').trim()).toBe(signal.slice(3));
    expect(result.exitCode).toBe({ SIGTERM: 7, SIGINT: 8, SIGHUP: 9 }[signal]);
    const pids = readFileSync(join(state, 'pids'), 'utf8').trim().split(' ').map(Number);
    await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) expect({ pid, alive: isAlive(pid) }).toEqual({ pid, alive: false });
  });
});

it('Node path: a pip killed by a signal gives 128 + its number, as a shell reports it', async () => {
  const dir = makeTempDir('safe-pip-signal-');
  writeExecutable(join(dir, 'pip'), `#!/bin/sh\necho $$ >"${dir}/pid.tmp" && mv "${dir}/pid.tmp" "${dir}/pid"\nexec sleep 60\n`);
  const { child, done } = start(join(BIN, 'pip'), ['install', 'x'], envWith({ PATH: `${BIN}:${dir}:${process.env.PATH}`, SAFE_PIP_DISABLE: '1' }));
  await waitFor(join(dir, 'pid'));
  child.kill('SIGTERM');
  const result = await done;
  expect(result.exitCode).toBe(143);
  expect(isAlive(Number(readFileSync(join(dir, 'pid'), 'utf8')))).toBe(false);
});
