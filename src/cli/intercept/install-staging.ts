// install's fast hand-off (issue 12 §5): when everything pip is to install is a wheel safe-pip has
// resolved from an index, safe-pip fetches those wheels itself, in parallel and hash-checked (the
// start-up code inspection already needs them whole), into the run's private directory, and pip
// is handed the user's own requirements with `--no-index --find-links <that directory>`. pip then
// resolves the same closure from local files and makes no request at all; it still does the
// installing, the upgrade rules and the user's --hash checks. What pip records is unchanged: a
// wheel found through find-links is not a direct URL (no direct_url.json), as with an index.
//
// pip before 24.0 lists a --find-links directory and judges every file in it once per project it
// looks up (index/sources.py `_FlatDirectorySource`; 24.0 added `_FlatDirectoryToUrls`), which is
// quadratic: 500 staged wheels cost pip 23.2 about 20 s more than reading them from an index.
// Those releases get the same wheels through a private per-project index instead, one
// `<project>/index.html` linking the staged file, with `--index-url file://…` in place of
// `--no-index`; only when that index is the one place pip would look: no extra index and no
// --no-index anywhere, no requirements-file line that names an index (pip applies such lines after
// the command line, and an `--index-url` line there would replace ours).
//
// Anything pip would have to fetch or build from elsewhere keeps the ordinary hand-off: a build
// (allowed, prepared, or the user's own directory, archive, editable or VCS checkout, whose build
// dependencies come from the index), a project the user names by a remote URL, or a wheel that
// could not be staged. So does `--report`: pip would record the private copies' file: URLs as
// where each distribution came from.
import { basename, join } from 'node:path';
import { normalizeName } from '../../standards/names.js';
import { quote } from '../../standards/python-urllib.js';
import { projectPageHtml } from '../../standards/simple-api/html-write.js';
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

/** How pip is pointed at the staged wheels: its options, where they point as pip prints it, and the pages a private index needs. */
export interface StagingOptions {
  args: string[];
  /** The --find-links directory or the private index URL, as pip's `Looking in …` lines show it. */
  given: string;
  files: { path: string; bytes: Uint8Array }[];
}

/**
 * pip's options for finding the staged wheels (for `explain`, which stages nothing, a private
 * index has no pages). `staged`: canonical project name -> staged wheel's path.
 */
export function stagingOptions(analysis: Pick<Analysis, 'facts' | 'index' | 'fileEvents'>, tempDir: string, staged: ReadonlyMap<string, string>): StagingOptions {
  const wheelsDir = stagedWheelsDir(tempDir);
  if (!readsStagingAsIndex(analysis)) return { args: ['--no-index', '--find-links', wheelsDir], given: wheelsDir, files: [] };
  const dir = join(tempDir, 'staged-index');
  const files = [...staged].map(([name, path]) => {
    const filename = basename(path);
    // pip reads `<index>/<canonical name>/` as that directory's index.html; the link is relative to it.
    const page = projectPageHtml([{ href: `../../${basename(wheelsDir)}/${quote(filename)}`, text: filename }]);
    return { path: join(dir, normalizeName(name), 'index.html'), bytes: new TextEncoder().encode(page) };
  });
  // `<temp>` (explain's placeholder for the directory) stays readable; pip unquotes either spelling.
  const url = `file://${quote(dir, '/<>')}/`;
  return { args: ['--index-url', url], given: url, files };
}

/** Whether pip is handed the staged wheels as a private index rather than a --find-links directory. */
function readsStagingAsIndex(analysis: Pick<Analysis, 'facts' | 'index' | 'fileEvents'>): boolean {
  const major = Number.parseInt(analysis.facts.pipVersion, 10);
  if (!(major < 24)) return false;
  const { index, fileEvents } = analysis;
  return !index.noIndex && index.indexUrls.length === 1 && !fileEvents.some((e) => e.kind === 'index-url' || e.kind === 'extra-index-url' || e.kind === 'no-index');
}
