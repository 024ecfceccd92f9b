// install's staging options (src/cli/intercept/install-staging.ts) for the machine's python3 pip,
// which REAL_PIP and the recording pip both run under: a --find-links directory, or, for a pip
// that lists such a directory once per project, a private per-project index. Which one is asked
// of that pip itself: 24.0 added `_FlatDirectoryToUrls`, the cache of a directory's listing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const MACHINE_PIP_STAGES_AS_INDEX =
  execFileSync('python3', ['-I', '-c', 'import pip._internal.index.sources as s; print(hasattr(s, "_FlatDirectoryToUrls"))'], { encoding: 'utf8' }).trim() === 'False';

/** The options as `explain` shows them, `<temp>` standing for the run's private directory. */
export function plannedStagingArgs(tempDir = '<temp>'): string[] {
  return MACHINE_PIP_STAGES_AS_INDEX ? ['--index-url', `file://${tempDir}/staged-index/`] : ['--no-index', '--find-links', `${tempDir}/staged-wheels`];
}

/**
 * The staging options in a command line pip received (just before --only-binary=:all:): checked,
 * including that the private directory is gone once safe-pip exited, and removed, so the rest can
 * be compared exactly. Returns the rest and the private run directory they named.
 */
export function withoutStagingArgs(argv: readonly string[]): { rest: string[]; runDir: string } {
  const at = MACHINE_PIP_STAGES_AS_INDEX ? argv.lastIndexOf('--index-url') : argv.indexOf('--no-index');
  expect(at, argv.join(' ')).toBeGreaterThanOrEqual(0);
  const length = MACHINE_PIP_STAGES_AS_INDEX ? 2 : 3;
  const location = MACHINE_PIP_STAGES_AS_INDEX ? fileURLToPath(argv[at + 1]!) : argv[at + 2]!;
  if (!MACHINE_PIP_STAGES_AS_INDEX) expect(argv[at + 1]).toBe('--find-links');
  expect(location).toMatch(MACHINE_PIP_STAGES_AS_INDEX ? /\/safe-pip-run-[^/]+\/staged-index\/$/ : /\/safe-pip-run-[^/]+\/staged-wheels$/);
  expect(existsSync(location), 'the staged wheels are removed once safe-pip exits').toBe(false);
  expect(argv[at + length]).toBe('--only-binary=:all:');
  const runDir = location.replace(/\/staged-(index\/|wheels)$/, '');
  return { rest: [...argv.slice(0, at), ...argv.slice(at + length)], runDir };
}
