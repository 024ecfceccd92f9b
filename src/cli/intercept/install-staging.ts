// install's fast hand-off (issue 12 §5): when everything pip is to install is a wheel safe-pip has
// resolved from an index, safe-pip fetches those wheels itself, in parallel and hash-checked (the
// start-up code inspection already needs them whole), into the run's private directory, and pip
// is handed the user's own requirements with `--no-index --find-links <that directory>`. pip then
// resolves the same closure from local files and makes no request at all; it still does the
// installing, the upgrade rules and the user's --hash checks. What pip records is unchanged: a
// wheel found through find-links is not a direct URL (no direct_url.json), as with an index.
//
// Anything pip would have to fetch or build from elsewhere keeps the ordinary hand-off: a build
// (allowed, prepared, or the user's own directory, archive, editable or VCS checkout, whose build
// dependencies come from the index), a project the user names by a remote URL, or a wheel that
// could not be staged. So does `--report`: pip would record the private copies' file: URLs as
// where each distribution came from.
import { join } from 'node:path';
import type { Analysis } from './analyze.js';

/** Whether this install can be handed to pip as local wheels only (before any wheel is staged). */
export function installsFromStaging(analysis: Pick<Analysis, 'command' | 'plan' | 'gathered' | 'learnt' | 'settings'>): boolean {
  const { plan, gathered, learnt } = analysis;
  if (analysis.command !== 'install' || plan.refused || plan.pipRequirements?.kind !== 'as-given') return false;
  if (analysis.settings.report !== null) return false;
  if (plan.builds.length > 0 || plan.preparations.length > 0 || learnt.builtNames.size > 0) return false;
  for (const target of gathered.targets) {
    if (target.constraint) continue;
    if (target.kind === 'named') continue;
    // A wheel given by path: pip reads it where it is; its dependencies come from the staged set.
    if (target.kind === 'wheel' && target.path !== null) continue;
    return false;
  }
  return plan.packages.every((pkg) => pkg.via !== 'pip' || (pkg.kind === 'wheel' && pkg.isWheel && pkg.url !== ''));
}

/** The directory pip is pointed at with --find-links. */
export function stagedWheelsDir(tempDir: string): string {
  return join(tempDir, 'staged-wheels');
}
