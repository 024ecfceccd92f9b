// How the real pip is called once the plan is made: which argv, which environment changes, which
// files must exist for it (a pins file, sanitized requirement trees). Computed without writing
// anything, so `explain` can show exactly what `pip` would receive.
//
// download: the pinned hand-off (pinned-download.ts).
// install/wheel/lock: the user's command line with requirement/constraint files replaced by
//   sanitized copies when they held lines that re-enable builds, plus `--only-binary=:all:` last
//   (with `--find-links <built wheels>` before it when the build step built allowed projects).
// In both, requirement/constraint files that pip would take from PIP_* variables or config files
// are overridden through the environment (the environment wins over config files, and the
// command line cannot remove them).
import { join } from 'node:path';
import { renderPipArgv, type ArgvEdit } from '../../pip/argv-edits.js';
import { sanitizeRequirementsTree, type LineVerdict } from '../../standards/requirements-file.js';
import type { RequirementsFileLine } from '../../standards/requirements-file/tree.js';
import { SafePipError } from '../../errors.js';
import { EXIT_REFUSED } from '../../exit-codes.js';
import type { Analysis } from './analyze.js';
import { ONLY_BINARY_ALL, overrideConfiguredFiles } from './configured-files.js';
import { pinnedInvocation } from './pinned-download.js';
import type { StagedWheels } from './download-step.js';
import { installsFromStaging, stagingOptions } from './install-staging.js';

export interface PipInvocation {
  args: string[];
  /** Variables to set (string) or remove (undefined) in the real pip's environment. */
  envChanges: Record<string, string | undefined>;
  files: { path: string; bytes: Uint8Array }[];
  /**
   * download's pins file, which pip names as a requirement's origin: each line's origin among the
   * user's requirements (`-r reqs.txt (line 2)`), or null; `pipFetches`: some line is not a staged
   * wheel, so pip's own messages about fetching it (stderr) may name the file too.
   */
  pinsFile?: { path: string; origins: (string | null)[]; pipFetches: boolean };
  /** install's staged wheels: the directory or private index URL pip was given for them. */
  stagedAt?: string;
}

/** `stagedWheels`: what the download step staged (none for `explain`, which downloads nothing). */
/**
 * `stagedWheels`: what the run staged (download: any of them; install: all of them or none).
 * `explain` stages nothing: with `asPlanned`, install shows the options its staging would add.
 */
export function pipInvocation(analysis: Analysis, tempDir: string, stagedWheels: StagedWheels = new Map(), options: { asPlanned?: boolean } = {}): PipInvocation | null {
  const { plan } = analysis;
  if (plan.refused || plan.pipRequirements === null) return null;
  if (plan.pipRequirements.kind === 'pins') return pinnedInvocation(analysis, tempDir, stagedWheels);
  const staging = stagedWheels.size > 0 || (options.asPlanned === true && installsFromStaging(analysis));
  return sanitizedInvocation(analysis, tempDir, staging ? stagedWheels : null);
}

/** A line that lets pip build from source behind --only-binary=:all: (any line: pip applies them while reading). */
export function lineVerdict(line: RequirementsFileLine): LineVerdict {
  const reEnables = line.options.occurrences.some(
    (o) => o.name === '--no-binary' || (o.name === '--only-binary' && (o.value ?? '').split(',').includes(':none:')),
  );
  if (!reEnables) return 'keep';
  return line.kind === 'options' ? 'drop' : 'refuse';
}

/** `staged`: pip finds install's wheels in the private directory (install-staging.ts); null: no staging. */
function sanitizedInvocation(analysis: Analysis, tempDir: string, staged: StagedWheels | null): PipInvocation {
  const { model, gathered } = analysis;
  const edits: ArgvEdit[] = [];
  const files: { path: string; bytes: Uint8Array }[] = [];
  const envChanges: Record<string, string | undefined> = {};
  const needsSanitizing = gathered.files.some((f) => f.parsed.files.some((node) => node.lines.some((l) => lineVerdict(l) !== 'keep')));
  if (needsSanitizing) {
    const replacements = new Map<string, string>();
    gathered.files.forEach((root, index) => {
      const tree = sanitizeRequirementsTree(root.parsed, (line) => lineVerdict(line));
      if (tree.refused.length > 0) {
        const first = tree.refused[0]!;
        throw new SafePipError(
          `${first.file} line ${first.lineNumber} (${first.text.trim()}) combines a requirement with an option that would let pip build from source behind --only-binary=:all:.`,
          { exitCode: EXIT_REFUSED, hint: 'move the --no-binary option to a line of its own (safe-pip then ignores it), or allow the project by name (SAFE_PIP_ALLOW_BUILD)' },
        );
      }
      const dir = join(tempDir, `tree-${index}`);
      for (const file of tree.files) files.push({ path: join(dir, file.sanitizedRelativePath), bytes: file.bytes });
      replacements.set(root.parsed.root.location, join(dir, tree.files[0]!.sanitizedRelativePath));
    });
    for (const occurrence of model.occurrences ?? []) {
      if ((occurrence.spec.dest === 'requirements' || occurrence.spec.dest === 'constraints') && occurrence.value !== null) {
        const replacement = replacements.get(occurrence.value);
        if (replacement !== undefined) edits.push({ kind: 'replace-value', occurrence, value: replacement });
      }
    }
    Object.assign(envChanges, overrideConfiguredFiles(analysis, (location) => replacements.get(location) ?? location));
  }
  const staging = staged === null ? null : stagingOptions(analysis, tempDir, staged);
  if (staging !== null) files.push(...staging.files);
  edits.push({ kind: 'append-options', tokens: [...cooldownConstraints(analysis, tempDir, files), ...(staging?.args ?? []), ...builtWheelOptions(analysis, tempDir)] });
  return { args: renderPipArgv(model, edits), envChanges, files, ...(staging === null ? {} : { stagedAt: staging.given }) };
}

/**
 * How the main run sees projects built in the build step: install and wheel find the wheels in
 * the private directory; lock must record the index's source archive, so it builds that again
 * (allowed) rather than lock a temporary file.
 */
function builtWheelOptions(analysis: Analysis, tempDir: string): string[] {
  const built = [...new Set([...analysis.learnt.builtNames, ...analysis.plan.builds.map((b) => b.name)])].sort();
  if (built.length === 0) return [ONLY_BINARY_ALL];
  if (analysis.command === 'lock') return [ONLY_BINARY_ALL, `--no-binary=${built.join(',')}`];
  return ['--find-links', analysis.learnt.builtWheelsDir ?? builtWheelsDir(tempDir), ONLY_BINARY_ALL];
}

/**
 * With safe-pip's cooldown (min-age) in force, pip would still pick the newest release itself: the
 * versions safe-pip chose are handed to it as constraints, so the cooldown holds for every pip.
 */
function cooldownConstraints(analysis: Analysis, tempDir: string, files: { path: string; bytes: Uint8Array }[]): string[] {
  if (!analysis.constrainToPlan) return [];
  const pins = analysis.plan.packages.filter((p) => p.via === 'pip' || p.via === 'build').map((p) => `${p.name}==${p.version}\n`);
  if (pins.length === 0) return [];
  const path = join(tempDir, 'safe-pip-min-age-constraints.txt');
  files.push({ path, bytes: new TextEncoder().encode(pins.join('')) });
  return ['-c', path];
}

/** The private directory the build step writes wheels to, inside a run's temp directory. */
export function builtWheelsDir(tempDir: string): string {
  return join(tempDir, 'built-wheels');
}
