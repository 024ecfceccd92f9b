// What a run killed outright (SIGKILL, power loss) leaves behind: a `.NAME.safe-pip-PID-RAND.part`
// file in the destination, and folders and files under the cache's `tmp/`. Every temporary name
// carries its owner's PID; the next run removes those whose owner no longer runs (or, for cache
// entries named before PIDs were part of the name, that are older than a day), and keeps those of
// live runs and every file safe-pip did not name.
import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildWheel } from '../helpers/wheel-builder.js';
import { cacheEnv, expectSuccess, makeSandbox, safePipDownload, safePipFetch, treeOf } from './harness.js';
import { serveProject, startHostileServer } from './hostile-server.js';

/** The PID of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync('true');
  expect(child.pid).toBeGreaterThan(0);
  return child.pid!;
}

async function leftovers(run: typeof safePipFetch) {
  const srv = await startHostileServer();
  onTestFinished(() => srv.close());
  const wheel = await buildWheel({ name: 'tidy', version: '1.0' });
  serveProject(srv, 'tidy', [{ filename: wheel.filename, data: wheel.data, metadata: wheel.metadata! }]);
  const s = makeSandbox();
  const dead = deadPid();
  const live = process.pid;
  const hex = 'a1b2c3d4e5f6';
  mkdirSync(s.dest, { recursive: true });
  const destFiles = {
    deadPart: `.${wheel.filename}.safe-pip-${dead}-${hex}.part`,
    livePart: `.other-1.0-py3-none-any.whl.safe-pip-${live}-${hex}.part`,
    notOurs: '.download.part',
    notOursEither: `.x.safe-pip-${dead}.part`,
  };
  for (const name of Object.values(destFiles)) writeFileSync(join(s.dest, name), 'partial');
  const tmp = join(s.cache, 'tmp');
  mkdirSync(join(tmp, `in-${dead}-${hex}`), { recursive: true });
  writeFileSync(join(tmp, `in-${dead}-${hex}`, `.big.whl.safe-pip-${dead}-${hex}.part`), 'partial');
  mkdirSync(join(tmp, `in-${live}-${hex}`));
  writeFileSync(join(tmp, `w-${dead}-${hex}`), 'partial');
  const dayAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
  mkdirSync(join(tmp, 'in-Ab12Cd'));
  utimesSync(join(tmp, 'in-Ab12Cd'), dayAgo, dayAgo);
  mkdirSync(join(tmp, 'in-Fresh1'));
  writeFileSync(join(tmp, 'notes.txt'), 'not a temporary name');
  const result = await run(s, ['-i', `${srv.url}/simple/`, '--retries', '0', 'tidy'], cacheEnv(s));
  expectSuccess(result);
  expect(treeOf(s.dest)).toEqual([destFiles.livePart, destFiles.notOurs, destFiles.notOursEither, wheel.filename].sort());
  expect(treeOf(tmp)).toEqual([`in-${live}-${hex}`, 'in-Fresh1', 'notes.txt']);
}

describe('leftovers of killed runs', () => {
  it('safe-pip fetch removes the stale partial files and temporary folders, and keeps the rest', () => leftovers(safePipFetch), 120_000);
  it('pip download through safe-pip: the same', () => leftovers(safePipDownload), 120_000);
});
