// `download` and start-up code (docs/beyond-pip.md §1): a download runs nothing, so a wheel that
// carries a `.pth` import line, a sitecustomize module or a `.start` file is reported, not refused.
// The wheels are read once pip has saved them, from the destination directory: the zip's central
// directory and its few start-up members, locally, so the download itself waits on no extra
// request (inspecting before would cost one per wheel, and a stalled server would hold it up).
// Only the wheels this run saved are read: those pip was handed or fetched by pin, those the user
// named by file or URL, and those safe-pip fetched raw. Projects allowed with allow-startup-code
// are not read, as at install. A file that is gone or cannot be opened is skipped without a word;
// one that is not a readable zip gets one line, since install would refuse it.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { normalizeName } from '../../standards/names.js';
import { wheelNameAndVersion } from '../../standards/wheel-filename.js';
import { linkFromUrl } from '../../standards/simple-api.js';
import { ArchiveError } from '../../resolve/random-access.js';
import { localFileSource } from '../../io/random-access-sources.js';
import { inspectWheelStartupCode } from '../../io/wheel-startup-files.js';
import { downloadedStartupWarnings } from '../../policy/startup-code.js';
import type { Plan } from '../../policy/plan.js';
import type { Target } from '../../policy/targets.js';
import type { StagedWheels } from './download-step.js';
import { allowedStartupCode } from './beyond-pip-settings.js';

export interface SavedWheel {
  /** Canonical project name (for allow-startup-code). */
  name: string;
  path: string;
}

/** Wheels that land in `dest` in this run, in plan order, each once. Pure: what the plan says. */
export function wheelsSavedByDownload(
  analysis: { plan: Pick<Plan, 'packages'>; gathered: { targets: readonly Target[] } },
  dest: string,
  staged: StagedWheels,
  savedRaw: readonly string[],
): SavedWheel[] {
  const out = new Map<string, SavedWheel>();
  const add = (name: string, filename: string): void => {
    if (!filename.endsWith('.whl')) return;
    const path = join(dest, basename(filename));
    if (!out.has(path)) out.set(path, { name: normalizeName(name), path });
  };
  const projectOf = (filename: string): string => wheelNameAndVersion(filename).name;
  for (const pkg of analysis.plan.packages) {
    if (pkg.via === 'pip' && pkg.isWheel) add(pkg.name, basename(staged.get(pkg.name) ?? pkg.filename));
  }
  for (const target of analysis.gathered.targets) {
    if (target.constraint || target.kind !== 'wheel') continue;
    const location = target.url ?? (target.path === null ? null : pathToFileURL(target.path).href);
    if (location === null) continue;
    const filename = linkFromUrl(location).filename;
    add(target.name ?? projectOf(filename), filename);
  }
  for (const path of savedRaw) add(projectOf(basename(path)), basename(path));
  return [...out.values()];
}

const INSPECT_CONCURRENCY = 8;

/** Reads each saved wheel and returns the warning lines (without the `safe-pip: ` prefix), in order. */
export async function downloadedStartupCode(wheels: readonly SavedWheel[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const allowed = allowedStartupCode(env).names;
  const todo = wheels.filter((wheel) => !allowed.has(wheel.name));
  const lines: string[][] = todo.map(() => []);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < todo.length; index = next++) {
      const wheel = todo[index]!;
      const filename = basename(wheel.path);
      let size: number;
      try {
        await access(wheel.path, constants.R_OK);
        size = (await stat(wheel.path)).size;
      } catch {
        continue;
      }
      try {
        lines[index] = downloadedStartupWarnings({ name: wheel.name, filename }, await inspectWheelStartupCode(localFileSource(wheel.path, size, filename)));
      } catch (error) {
        if (error instanceof ArchiveError) lines[index] = [`warning: ${filename} could not be inspected for code that runs at every Python start-up (${error.reason}); installing it through safe-pip is refused`];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(INSPECT_CONCURRENCY, todo.length) }, worker));
  return lines.flat();
}
