// Ties the pure pieces together for one pip invocation: the finder context pip would use (target
// tags, Requires-Python version, format control including requirements-file lines, pre-release and
// prefer-binary switches) and a ProjectSource over an IndexReader. Pure: the IndexReader is injected.
// For `install`, what is installed takes part as pip lets it (resolver.ts); an upgrade the user asked
// for that only a source archive could give is reported (upgradesNeedingBuilds), not silently dropped.
import { parseCoreMetadata } from '../standards/core-metadata.js';
import type { InterpreterFacts } from '../standards/interpreter-facts.js';
import { supportedTags, targetTags, parsePythonVersionOption } from '../standards/tags.js';
import { type VersionRules, compareAnyVersions, parseAnyVersion, versionRulesForPip } from '../standards/legacy-version.js';
import type { WheelFilenameParser } from '../standards/wheel-filename.js';
import type { FormatControl } from '../pip/format-control.js';
import { comparePipVersions, parsePipVersion } from '../pip/option-table.js';
import type { FinderContext, Candidate, AllowedFormat, UploadTimeRule } from './finder.js';
import { findCandidates } from './finder.js';
import type { IndexReader, SourcedFile, SourceReport } from './index-reader.js';
import { candidateMetadata, readsMetadataFile } from './metadata-source.js';
import {
  resolve,
  type InstalledDistributions,
  type Resolution,
  type RootRequirement,
  type ProjectSource,
  type UpgradeStrategy,
} from './resolver.js';
import type { SpecifierSet } from '../standards/specifiers.js';
import { SpecifierSet as SpecifierSetClass } from '../standards/specifiers.js';
import type { PackageChoice, DirectReference } from '../policy/plan.js';

export interface TargetPythonSettings {
  platforms: string[] | null;
  pythonVersion: number[] | null;
  implementation: string | null;
  abis: string[] | null;
}

export interface FinderSettings {
  facts: InterpreterFacts;
  pipVersion: string;
  targetPython: TargetPythonSettings;
  formatControl: FormatControl;
  preferBinary: boolean;
  ignoreRequiresPython: boolean;
  prereleases: (name: string) => boolean | null;
  /** pip 26.0+ `--uploaded-prior-to` (and safe-pip's cooldown). */
  uploadedBefore?: UploadTimeRule | null;
}

function atLeast(pipVersion: string, version: string): boolean {
  return comparePipVersions(parsePipVersion(pipVersion), parsePipVersion(version)) >= 0;
}

export function wheelParserFor(pipVersion: string): WheelFilenameParser {
  if (atLeast(pipVersion, '25.3')) return 'strict';
  if (atLeast(pipVersion, '25.1')) return 'strict-or-legacy';
  return 'legacy';
}

export function finderContextFor(settings: FinderSettings): FinderContext {
  const { facts, targetPython } = settings;
  const overridden = targetPython.platforms !== null || targetPython.pythonVersion !== null || targetPython.implementation !== null || targetPython.abis !== null;
  const tags = overridden
    ? targetTags(
        {
          ...(targetPython.platforms === null ? {} : { platforms: targetPython.platforms }),
          ...(targetPython.pythonVersion === null ? {} : { pythonVersion: targetPython.pythonVersion.join('.') }),
          ...(targetPython.implementation === null ? {} : { implementation: targetPython.implementation }),
          ...(targetPython.abis === null ? {} : { abis: targetPython.abis }),
        },
        facts,
        settings.pipVersion,
      )
    : supportedTags(facts, settings.pipVersion);
  // pip pads --python-version to three parts for Requires-Python (3.8 -> 3.8.0).
  const version = targetPython.pythonVersion ?? facts.pythonVersion;
  const padded: [number, number, number] = [version[0] ?? 3, version[1] ?? 0, version[2] ?? 0];
  const formats = settings.formatControl;
  return {
    supportedTags: tags,
    pythonVersion: padded,
    allowedFormats: (name: string) => formats.allowedFormats(name) as ReadonlySet<AllowedFormat>,
    wheelFilenameParser: wheelParserFor(settings.pipVersion),
    ignoreRequiresPython: settings.ignoreRequiresPython,
    preferBinary: settings.preferBinary,
    prereleases: settings.prereleases,
    versionRules: versionRulesForPip(settings.pipVersion),
    uploadedBefore: settings.uploadedBefore ?? null,
  };
}

export { parsePythonVersionOption };

/** Largest wheel (by the size its index gives) whose METADATA is read ahead when the index has no metadata file for it. */
const WHEEL_READ_AHEAD_LIMIT = 16 * 1024 * 1024;

/** A ProjectSource that reads pages and metadata through the IndexReader, remembering what each source said. */
export function projectSourceFor(reader: IndexReader, options: { usePep658: boolean; versionRules?: VersionRules }): ProjectSource<SourcedFile> & { reports: Map<string, SourceReport[]> } {
  const reports = new Map<string, SourceReport[]>();
  return {
    reports,
    async files(name: string) {
      const found = await reader.projectFiles(name);
      reports.set(name, found.sources);
      return found.files;
    },
    metadata(name: string, candidate: Candidate<SourcedFile>) {
      return candidateMetadata(name, candidate, {
        metadataFile: (entry) => reader.fetchMetadataFile(entry),
        open: (entry) => reader.openFile(entry),
        ...(reader.wheelMetadata === undefined ? {} : { wheelMetadata: (entry: SourcedFile, project: { name: string; version: string }) => reader.wheelMetadata!(entry, project) }),
        readFromArchive: (entry, text) => reader.noteArchiveMetadata?.(entry, text),
      }, options);
    },
    ...(reader.prefetchProject === undefined ? {} : { prefetchFiles: (name: string) => reader.prefetchProject!(name) }),
    async prefetchMetadata(name: string, candidate: Candidate<SourcedFile>) {
      const file = candidate.entry.file;
      let text: Promise<string> | undefined;
      if (readsMetadataFile(file, options)) text = reader.prefetchMetadataFile?.(candidate.entry);
      // A wheel's own METADATA, unless the index says the wheel is large: without range requests
      // that read is the whole file, and a guess that turns out wrong should not cost much. An
      // index that gives no size (HTML pages: PEP 700 sizes are JSON only; a static mirror) is
      // read ahead all the same: those are the indexes without metadata files or ranges, where
      // reading one dependency after another costs most (issue 12 §2).
      else if (candidate.isWheel && (file.size === null || file.size <= WHEEL_READ_AHEAD_LIMIT)) {
        text = reader.prefetchWheelMetadata?.(candidate.entry, { name, version: candidate.version.toString() });
      }
      return text === undefined ? null : parseCoreMetadata(await text).requiresDist;
    },
  };
}

export interface SessionResolveInput {
  reader: IndexReader;
  finder: FinderContext;
  facts: InterpreterFacts;
  roots: RootRequirement[];
  constraints: ReadonlyMap<string, { specifier: SpecifierSet; origin: string }[]>;
  noDeps: boolean;
  /** pip skips PEP 658 metadata files in hash-checking mode. */
  usePep658: boolean;
  /** `install` without --ignore-installed / --target: what is installed (null: resolve as if nothing were). */
  installed?: InstalledEnvironment | null;
}

/** What `pip install` would see installed, and its flags about it. */
export interface InstalledEnvironment {
  distributions: InstalledDistributions;
  upgradeStrategy: UpgradeStrategy;
  forceReinstall: boolean;
}

export async function resolveClosure(input: SessionResolveInput): Promise<Resolution<SourcedFile>> {
  const source = projectSourceFor(input.reader, { usePep658: input.usePep658, versionRules: input.finder.versionRules });
  const installed = input.installed ?? null;
  const resolution = await resolve({
    pipVersion: input.facts.pipVersion,
    roots: input.roots,
    constraints: input.constraints,
    finder: input.finder,
    markers: input.facts.markers,
    source,
    noDeps: input.noDeps,
    installed: installed === null ? null : { distributions: installed.distributions, upgradeStrategy: installed.upgradeStrategy, forceReinstall: installed.forceReinstall },
  });
  return resolution;
}

/**
 * `pip install -U x` with x installed: the upgrades plain pip would make to a file the resolution
 * may not use (a newer version that exists only as a source archive), so the user can be told
 * that the installed version stays — the installed counterpart of newerSdistVersions.
 */
export async function upgradesNeedingBuilds(
  resolution: Resolution<SourcedFile>,
  reader: IndexReader,
  finder: FinderContext,
  userFormats: (name: string) => ReadonlySet<AllowedFormat>,
): Promise<{ name: string; installed: string; newest: string }[]> {
  const out: { name: string; installed: string; newest: string }[] = [];
  for (const pkg of resolution.installed) {
    if (!pkg.upgradeEligible) continue;
    const installedVersion = parseAnyVersion(pkg.version, finder.versionRules);
    const files = (await reader.projectFiles(pkg.name)).files;
    const best = findCandidates(pkg.name, files, { specifier: pkg.specifier, hashes: null }, { ...finder, allowedFormats: userFormats }).ordered[0];
    if (best === undefined || installedVersion === null || compareAnyVersions(best.version, installedVersion) <= 0) continue;
    if (finder.allowedFormats(pkg.name).has(best.isWheel ? 'binary' : 'source')) continue;
    out.push({ name: pkg.name, installed: pkg.version, newest: best.version.toString() });
  }
  return out;
}

export function packageChoices(resolution: Resolution<SourcedFile>): PackageChoice[] {
  return resolution.packages.map((pkg) => ({
    name: pkg.name,
    version: pkg.candidate.version.toString(),
    filename: pkg.candidate.entry.file.filename,
    url: pkg.candidate.entry.file.url,
    hashes: pkg.candidate.entry.file.hashes,
    isWheel: pkg.candidate.isWheel,
    requiredBy: pkg.requiredBy,
    dependencies: pkg.dependencies,
    ...(pkg.metadata.note === undefined ? {} : { dependencyNote: pkg.metadata.note }),
  }));
}

export function directReferences(resolution: Resolution<SourcedFile>): DirectReference[] {
  return resolution.directUrlDependencies.map((d) => ({
    requiredBy: d.requiredBy,
    name: d.name,
    url: d.url,
    requirement: d.requirement,
    vcs: /^(git|hg|svn|bzr)\+/i.test(d.url),
  }));
}

/**
 * For install: the newest version of each chosen project if pip were allowed sdists, so the user can
 * be told "X 2.0 exists only as a source archive; using 1.9". Uses the same files the resolver read.
 */
export async function newerSdistVersions(
  reader: IndexReader,
  closure: PackageChoice[],
  finder: FinderContext,
): Promise<{ name: string; chosen: string; newest: string }[]> {
  const out: { name: string; chosen: string; newest: string }[] = [];
  const everything: FinderContext = { ...finder, allowedFormats: () => new Set<AllowedFormat>(['binary', 'source']) };
  for (const choice of closure) {
    const files = (await reader.projectFiles(choice.name)).files;
    const best = findCandidates(choice.name, files, { specifier: new SpecifierSetClass([], null, undefined, finder.versionRules), hashes: null }, everything).ordered[0];
    if (best !== undefined && !best.isWheel && best.version.toString() !== choice.version) {
      out.push({ name: choice.name, chosen: choice.version, newest: best.version.toString() });
    }
  }
  return out;
}
