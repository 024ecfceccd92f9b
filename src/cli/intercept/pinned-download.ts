// download's hand-off to pip: the user's command line minus its requirements (positionals, -r,
// -c, -e), plus `-r <pins> --no-deps --only-binary=:all:`; pins are the resolved wheels
// `name==version` (with the user's hashes in hash-checking mode) and the wheel files/URLs the
// user named. pip then downloads exactly what safe-pip checked, and nothing else.
// A wheel the download step already staged locally (download-step.ts) is pinned as
// `name @ file:///…/<wheel>` instead, so pip reads no index for it; pip still checks the hashes,
// saves the file into the destination and prints as usual, except that it announces a local file
// as `Processing <path>`: execute.ts turns that line back into `Collecting name==version` and the
// file's index URL (report/hand-off-lines.ts). The file URL is percent-encoded, so a temporary
// directory with spaces or `#` in its path survives pip's requirements-file parsing.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderPipArgv, type ArgvEdit } from '../../pip/argv-edits.js';
import type { Analysis } from './analyze.js';
import { ONLY_BINARY_ALL, overrideConfiguredFiles } from './configured-files.js';
import type { PipInvocation } from './pip-invocation.js';
import type { StagedWheels } from './download-step.js';
import type { Target } from '../../policy/targets.js';

const REQUIREMENT_DESTS = new Set(['requirements', 'constraints', 'editables', 'dependency_groups', 'requirements_from_scripts']);

export function pinnedInvocation(analysis: Analysis, tempDir: string, stagedWheels: StagedWheels): PipInvocation {
  const { model, plan, gathered, userHashes, hashChecking } = analysis;
  const lines: string[] = [];
  const origins: (string | null)[] = [];
  let pipFetches = false;
  for (const pkg of plan.packages) {
    if (pkg.via !== 'pip') continue;
    const hashes = userHashes.get(pkg.name) ?? (hashChecking ? indexHashes(pkg.hashes) : {});
    const hashOptions = Object.entries(hashes).flatMap(([alg, list]) => list.map((hex) => ` --hash=${alg}:${hex}`));
    const staged = stagedWheels.get(pkg.name);
    const requirement = staged === undefined ? `${pkg.name}==${pkg.version}` : `${pkg.name} @ ${pathToFileURL(staged).href}`;
    lines.push(`${requirement}${hashOptions.join('')}`);
    origins.push(fileOrigin(gathered.targets.filter((t) => !t.constraint && t.name === pkg.name).at(-1)));
    pipFetches ||= staged === undefined;
  }
  for (const target of gathered.targets) {
    if (target.constraint || target.kind !== 'wheel') continue;
    lines.push(target.url ?? target.requirement);
    origins.push(fileOrigin(target));
    pipFetches = true;
  }
  const pinsPath = join(tempDir, 'safe-pip-pins.txt');
  const edits: ArgvEdit[] = [];
  for (const occurrence of model.occurrences ?? []) {
    if (REQUIREMENT_DESTS.has(occurrence.spec.dest)) edits.push({ kind: 'remove-occurrence', occurrence });
  }
  for (const positional of model.positionals ?? []) edits.push({ kind: 'remove-positional', positional });
  edits.push({ kind: 'append-options', tokens: ['-r', pinsPath, '--no-deps', ONLY_BINARY_ALL] });
  const emptyFile = join(tempDir, 'safe-pip-empty.txt');
  const envChanges = overrideConfiguredFiles(analysis, () => emptyFile);
  const files = [{ path: pinsPath, bytes: new TextEncoder().encode(`${lines.join('\n')}\n`) }];
  if (Object.keys(envChanges).length > 0) files.push({ path: emptyFile, bytes: new Uint8Array() });
  return { args: renderPipArgv(model, edits), envChanges, files, pinsFile: { path: pinsPath, origins, pipFetches } };
}

/** How pip names a requirement's origin: a requirements file and line; nothing for the command line. */
function fileOrigin(target: Target | undefined): string | null {
  return target !== undefined && /^-[rc] /.test(target.origin) ? target.origin : null;
}

function indexHashes(hashes: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const alg of ['sha256', 'sha384', 'sha512']) if (hashes[alg] !== undefined) out[alg] = [hashes[alg]!];
  return out;
}

