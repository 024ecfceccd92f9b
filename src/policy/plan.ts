// The decision: given what the user asked for, what pip would pick, and what the user allowed,
// what happens (DESIGN.md "Policy"). Pure: no I/O, no clock; src/cli/intercept.ts carries it out.
//
// download: never runs anything. Wheels go through pip as exact pins with --no-deps and
// --only-binary=:all: last; sdists and remote archives are fetched raw (hash-checked); local
// archives are copied unbuilt; directories and VCS targets are skipped with an explanation.
// install / wheel / lock: pip runs with --only-binary=:all: last (requirement files sanitized);
// local projects the user names are built as asked; remote archives, `name @ url` and VCS targets
// (and `name @ url` dependencies found in metadata) are refused unless the project is allowed; a
// closure with no acceptable wheel is refused before pip starts.
// Two steps may come before the main pip run, and the plan is then made again with what they
// taught: `build` (an allowed project that only has a source archive is built on its own into a
// private wheel directory, with binary-only build dependencies; the main run finds the wheel
// there) and `prepare` (pip prepares the metadata of projects it will build anyway — the user's
// local projects and allowed direct references — whose dependencies are not static, so that a
// `name @ url` among them is caught before the main run builds it).
import type { Target, TargetKind } from './targets.js';
import { isUsersLocalProject, projectNameOf } from './targets.js';
import { normalizeName } from '../standards/names.js';

export type BuildingCommand = 'install' | 'download' | 'wheel' | 'lock';
export type TargetAction = 'pip' | 'fetch' | 'copy' | 'skip' | 'refuse' | 'build';
export type PackageVia = 'pip' | 'fetch' | 'refuse' | 'skip' | 'build';
export type StepKind = 'fetch' | 'copy' | 'prepare' | 'build' | 'pip';

export interface PackageChoice {
  name: string;
  version: string;
  filename: string;
  url: string;
  hashes: Record<string, string>;
  isWheel: boolean;
  requiredBy: string[];
  dependencies: string[] | 'unknown';
  /** Why dependencies are unknown or where they came from. */
  dependencyNote?: string;
}

export interface DirectReference {
  /** `name==version` of the package whose metadata declares it. */
  requiredBy: string;
  name: string;
  url: string;
  requirement: string;
  vcs: boolean;
  /** Its metadata was prepared in an earlier round, so its dependencies are already checked. */
  dependenciesKnown?: boolean;
}

/** The outcome of resolving under --only-binary=:all: (install, wheel, lock). */
export type BinaryResolution =
  | {
      ok: true;
      /** Wheels, plus source archives of projects the user allowed (built in their own step). */
      closure: PackageChoice[];
      newerSdists: { name: string; chosen: string; newest: string }[];
      /** Installed projects `-U` would upgrade to a version that exists only as a source archive. */
      keptInstalled?: { name: string; installed: string; newest: string }[];
    }
  | {
      ok: false;
      project: string;
      message: string;
      sdistOnly: boolean;
      requiredBy: string[];
      version?: string | null;
      /** The source archive pip would build (when sdistOnly), for the plan's packages. */
      sdist?: { filename: string; url: string } | null;
    };

export interface RequirementFileFinding {
  file: string;
  line: number;
  text: string;
  /** What the line would do: re-enable builds (`--no-binary …`), or name a source target. */
  issue: string;
}

/** A project pip will build whose dependencies safe-pip could not read statically. */
export interface UnknownDependencies {
  /** The requirement as pip is given it (a path, `name @ url`, a VCS URL). */
  requirement: string;
  editable: boolean;
  /** Canonical project name when known before building. */
  name: string | null;
  /** Whether the user named it as a local project (built as asked) rather than a remote one. */
  local: boolean;
  origin: string;
  reason: string;
}

export interface PlanInput {
  command: BuildingCommand;
  targets: Target[];
  /** download: the closure pip would pick with the user's own settings. */
  closure: PackageChoice[];
  directReferences: DirectReference[];
  binary: BinaryResolution | null;
  /** Canonical project names the user allowed to build (safe-pip config, env, flag). */
  allowBuild: ReadonlySet<string>;
  /** Option lines in requirement/constraint files that would re-enable builds; they are dropped. */
  droppedFileLines: RequirementFileFinding[];
  /** Projects pip will build whose dependencies are not known statically (install, wheel, lock). */
  unknownDependencies?: UnknownDependencies[];
  /** pip 23.0–25.2: a --global-option/--build-option that makes pip build everything (pip/legacy-setup-py-options.ts). */
  impliedNoBinary?: ImpliedNoBinary | null;
}

export interface ImpliedNoBinary {
  /** `--global-option`, `--build-option`, `--install-option`. */
  option: string;
  /** Which occurrence, for messages. */
  where: string;
  /** pip builds in an isolated environment, which inherits the format control (build dependencies). */
  buildIsolation: boolean;
}

export interface PlannedTarget {
  requirement: string;
  kind: TargetKind;
  origin: string;
  action: TargetAction;
  reason: string;
  /** Canonical project name when known (named targets, `name @ url`). */
  project: string | null;
}

export interface PlannedPackage extends PackageChoice {
  kind: 'wheel' | 'sdist';
  via: PackageVia;
}

export interface Refusal {
  /** The project (or the requirement text when the project is unknown). */
  project: string;
  version: string | null;
  why: string;
  requiredBy: string;
  /** The exact setting or flag that allows it, or the next step. */
  allowWith: string;
}

export interface Plan {
  command: BuildingCommand;
  steps: StepKind[];
  refused: boolean;
  refusals: Refusal[];
  targets: PlannedTarget[];
  packages: PlannedPackage[];
  /** Files safe-pip downloads itself (sdists, remote archives) into the destination. */
  fetches: { name: string; url: string; filename: string; hashes: Record<string, string>; why: string }[];
  /** Local archives copied unbuilt (download). */
  copies: { path: string; why: string }[];
  /** Allowed projects that only have a source archive: each built on its own before the main run. */
  builds: { name: string; version: string | null; requirement: string }[];
  /** Projects pip builds anyway whose metadata pip prepares first, so their dependencies are checked. */
  preparations: { requirement: string; editable: boolean; name: string | null; why: string }[];
  /** How pip is called: the pinned hand-off (download) or the user's own requirements, sanitized. */
  pipRequirements: { kind: 'pins'; pins: string[] } | { kind: 'as-given' } | null;
  /** Lines safe-pip prints (stderr, `safe-pip:` prefix) unless -q. */
  notes: string[];
}

function allowHint(name: string | null): string {
  const project = name ?? '<project>';
  return `set SAFE_PIP_ALLOW_BUILD=${project}, add the flag --safe-pip-allow-build=${project}, or put allow-build = ["${project}"] in ~/.config/safe-pip/config.toml`;
}

export function decide(input: PlanInput): Plan {
  return input.command === 'download' ? planDownload(input) : planBuildingCommand(input);
}

function planDownload(input: PlanInput): Plan {
  const plan = emptyPlan(input.command);
  for (const target of input.targets) {
    if (target.constraint) continue;
    switch (target.kind) {
      case 'named':
        plan.targets.push(planned(target, 'pip', 'resolved from the index; see packages'));
        break;
      case 'wheel':
        plan.targets.push(planned(target, 'pip', 'a wheel: downloading it runs no code'));
        break;
      case 'local-archive':
        plan.targets.push(planned(target, 'copy', 'a local source archive: copied unbuilt (pip would build it to read its metadata)'));
        plan.copies.push({ path: target.path ?? target.requirement, why: 'local source archive' });
        break;
      case 'remote-archive':
        plan.targets.push(planned(target, 'fetch', 'a remote source archive: fetched raw (pip would build it to read its metadata)'));
        plan.fetches.push({ name: target.name ?? target.requirement, url: target.url ?? target.requirement, filename: '', hashes: {}, why: 'remote source archive' });
        break;
      case 'local-dir':
        plan.targets.push(planned(target, 'skip', 'a local directory: there is no file to download, and pip would run its build code'));
        plan.notes.push(`skipped ${target.requirement}: a directory cannot be downloaded without running its build code`);
        break;
      case 'vcs':
        plan.targets.push(planned(target, 'skip', 'a VCS checkout: pip would run its build code to read its metadata'));
        plan.notes.push(`skipped ${target.requirement}: a VCS checkout is not downloaded (pip would build it); clone it with its own tool instead`);
        break;
      case 'editable':
        plan.targets.push(planned(target, 'skip', 'editable requirements cannot be downloaded'));
        break;
    }
  }
  for (const choice of input.closure) {
    if (choice.isWheel) {
      plan.packages.push({ ...choice, kind: 'wheel', via: 'pip' });
    } else {
      plan.packages.push({ ...choice, kind: 'sdist', via: 'fetch' });
      plan.fetches.push({ name: choice.name, url: choice.url, filename: choice.filename, hashes: choice.hashes, why: `pip would build ${choice.filename} to read its metadata` });
      if (choice.dependencies === 'unknown') {
        plan.notes.push(
          `${choice.name} ${choice.version}: only a source archive; fetched raw. Its dependencies cannot be known without running its build code (${choice.dependencyNote ?? 'no static metadata'}) and were not followed.`,
        );
      } else {
        plan.notes.push(`${choice.name} ${choice.version}: only a source archive; fetched raw (its dependencies came from static metadata)`);
      }
    }
  }
  for (const ref of input.directReferences) {
    if (ref.vcs) {
      plan.notes.push(`skipped ${ref.requirement} (required by ${ref.requiredBy}): a VCS dependency would be built`);
    } else {
      plan.fetches.push({ name: ref.name, url: ref.url, filename: '', hashes: {}, why: `direct URL dependency of ${ref.requiredBy}` });
      plan.notes.push(`${ref.requirement} (required by ${ref.requiredBy}) is a direct URL: fetched raw, not built`);
    }
  }
  for (const ref of input.directReferences) {
    plan.packages.push(directReferencePackage(ref, ref.vcs ? 'skip' : 'fetch'));
  }
  settleNamedTargets(plan);
  notesForDroppedLines(plan, input.droppedFileLines);
  const pins = plan.packages.filter((p) => p.via === 'pip' && p.isWheel).map((p) => `${p.name}==${p.version}`);
  const wheelTargets = input.targets.some((t) => !t.constraint && t.kind === 'wheel');
  if (plan.fetches.length > 0) plan.steps.push('fetch');
  if (plan.copies.length > 0) plan.steps.push('copy');
  if (pins.length > 0 || wheelTargets) {
    plan.steps.push('pip');
    plan.pipRequirements = { kind: 'pins', pins };
  }
  return plan;
}

function planBuildingCommand(input: PlanInput): Plan {
  const plan = emptyPlan(input.command);
  const allowed = (name: string | null): boolean => name !== null && input.allowBuild.has(name);
  for (const target of input.targets) {
    if (target.kind === 'named' || target.kind === 'wheel') {
      if (!target.constraint) plan.targets.push(planned(target, 'pip', target.kind === 'wheel' ? 'a wheel: installing it runs no build code' : 'resolved to wheels only'));
      continue;
    }
    if (isUsersLocalProject(target)) {
      if (!target.constraint) plan.targets.push(planned(target, 'pip', 'your own local project: pip builds it as you asked; its dependencies stay binary-only'));
      continue;
    }
    // remote archives, `name @ url`, VCS (editable or not)
    const project = projectNameOf(target);
    if (allowed(project)) {
      plan.targets.push(planned(target, 'build', `allowed by name (${project}): pip builds it`));
      continue;
    }
    const what = target.kind === 'vcs' || target.kind === 'editable' ? 'a VCS checkout' : 'a remote source archive';
    plan.targets.push(planned(target, 'refuse', `${what}: pip would run its build code`));
    plan.refusals.push({
      project: project ?? target.requirement,
      version: null,
      why: `${target.requirement} is ${what}; pip ${input.command === 'lock' ? 'locks' : 'installs'} it by running its build code (setup.py or PEP 517 backend)`,
      requiredBy: target.constraint ? `a constraint (${target.origin})` : target.origin,
      allowWith: allowHint(project),
    });
  }
  for (const ref of input.directReferences) {
    if (allowed(ref.name)) {
      if (ref.dependenciesKnown === true) continue;
      addPreparation(plan, { requirement: `${ref.name} @ ${ref.url}`, editable: false, name: ref.name, why: `allowed direct reference required by ${ref.requiredBy}` });
      continue;
    }
    plan.refusals.push({
      project: ref.name,
      version: null,
      why: `${ref.requiredBy} depends on ${ref.requirement}, a direct ${ref.vcs ? 'VCS' : 'URL'} reference that pip builds even under --only-binary=:all:`,
      requiredBy: ref.requiredBy,
      allowWith: allowHint(ref.name),
    });
  }
  const binary = input.binary;
  if (binary !== null && !binary.ok) {
    if (binary.sdistOnly && !allowed(binary.project)) {
      plan.refusals.push({
        project: binary.project,
        version: binary.version ?? null,
        why: `no version of ${binary.project} that fits has a compatible wheel; pip would build ${binary.version ? `the ${binary.version} source archive` : 'a source archive'}, running its code`,
        requiredBy: binary.requiredBy.join(', ') || 'your requirements',
        allowWith: allowHint(binary.project),
      });
    } else if (binary.sdistOnly) {
      const version = binary.version ?? null;
      plan.builds.push({ name: binary.project, version, requirement: version === null ? binary.project : `${binary.project}==${version}` });
      plan.packages.push(unresolvedSdistPackage(binary, 'build'));
    } else {
      // Not about builds (no such project, conflicts): pip, kept binary-only, reports it itself.
      plan.notes.push(`could not resolve the requirements ahead of pip (${binary.message}); pip will report it`);
    }
  }
  if (binary !== null && binary.ok) {
    for (const choice of binary.closure) {
      if (choice.isWheel) {
        plan.packages.push({ ...choice, kind: 'wheel', via: 'pip' });
        continue;
      }
      // Only an allowed project can resolve to a source archive here.
      plan.packages.push({ ...choice, kind: 'sdist', via: 'build' });
      plan.builds.push({ name: choice.name, version: choice.version, requirement: `${choice.name}==${choice.version}` });
    }
    for (const newer of binary.newerSdists) {
      plan.notes.push(`${newer.name} ${newer.newest} exists only as a source archive; using the newest wheel, ${newer.name} ${newer.chosen}`);
    }
    for (const kept of binary.keptInstalled ?? []) {
      plan.notes.push(`${kept.name} ${kept.newest} exists only as a source archive; keeping the installed ${kept.name} ${kept.installed} (allow the build to upgrade: ${allowHint(kept.name)})`);
    }
  }
  if (input.impliedNoBinary) refuseImpliedBuilds(plan, input, input.impliedNoBinary, allowed);
  for (const unknown of input.unknownDependencies ?? []) {
    if (!unknown.local && !allowed(unknown.name)) continue; // refused above
    addPreparation(plan, { requirement: unknown.requirement, editable: unknown.editable, name: unknown.name, why: `${unknown.reason}; pip prepares its metadata first so its dependencies are checked` });
  }
  notesForDroppedLines(plan, input.droppedFileLines);
  settleNamedTargets(plan);
  if (plan.refusals.length > 0) {
    plan.refused = true;
    plan.steps = [];
    markRefused(plan, input);
    return plan;
  }
  for (const target of input.targets) {
    if (target.constraint) continue;
    const forms = [target.requirement, target.path, target.url, target.name !== null && target.url !== null ? `${target.name} @ ${target.url}` : null];
    if (!plan.preparations.some((p) => forms.includes(p.requirement))) continue;
    const shown = plan.targets.find((t) => t.requirement === target.requirement && t.origin === target.origin);
    if (shown !== undefined) shown.reason += '; pip prepares its metadata first, so that its dependencies are checked before the main run';
  }
  if (plan.preparations.length > 0) plan.steps.push('prepare');
  if (plan.builds.length > 0) plan.steps.push('build');
  plan.steps.push('pip');
  plan.pipRequirements = { kind: 'as-given' };
  return plan;
}

/**
 * With --global-option/--build-option, pip 23.0–25.2 builds every project from source whatever
 * --only-binary says: each project of the closure that is not allowed is refused, and so is any
 * build in an isolated environment, whose build dependencies would be built from source too.
 */
function refuseImpliedBuilds(plan: Plan, input: PlanInput, implied: ImpliedNoBinary, allowed: (name: string | null) => boolean): void {
  const effect = `pip reads ${implied.where} as --no-binary=:all: ("Implying --no-binary=:all:"), which overrides --only-binary=:all:`;
  const dropIt = `drop ${implied.option} (pip's replacement is --config-settings)`;
  const binary = input.binary;
  const projects = binary === null ? [] : binary.ok ? binary.closure : [{ name: binary.project, version: binary.version ?? null, requiredBy: binary.requiredBy }];
  for (const project of projects) {
    if (allowed(project.name) || plan.refusals.some((r) => r.project === project.name)) continue;
    const which = project.version === null ? project.name : `${project.name} ${project.version}`;
    plan.refusals.push({
      project: project.name,
      version: project.version,
      why: `${effect}: pip would build ${which} from its source archive instead of installing a wheel, running its code`,
      // The resolver names the user's own requirements `<user>`.
      requiredBy: project.requiredBy.map((by) => (by === '<user>' ? 'your requirements' : by)).join(', ') || 'your requirements',
      allowWith: `${dropIt}, or ${allowHint(project.name)}`,
    });
  }
  if (!implied.buildIsolation) return;
  const built = [
    ...input.targets.filter((t) => !t.constraint && (isUsersLocalProject(t) || (t.kind !== 'named' && t.kind !== 'wheel' && allowed(projectNameOf(t))))).map((t) => t.requirement),
    ...plan.builds.map((b) => b.requirement),
  ];
  if (built.length === 0) return;
  plan.refusals.push({
    project: built[0]!,
    version: null,
    why: `${effect}: pip passes it to the build environment of ${built.join(', ')}, so its build dependencies (setuptools and the like) would be built from source, running their code`,
    requiredBy: 'your requirements',
    allowWith: `${dropIt}, or add --no-build-isolation with the build dependencies already installed`,
  });
}

/**
 * A named target says what happens to the project it names: pip downloads or installs its wheel,
 * safe-pip fetches its source archive raw (download), or it is built on its own (allowed).
 */
function settleNamedTargets(plan: Plan): void {
  for (const target of plan.targets) {
    if (target.kind !== 'named' || target.action !== 'pip') continue;
    const pkg = plan.packages.find((p) => p.name === target.project);
    if (pkg === undefined) continue;
    const which = `${pkg.name} ${pkg.version}`.trim();
    if (pkg.via === 'fetch') {
      target.action = 'fetch';
      target.reason = `${which} has only a source archive (${pkg.filename}): fetched raw, not built (pip would build it to read its metadata)`;
    } else if (pkg.via === 'build') {
      target.action = 'build';
      target.reason = `${which} has only a source archive that fits; allowed by name (${pkg.name}): built on its own first, its build dependencies binary-only`;
    } else if (plan.command === 'download') {
      target.reason = `pip downloads ${which} as the wheel ${pkg.filename}`;
    } else {
      target.reason = `${which} comes as the wheel ${pkg.filename}; pip runs with --only-binary=:all:`;
    }
  }
}

/**
 * A refused plan runs nothing: each refused project's package says `refuse` (added when the
 * resolution stopped at it, so it has no package yet), and every target says `refuse` with the
 * reason — its own refusal, or the refusals that stop the whole command.
 */
const DONE: Record<BuildingCommand, string> = { install: 'installed', download: 'downloaded', wheel: 'built', lock: 'locked' };

function markRefused(plan: Plan, input: PlanInput): void {
  const refusedNames = new Set(plan.refusals.map((r) => normalizeName(r.project)));
  for (const pkg of plan.packages) if (refusedNames.has(pkg.name)) pkg.via = 'refuse';
  const binary = input.binary;
  if (binary !== null && !binary.ok && binary.sdistOnly && !plan.packages.some((p) => p.name === binary.project)) {
    if (refusedNames.has(binary.project)) plan.packages.push(unresolvedSdistPackage(binary, 'refuse'));
  }
  for (const ref of input.directReferences) {
    if (refusedNames.has(ref.name) && !plan.packages.some((p) => p.name === ref.name)) plan.packages.push(directReferencePackage(ref, 'refuse'));
  }
  const culprits = plan.refusals.map((r) => `${r.project}${r.version === null ? '' : ` ${r.version}`}`);
  for (const target of plan.targets) {
    if (target.action === 'refuse') continue;
    const own = target.project === null ? undefined : plan.refusals.find((r) => normalizeName(r.project) === target.project);
    target.action = 'refuse';
    target.reason = own !== undefined ? own.why : `the whole command is refused, so nothing is ${DONE[plan.command]}: ${culprits.join(', ')} would run build code (see the refusal)`;
  }
}

function unresolvedSdistPackage(binary: Extract<BinaryResolution, { ok: false }>, via: PackageVia): PlannedPackage {
  return {
    name: binary.project,
    version: binary.version ?? '',
    filename: binary.sdist?.filename ?? '',
    url: binary.sdist?.url ?? '',
    hashes: {},
    isWheel: false,
    requiredBy: binary.requiredBy,
    dependencies: 'unknown',
    kind: 'sdist',
    via,
  };
}

/** A `name @ url` dependency found in metadata: fetched raw (download), skipped (VCS), or refused. */
function directReferencePackage(ref: DirectReference, via: PackageVia): PlannedPackage {
  const path = ref.url.replace(/[#?].*$/, '');
  const filename = ref.vcs ? '' : decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  const wheel = filename.endsWith('.whl');
  return { name: ref.name, version: '', filename, url: ref.url, hashes: {}, isWheel: wheel, requiredBy: [ref.requiredBy], dependencies: 'unknown', kind: wheel ? 'wheel' : 'sdist', via };
}

function addPreparation(plan: Plan, preparation: Plan['preparations'][number]): void {
  if (!plan.preparations.some((p) => p.requirement === preparation.requirement && p.editable === preparation.editable)) plan.preparations.push(preparation);
}

function notesForDroppedLines(plan: Plan, lines: readonly RequirementFileFinding[]): void {
  for (const line of lines) plan.notes.push(`ignored ${line.file} line ${line.line} (${line.text.trim()}): ${line.issue}`);
}

function planned(target: Target, action: TargetAction, reason: string): PlannedTarget {
  return { requirement: target.requirement, kind: target.kind, origin: target.origin, action, reason, project: target.name };
}

function emptyPlan(command: BuildingCommand): Plan {
  return { command, steps: [], refused: false, refusals: [], targets: [], packages: [], fetches: [], copies: [], builds: [], preparations: [], pipRequirements: null, notes: [] };
}
