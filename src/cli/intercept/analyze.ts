// From a building pip command line to a plan, reading only what pip would read: the command line,
// pip's config files and PIP_* variables, requirements and constraints files, and the indexes.
// Nothing is executed. The flow is DESIGN.md's: parse ─► settings ─► targets ─► resolution ─► plan.
import { homedir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readWheelMetadata } from '../../resolve/wheel-metadata.js';
import { parseWheelFilename } from '../../standards/wheel-filename.js';
import { parseCoreMetadata } from '../../standards/core-metadata.js';
import { linkFromUrl, pythonUrlsplit } from '../../standards/simple-api.js';
import { compareVersions, tryParseVersion } from '../../standards/versions.js';
import type { SourcedFile } from '../../resolve/index-reader.js';
import { DEFAULT_SDIST_LIMITS, readPyprojectMetadata, readSdistMetadata } from '../../resolve/sdist-metadata.js';
import { parseRequirement, type Requirement } from '../../standards/pep508/requirement.js';
import { evaluateMarker } from '../../standards/pep508/markers.js';
import type { InterpreterFacts } from '../../standards/interpreter-facts.js';
import { optionTableFor, type OptionTable } from '../../pip/option-table.js';
import { renderUsage } from '../../pip/usage.js';
import { readUploadCutoff } from '../../io/upload-cutoff.js';
import { callbackUsageError, parsePipCommandLine, type PipCommandLine } from '../../pip/command-line.js';
import { configFilesFor, systemConfigRoot } from '../../pip/config-files.js';
import { legacySetupPyOption, type LegacySetupPyOption } from '../../pip/legacy-setup-py-options.js';
import { readPipConfigFiles } from '../../io/pip-config-files.js';
import { computeEffectiveSettings, type EffectiveSettings } from '../../pip/effective-settings.js';
import { FormatControl } from '../../pip/format-control.js';
import { gatherRequirements, type GatheredRequirements } from '../../io/requirement-sources.js';
import { IndexClient } from '../../io/index-client.js';
import { proxyEnvFrom } from '../../io/http/client.js';
import { loadNetrc } from '../../io/netrc.js';
import { safePipCacheDir } from '../../io/cache-dir.js';
import type { RequirementsFileEvent } from '../../standards/requirements-file.js';
import { SpecifierSet } from '../../standards/specifiers.js';
import { type VersionRules, versionRulesForPip } from '../../standards/legacy-version.js';
import { normalizeExtra, normalizeName } from '../../standards/names.js';
import { isUsersLocalProject, projectNameOf, type Target } from '../../policy/targets.js';
import { indexConfusionWarning, versionOfDistribution } from '../../policy/index-confusion.js';
import { combineUploadRules, cooldownNote, cooldownRule, type CooldownSettings, type SuppressedRelease } from '../../policy/cooldown.js';
import { cooldownSettings } from './cooldown-settings.js';
import { installsFromStaging } from './install-staging.js';
import { decide, type BinaryResolution, type BuildingCommand, type DirectReference, type Plan, type RequirementFileFinding, type UnknownDependencies } from '../../policy/plan.js';
import type { RootRequirement } from '../../resolve/resolver.js';
import { ResolutionImpossible } from '../../resolve/resolver.js';
import {
  directReferences,
  finderContextFor,
  newerSdistVersions,
  upgradesNeedingBuilds,
  wheelParserFor,
  packageChoices,
  resolveClosure,
} from '../../resolve/resolution-session.js';
import type { AllowedFormat, FinderContext } from '../../resolve/finder.js';
import { SafePipError } from '../../errors.js';
import { allowedBuilds, type AllowList } from './allow-list.js';
import { installedFor } from './installed-environment.js';
import { redactUrl } from '../../io/redact-url.js';
import { beyondPipChecks } from './beyond-pip-checks.js';
import { withBeyondPipFindings, type BeyondPipFindings } from '../../policy/beyond-pip.js';

const MAX_REMOTE_REQUIREMENT_FILES = 100;

export interface AnalyzeInput {
  argv: string[];
  facts: InterpreterFacts;
  env: NodeJS.ProcessEnv;
  cwd: string;
  prog: string;
  /** Project names allowed by a safe-pip flag on this command line (already stripped from argv). */
  flagAllowBuild: string[];
  /** The value of --safe-pip-min-age on this command line (already stripped from argv), or null. */
  flagMinAge?: string | null;
  warn: (message: string) => void;
  /** What the build and prepare steps of an earlier round taught (see execute.ts). */
  learnt?: StepResults;
}

/** Metadata pip prepared for a project it builds (the `prepare` step), from its --report. */
export interface PreparedMetadata {
  name: string;
  version: string;
  requiresDist: string[];
}

export interface StepResults {
  /** The private directory of wheels built in the `build` step: find-links for the resolver and pip. */
  builtWheelsDir: string | null;
  /** Canonical names of the projects built there. */
  builtNames: ReadonlySet<string>;
  /** Prepared metadata by preparationKey(). */
  prepared: ReadonlyMap<string, PreparedMetadata>;
}

export const NOTHING_LEARNT: StepResults = { builtWheelsDir: null, builtNames: new Set(), prepared: new Map() };

export function preparationKey(requirement: string, editable: boolean): string {
  return `${editable ? '-e ' : ''}${requirement}`;
}

export interface Analysis {
  facts: InterpreterFacts;
  model: PipCommandLine;
  settings: EffectiveSettings;
  command: BuildingCommand;
  gathered: GatheredRequirements;
  fileEvents: RequirementsFileEvent[];
  plan: Plan;
  reader: IndexClient;
  allow: AllowList;
  /** User `--hash` values by canonical project name. */
  userHashes: Map<string, Record<string, string[]>>;
  hashChecking: boolean;
  learnt: StepResults;
  /** safe-pip's cooldown is in force: pip gets the chosen versions as constraints (pip-invocation.ts). */
  constrainToPlan: boolean;
  /** Start-up code, quarantined projects, known malware (docs/beyond-pip.md); already folded into `plan`. */
  beyondPip: BeyondPipFindings;
  /** Where pip looks, requirements-file lines included (what `reader` reads). */
  index: IndexSettings;
}

/** parse + settings only: enough to know whether the command is one safe-pip must look at. */
export async function parseForPip(input: Pick<AnalyzeInput, 'argv' | 'facts' | 'env' | 'cwd' | 'prog'>): Promise<ParsedForPip> {
  const { table } = await optionTableFor(input.facts.pipVersion);
  const model = parsePipCommandLine(input.argv, table, { prog: input.prog });
  const locations = configFilesFor({
    env: input.env,
    platform: process.platform,
    home: input.env.HOME ?? homedir(),
    sysPrefix: input.facts.prefix,
    pipVersion: input.facts.pipVersion,
    etcDir: systemConfigRoot(input.env),
  });
  const configFiles = await readPipConfigFiles(locations);
  const settings = computeEffectiveSettings({
    commandLine: model,
    env: input.env,
    configFiles,
    cwd: input.cwd,
    interpreter: { sysPrefix: input.facts.prefix, inVirtualenv: input.facts.prefix !== input.facts.basePrefix },
  });
  return { model, settings, uploadedBefore: await uploadCutoffOf(model, settings, table, input) };
}

export interface ParsedForPip {
  model: PipCommandLine;
  settings: EffectiveSettings;
  /** pip 26.0+ `--uploaded-prior-to`, as an instant (ms since the epoch); null when not given. */
  uploadedBefore: number | null;
}

/** `--uploaded-prior-to` read by the real pip's own callback; its rejection is pip's usage error. */
async function uploadCutoffOf(
  model: PipCommandLine,
  settings: EffectiveSettings,
  table: OptionTable,
  input: Pick<AnalyzeInput, 'argv' | 'facts' | 'env' | 'prog'>,
): Promise<number | null> {
  const given = settings.values['uploaded_prior_to'];
  const value = Array.isArray(given) ? given[given.length - 1] : given;
  if (typeof value !== 'string' || model.command === null) return null;
  const cutoff = await readUploadCutoff(input.facts.executable, value, input.env);
  if (cutoff.ok) return cutoff.epochMs;
  const occurrence = [...(model.occurrences ?? [])].reverse().find((o) => o.spec.dest === 'uploaded_prior_to');
  const usage = renderUsage(table.usage.commands[model.command] ?? [], `${input.prog ?? 'pip'} ${model.command}`);
  throw callbackUsageError({ kind: 'option-callback', message: cutoff.message }, usage, input.argv, occurrence?.tokenIndex ?? null, model.command);
}

export async function analyze(input: AnalyzeInput, parsed: Omit<ParsedForPip, 'uploadedBefore'> & { uploadedBefore?: number | null }): Promise<Analysis> {
  const { model, settings } = parsed;
  const command = model.command as BuildingCommand;
  // Remote requirements files: one client for all of them, closed afterwards, and a bound on how
  // many a tree may pull in (an index can serve an endless chain of new URLs).
  // The certificate files are read once, for both clients (a system CA bundle is ~200 kB).
  const pems = transportPems(settings, input.env);
  const fileClient = bootstrapReader(settings, input, indexSettingsFor(settings, [], null), pems);
  let remoteFiles = 0;
  const gathered = await gatherRequirements({
    settings,
    facts: input.facts,
    cwd: input.cwd,
    env: input.env,
    pipVersion: input.facts.pipVersion,
    fetchUrl: async (url) => {
      remoteFiles += 1;
      if (remoteFiles > MAX_REMOTE_REQUIREMENT_FILES) {
        throw new SafePipError(`Requirements files include more than ${MAX_REMOTE_REQUIREMENT_FILES} remote files (the last: ${redactUrl(url)}); stopping.`);
      }
      const response = await fileClient.http.fetchBuffered(url, { decompress: true });
      if (response.status >= 400) {
        throw new SafePipError(`Could not open requirements file: ${response.status} ${response.status < 500 ? 'Client' : 'Server'} Error for url: ${redactUrl(url)}`);
      }
      return { bytes: response.body, finalLocation: response.url, contentType: response.headers['content-type'] ?? null };
    },
  }).finally(() => fileClient.close());
  const fileEvents = gathered.files.flatMap((f) => f.parsed.events);
  const legacyOption = legacySetupPyOption(settings, gathered.files.flatMap((f) => f.parsed.requirements));
  const pipFormats = (): FormatControl => userFormatControl(settings, fileEvents, legacyOption);
  const learnt = input.learnt ?? NOTHING_LEARNT;
  const index = indexSettingsFor(settings, fileEvents, learnt.builtWheelsDir);
  const reader = bootstrapReader(settings, input, index, pems);
  const allow = allowedBuilds({ env: input.env, flag: input.flagAllowBuild, warn: input.warn });

  const userHashes = new Map<string, Record<string, string[]>>();
  for (const [target, hashes] of gathered.hashes) if (target.name !== null) userHashes.set(target.name, hashes);
  const hashChecking = settings.requireHashes || userHashes.size > 0 || fileEvents.some((e) => e.kind === 'require-hashes');

  const { roots, constraints, targets } = rootsAndConstraints(gathered, userHashes, versionRulesForPip(input.facts.pipVersion));
  const preferBinary = settings.preferBinary || fileEvents.some((e) => e.kind === 'prefer-binary');
  const filePre = fileEvents.some((e) => e.kind === 'pre');
  const cooldown = cooldownSettings(input.env, input.flagMinAge ?? null);
  const now = Date.now();
  const uploadRule = combineUploadRules(
    parsed.uploadedBefore == null ? null : { cutoffMs: parsed.uploadedBefore, origin: '--uploaded-prior-to', missing: 'reject' },
    cooldown === null ? null : cooldownRule(cooldown, now),
  );
  const finderFor = (formatControl: FormatControl): FinderContext =>
    finderContextFor({
      facts: input.facts,
      pipVersion: input.facts.pipVersion,
      targetPython: settings.targetPython,
      formatControl,
      preferBinary,
      ignoreRequiresPython: settings.values['ignore_requires_python'] === true,
      prereleases: (name) => (filePre ? true : settings.allowsPrereleases(name)),
      uploadedBefore: uploadRule,
    });
  // pip follows the dependencies of wheel files/URLs and local source archives the user names; so
  // does safe-pip (wheel METADATA; an sdist's static metadata only), both to give `download` the
  // same files and because a `name @ url` among them is built even under --only-binary=:all:.
  const fileTargetDeps = settings.ignoreDependencies
    ? { roots: [], refs: [], unknown: [] }
    : await dependenciesOfFileTargets(targets, reader, input.facts, learnt.prepared);
  roots.push(...fileTargetDeps.roots);
  const installed = await installedFor(settings, input.facts, command, input.env);
  const resolveWith = (finder: FinderContext) =>
    resolveClosure({
      reader,
      finder,
      facts: input.facts,
      roots,
      constraints,
      noDeps: settings.ignoreDependencies,
      usePep658: !hashChecking,
      installed,
    });

  let closure: ReturnType<typeof packageChoices> = [];
  let refs: ReturnType<typeof directReferences> = [...fileTargetDeps.refs];
  let binary: BinaryResolution | null = null;
  const droppedFileLines: RequirementFileFinding[] = [];
  // Projects whose format control (e.g. PIP_ONLY_BINARY=:all:) leaves them no wheel: plain pip
  // stops there, but a raw fetch runs no code, so `download` takes their sdist (issue 13 item 8).
  const fetchedDespiteFormats = new Set<string>();
  if (command === 'download') {
    if (roots.length > 0) {
      const user = finderFor(pipFormats());
      const finder: FinderContext = { ...user, allowedFormats: (name) => (fetchedDespiteFormats.has(name) ? ANY_FORMAT : user.allowedFormats(name)) };
      for (;;) {
        try {
          const resolution = await resolveWith(finder);
          closure = packageChoices(resolution);
          refs = [...fileTargetDeps.refs, ...directReferences(resolution)];
          break;
        } catch (error) {
          // Nothing is handed to pip that safe-pip could not check: the failure is reported here,
          // in pip's words, with pip's exit code for it (1).
          if (!(error instanceof ResolutionImpossible)) throw error;
          const project = normalizeName(error.project);
          if (fetchedDespiteFormats.has(project) || user.allowedFormats(project).has('source')) throw error;
          if (!(await bestSdistThatFits(project, error.chains, reader, finderFor, pipFormats())).fits) throw error;
          fetchedDespiteFormats.add(project);
        }
      }
    }
  } else {
    for (const line of formatLinesInFiles(gathered)) droppedFileLines.push(line);
    if (roots.length > 0) {
      const binaryOnly = new FormatControl();
      binaryOnly.apply('only_binary', ':all:', { kind: 'default' });
      // Projects the user allowed are chosen as plain pip would choose them (with the user's own
      // format settings); any source archive among them is built in its own step.
      const userFormats = finderFor(pipFormats()).allowedFormats;
      const strict = finderFor(binaryOnly);
      const finder: FinderContext = { ...strict, allowedFormats: (name) => (allow.names.has(name) ? userFormats(name) : strict.allowedFormats(name)) };
      try {
        const resolution = await resolveWith(finder);
        const choices = packageChoices(resolution);
        refs = [...fileTargetDeps.refs, ...directReferences(resolution)];
        binary = {
          ok: true,
          closure: choices,
          newerSdists: await newerSdistVersions(reader, choices.filter((c) => c.isWheel), finder),
          keptInstalled: installed === null ? [] : await upgradesNeedingBuilds(resolution, reader, finder, userFormats),
        };
      } catch (error) {
        if (!(error instanceof ResolutionImpossible)) throw error;
        const sdist = await bestSdistThatFits(error.project, error.chains, reader, finderFor, pipFormats());
        binary = {
          ok: false,
          project: error.project,
          message: error.message,
          sdistOnly: sdist.fits,
          version: sdist.version,
          sdist: sdist.file,
          requiredBy: error.chains.map((chain) => chainWithOrigin(chain, roots)),
        };
      }
    }
  }
  // A direct reference whose metadata pip prepared in an earlier round has had its dependencies checked.
  refs = refs.map((ref) => ({ ...ref, dependenciesKnown: learnt.prepared.has(preparationKey(`${ref.name} @ ${ref.url}`, false)) }));
  const plan = decide({
    command,
    targets,
    closure,
    directReferences: refs,
    binary,
    allowBuild: allow.names,
    droppedFileLines,
    unknownDependencies: fileTargetDeps.unknown,
    impliedNoBinary: legacyOption === null ? null : { option: legacyOption.option, where: legacyOption.description, buildIsolation: settings.buildIsolation },
  });
  for (const pkg of plan.packages) {
    if (pkg.via === 'fetch' && fetchedDespiteFormats.has(normalizeName(pkg.name))) {
      plan.notes.push(
        `${pkg.name} ${pkg.version}: the --only-binary setting in force (e.g. PIP_ONLY_BINARY=:all:) leaves it no wheel, so plain pip would stop with "no matching distribution"; safe-pip fetches its source archive raw instead (fetching runs no code)`,
      );
    }
  }
  await warnOfIndexConfusion(plan, reader, input.warn);
  if (cooldown !== null) await noteCooldown(plan, reader, cooldown, now, input.warn);
  // Checks that go beyond builds (docs/beyond-pip.md): they may refuse the plan decide() made.
  const beyondPip = await beyondPipChecks({
    plan,
    reader,
    wholeFiles: installsFromStaging({ command, plan, gathered, learnt, settings }),
    env: input.env,
    cacheDir: safePipCacheDir(input.env),
    wheelTargets: targets.filter((t) => t.kind === 'wheel').flatMap((t) => {
      const location = t.url ?? (t.path === null ? null : pathToFileURL(t.path).href);
      return location === null ? [] : [{ requirement: t.requirement, location, origin: t.origin }];
    }),
  });
  const checked = withBeyondPipFindings(plan, beyondPip);
  return { facts: input.facts, model, settings, command, gathered, fileEvents, plan: checked, reader, allow, userHashes, hashChecking, learnt, constrainToPlan: cooldown !== null, beyondPip, index };
}

/**
 * What the cooldown held back (newer releases of the chosen projects, uploaded too recently), as a
 * plan note, and one warning when a chosen file's index gives no upload time to check.
 */
async function noteCooldown(plan: Plan, reader: IndexClient, cooldown: CooldownSettings, now: number, warn: (message: string) => void): Promise<void> {
  const rule = cooldownRule(cooldown, now);
  const suppressed: SuppressedRelease[] = [];
  const unknownAge: string[] = [];
  for (const chosen of plan.packages) {
    if (rule.exempt?.has(normalizeName(chosen.name)) === true) continue;
    const chosenVersion = tryParseVersion(chosen.version);
    const files = (await reader.projectFiles(chosen.name)).files;
    if (files.some((f) => f.file.filename === chosen.filename && f.file.uploadTime === null && pythonUrlsplit(f.file.url).scheme !== 'file')) unknownAge.push(chosen.name);
    const newer = new Map<string, string>();
    for (const { file } of files) {
      if (file.uploadTime === null || Date.parse(file.uploadTime) < rule.cutoffMs) continue;
      const versionText = versionOfDistribution(file.filename);
      const version = versionText === null ? null : tryParseVersion(versionText);
      if (version === null || chosenVersion === null || compareVersions(version, chosenVersion) <= 0) continue;
      const text = version.toString();
      if (!newer.has(text) || Date.parse(file.uploadTime) < Date.parse(newer.get(text)!)) newer.set(text, file.uploadTime);
    }
    for (const [version, uploadTime] of newer) suppressed.push({ project: chosen.name, version, uploadTime });
  }
  const note = cooldownNote(cooldown, suppressed, now);
  if (note !== null) plan.notes.push(note);
  if (unknownAge.length > 0 && cooldown.missing === 'allow') {
    warn(`warning: the index gives no upload time for ${unknownAge.join(', ')}, so min-age ${cooldown.written} could not be checked for them (set min-age-missing = "refuse" to refuse such files)`);
  }
}

/** One warning line per chosen project that more than one index offers with different files. */
async function warnOfIndexConfusion(plan: Plan, reader: IndexClient, warn: (message: string) => void): Promise<void> {
  for (const name of new Set(plan.packages.map((p) => p.name))) {
    const warning = indexConfusionWarning(name, (await reader.projectFiles(name)).files);
    if (warning !== null) warn(`warning: ${warning}`);
  }
}

const ANY_FORMAT: ReadonlySet<AllowedFormat> = new Set<AllowedFormat>(['binary', 'source']);

/**
 * The format control pip would end up with: settings, then requirements-file lines in order, then
 * (pip 23.0–25.2) the `--no-binary=:all:` that --global-option/--build-option imply.
 */
export function userFormatControl(settings: EffectiveSettings, events: readonly RequirementsFileEvent[], legacyOption: LegacySetupPyOption | null = null): FormatControl {
  const control = settings.formatControl.clone();
  for (const event of events) {
    if (event.kind === 'no-binary' || event.kind === 'only-binary') {
      control.apply(event.kind === 'no-binary' ? 'no_binary' : 'only_binary', event.value, { kind: 'requirements-file', path: event.file, line: event.lineNumber });
    }
  }
  if (legacyOption !== null) control.apply('no_binary', ':all:', legacyOption.source);
  return control;
}

/** Requirements-file lines that would re-enable builds behind --only-binary=:all:. */
function formatLinesInFiles(gathered: GatheredRequirements): RequirementFileFinding[] {
  const out: RequirementFileFinding[] = [];
  for (const { parsed } of gathered.files) {
    for (const event of parsed.events) {
      if (event.kind !== 'no-binary' && event.kind !== 'only-binary') continue;
      if (event.kind === 'only-binary' && !event.value.split(',').includes(':none:')) continue;
      const node = parsed.files.find((f) => f.location === event.file);
      const line = node?.lines.find((l) => l.lineNumber === event.lineNumber);
      out.push({ file: event.file, line: event.lineNumber, text: line?.text ?? '', issue: 'it would let pip build from source behind --only-binary=:all:' });
    }
  }
  return out;
}

function rootsAndConstraints(
  gathered: GatheredRequirements,
  userHashes: Map<string, Record<string, string[]>>,
  rules: VersionRules,
): { roots: RootRequirement[]; constraints: Map<string, { specifier: SpecifierSet; origin: string }[]>; targets: Target[] } {
  const constraints = new Map<string, { specifier: SpecifierSet; origin: string }[]>();
  const urlConstraints = new Map<string, Target>();
  for (const target of gathered.targets) {
    if (!target.constraint || target.name === null) continue;
    if (target.kind === 'named') {
      const requirement = target.classified.requirement;
      if (requirement === null) continue;
      const list = constraints.get(target.name) ?? [];
      list.push({ specifier: SpecifierSet.parse(requirement.specifier, null, rules), origin: target.origin });
      constraints.set(target.name, list);
    } else {
      urlConstraints.set(target.name, target);
    }
  }
  const roots: RootRequirement[] = [];
  const targets: Target[] = [];
  for (const target of gathered.targets) {
    if (target.constraint) continue;
    // A URL constraint on a requested name makes pip take that project from the URL (§3.5).
    const byUrl = target.kind === 'named' && target.name !== null ? urlConstraints.get(target.name) : undefined;
    if (byUrl !== undefined) {
      targets.push({ ...byUrl, constraint: false, origin: `${byUrl.origin}, constraining ${target.requirement}` });
      continue;
    }
    targets.push(target);
    if (target.kind !== 'named' || target.classified.requirement === null) continue;
    const hashes = target.name === null ? undefined : userHashes.get(target.name);
    roots.push({ requirement: target.classified.requirement, origin: target.origin, ...(hashes === undefined ? {} : { hashes }) });
  }
  return { roots, constraints, targets };
}

/**
 * The dependencies of what the user named other than index names: wheel files/URLs (their
 * METADATA), local source archives and project directories (static metadata only), and anything
 * whose metadata pip prepared in an earlier round. Named ones become roots (resolved like the
 * rest), `name @ url` ones direct references for the policy. Projects pip will build whose
 * dependencies stay unknown are listed, so that the plan can have pip prepare their metadata
 * first (install, wheel, lock). Prepared direct references that are not targets (dependencies
 * that are `name @ url`) contribute their dependencies as roots too.
 */
async function dependenciesOfFileTargets(
  targets: readonly Target[],
  reader: IndexClient,
  facts: InterpreterFacts,
  prepared: ReadonlyMap<string, PreparedMetadata>,
): Promise<{ roots: RootRequirement[]; refs: DirectReference[]; unknown: UnknownDependencies[] }> {
  const out: { roots: RootRequirement[]; refs: DirectReference[]; unknown: UnknownDependencies[] } = { roots: [], refs: [], unknown: [] };
  const used = new Set<string>();
  const follow = (lines: readonly string[], label: string, origin: string, extras: readonly string[]): void => {
    for (const line of lines) {
      let requirement: Requirement;
      try {
        requirement = parseRequirement(line, { rules: versionRulesForPip(facts.pipVersion) });
      } catch {
        continue;
      }
      if (requirement.marker !== null) {
        const marker = requirement.marker;
        const holds = ['', ...extras].some((extra) => {
          try {
            return evaluateMarker(marker, { ...facts.markers }, extra);
          } catch {
            return false;
          }
        });
        if (!holds) continue;
        requirement = { ...requirement, marker: null };
      }
      if (requirement.url !== null) {
        out.refs.push({ requiredBy: label, name: normalizeName(requirement.name), url: requirement.url, requirement: line, vcs: /^(git|hg|svn|bzr)\+/i.test(requirement.url) });
      } else {
        out.roots.push({ requirement, origin });
      }
    }
  };
  for (const target of targets) {
    if (target.constraint) continue;
    const extras = (target.classified.requirement?.extras ?? []).map(normalizeExtra);
    const origin = `a dependency of ${target.requirement}`;
    const pipRequirement = requirementForPip(target);
    const key = pipRequirement === null ? null : preparationKey(pipRequirement, target.kind === 'editable');
    const known = key === null ? undefined : prepared.get(key);
    if (known !== undefined && key !== null) {
      used.add(key);
      follow(known.requiresDist, `${normalizeName(known.name)}==${known.version}`, origin, extras);
      continue;
    }
    if (target.kind === 'wheel') {
      const url = target.url ?? (target.path === null ? null : pathToFileURL(target.path).href);
      if (url === null) continue;
      const entry: SourcedFile = { file: linkFromUrl(url), origin: { kind: 'find-links-file', location: url, page: null } };
      const wheel = parseWheelFilename(entry.file.filename, { parser: wheelParserFor(facts.pipVersion) });
      const text = await readWheelMetadata(await reader.openFile(entry), { name: wheel.name, version: wheel.version });
      follow(parseCoreMetadata(text).requiresDist, `${normalizeName(wheel.name)}==${wheel.version}`, origin, extras);
      continue;
    }
    if (target.kind === 'named' || pipRequirement === null) continue;
    const statically = await staticMetadataOf(target);
    if (statically.dependencies !== 'unknown') {
      follow(statically.dependencies, statically.label ?? target.requirement, origin, extras);
      continue;
    }
    out.unknown.push({
      requirement: pipRequirement,
      editable: target.kind === 'editable',
      name: projectNameOf(target),
      local: isUsersLocalProject(target),
      origin: target.origin,
      reason: `the dependencies of ${target.requirement} are not static (${statically.reason})`,
    });
  }
  for (const [key, known] of prepared) {
    if (!used.has(key)) follow(known.requiresDist, `${normalizeName(known.name)}==${known.version}`, `a dependency of ${known.name}`, []);
  }
  return out;
}

/** What pip is given for a target it builds: its local path, `name @ url`, or the URL itself. */
function requirementForPip(target: Target): string | null {
  if (target.kind === 'named') return null;
  if (target.path !== null && isUsersLocalProject(target)) return target.path;
  if (target.url === null) return null;
  return target.kind === 'remote-archive' && target.name !== null ? `${target.name} @ ${target.url}` : target.url;
}

/** A local archive's or project directory's static dependencies (never for remote targets). */
async function staticMetadataOf(target: Target): Promise<{ dependencies: string[] | 'unknown'; label: string | null; reason: string }> {
  const label = (m: { name: string | null; version: string | null }): string | null =>
    m.name !== null && m.version !== null ? `${normalizeName(m.name)}==${m.version}` : null;
  if (target.kind === 'local-archive' && target.path !== null) {
    try {
      const metadata = await readSdistMetadata(readFileSync(target.path), basename(target.path), DEFAULT_SDIST_LIMITS, { eggInfoRequires: true });
      return { dependencies: metadata.dependencies, label: label(metadata), reason: metadata.reason ?? 'no static metadata' };
    } catch (error) {
      // pip reports an unreadable archive itself; nothing static to follow
      return { dependencies: 'unknown', label: null, reason: (error as Error).message };
    }
  }
  if ((target.kind === 'local-dir' || (target.kind === 'editable' && target.localEditable)) && target.path !== null) {
    const pyproject = join(target.path, 'pyproject.toml');
    if (!existsSync(pyproject)) return { dependencies: 'unknown', label: null, reason: 'no pyproject.toml: setup.py decides them' };
    const metadata = readPyprojectMetadata(readFileSync(pyproject));
    return { dependencies: metadata.dependencies, label: label(metadata), reason: metadata.reason ?? 'no static metadata' };
  }
  return { dependencies: 'unknown', label: null, reason: 'a remote source: only pip can prepare its metadata' };
}

/** The resolver's `canary (required by <user>)` told as the user wrote it: `canary (command line)`. */
function chainWithOrigin(chain: string, roots: readonly RootRequirement[]): string {
  const match = /^(.*) \(required by <user>\)$/.exec(chain);
  if (match === null) return chain;
  const text = match[1]!;
  const name = normalizeName(/^[A-Za-z0-9._-]+/.exec(text)?.[0] ?? text);
  const root = roots.find((r) => normalizeName(r.requirement.name) === name);
  return root === undefined ? `${text} (your requirements)` : `${text} (${root.origin})`;
}

/**
 * Whether the project that could not be resolved binary-only has source archives that would fit,
 * and the version pip would then build (the best sdist that meets the failing requirements'
 * specifiers, as far as the resolver's chains name them).
 */
async function bestSdistThatFits(
  project: string,
  chains: readonly string[],
  reader: IndexClient,
  finderFor: (fc: FormatControl) => FinderContext,
  pipFormats: FormatControl,
): Promise<{ fits: boolean; version: string | null; file: { filename: string; url: string } | null }> {
  const { findCandidates } = await import('../../resolve/finder.js');
  const files = (await reader.projectFiles(project)).files;
  const finder = finderFor(pipFormats);
  const any = findCandidates(project, files, { specifier: new SpecifierSet([], null, undefined, finder.versionRules), hashes: null }, finder);
  const fits = any.ordered.some((c) => !c.isWheel) || any.rejected.some((r) => r.reason === 'no-sources-permitted');
  let specifier = new SpecifierSet([], null, undefined, finder.versionRules);
  try {
    const parts = chains.map((c) => c.replace(/ \(required by .*\)$/, '').replace(/^[A-Za-z0-9._-]+(\[[^\]]*\])?/, '').trim()).filter((p) => p !== '');
    specifier = SpecifierSet.parse(parts.join(','), null, finder.versionRules);
  } catch {
    // A chain we cannot read back only costs the version in the message.
  }
  const best = findCandidates(project, files, { specifier, hashes: null }, finder).ordered.find((c) => !c.isWheel);
  return {
    fits,
    version: best === undefined ? null : best.version.toString(),
    file: best === undefined ? null : { filename: best.entry.file.filename, url: best.entry.file.url },
  };
}

/** Where pip would look for distributions: the settings, then requirements-file option lines in order. */
export interface IndexSettings {
  indexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  trustedHosts: string[];
}

function indexSettingsFor(settings: EffectiveSettings, events: readonly RequirementsFileEvent[], builtWheelsDir: string | null): IndexSettings {
  const indexUrls = [settings.indexUrl?.value ?? 'https://pypi.org/simple', ...settings.extraIndexUrls.map((e) => e.value)];
  const findLinks = settings.findLinks.map((f) => f.value);
  if (builtWheelsDir !== null) findLinks.push(builtWheelsDir);
  let noIndex = settings.noIndex;
  const trustedHosts = settings.trustedHosts.map((t) => t.value);
  // As pip's handle_option_line: an --index-url line replaces every index so far, extra ones
  // included; after --no-index (from anywhere) index lines change nothing.
  for (const event of events) {
    if (event.kind === 'index-url' && !noIndex) indexUrls.splice(0, indexUrls.length, event.value);
    else if (event.kind === 'extra-index-url' && !noIndex) indexUrls.push(event.value);
    else if (event.kind === 'no-index') noIndex = true;
    else if (event.kind === 'find-links') findLinks.push(event.value);
    else if (event.kind === 'trusted-host') trustedHosts.push(event.value);
  }
  return { indexUrls, findLinks, noIndex, trustedHosts };
}

/** The CA bundle and client certificate the clients present (PEM), or null. */
function transportPems(settings: EffectiveSettings, env: NodeJS.ProcessEnv): { caBundle: string | null; clientCert: string | null } {
  // requests (inside pip) lets these variables replace pip's own --cert / PIP_CERT / `cert =`.
  return { caBundle: readOptional(env.REQUESTS_CA_BUNDLE || env.CURL_CA_BUNDLE || settings.cert), clientCert: readOptional(settings.clientCert) };
}

function bootstrapReader(
  settings: EffectiveSettings,
  input: Pick<AnalyzeInput, 'env' | 'cwd' | 'facts' | 'warn'>,
  index: IndexSettings,
  { caBundle, clientCert }: { caBundle: string | null; clientCert: string | null },
): IndexClient {
  const [major, minor] = input.facts.pipVersion.split('.').map((n) => Number.parseInt(n, 10));
  const noCache = settings.values['cache_dir'] === false || settings.values['no_cache_dir'] === true;
  return new IndexClient({
    indexUrls: index.indexUrls,
    findLinks: index.findLinks,
    noIndex: index.noIndex,
    pipVersion: [major ?? 23, minor ?? 0],
    cwd: input.cwd,
    cacheDir: noCache ? null : safePipCacheDir(input.env),
    warn: input.warn,
    transport: {
      ...(settings.timeout === null ? {} : { timeoutSeconds: settings.timeout }),
      ...(settings.retries === null ? {} : { retries: settings.retries }),
      proxy: settings.proxy,
      proxyEnv: proxyEnvFrom(input.env),
      caBundle,
      clientCert,
      trustedHosts: index.trustedHosts,
      netrc: loadNetrc(input.env),
    },
  });
}

function readOptional(path: string | null): string | null {
  if (path === null || path === '') return null;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SafePipError(`Could not read the certificate file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export { normalizeName };
