// The dependency resolver pip runs, reproduced step for step so that conflicts end where pip's
// end: resolvelib's Resolution (_add_to_criteria, _attempt_to_pin_criterion, _backjump,
// _patch_criteria, _build_result) driven by pip's provider (pip/_internal/resolution/resolvelib/:
// provider.py, factory.py find_candidates / _iter_found_candidates, found_candidates.py
// _iter_built, candidates.py, requirements.py). See pip-behaviour.md §8.4–§8.6.
// What changed between pip releases — the provider's preferences and narrowing (pip 25.1, 26.1)
// and the vendored resolvelib's choice and backjumping (1.0.1, 1.1.0, 1.2.0, 1.2.1) — lives in
// preferences/ and resolvelib/, chosen once from the real pip's version (resolver-release.ts).
// Where pip's resolver itself fails with an internal error (pip 25.2's IndexError on an emptied
// state stack; the RecursionError of _has_route_to_root on pins that require each other but not
// from the roots) the resolution fails too, with that said.
//
// Modelled like pip: identifiers `name` and `name[extras]` (an extras candidate depends on its
// exact base file), extras limited to the ones the metadata provides, markers evaluated per extra,
// Requires-Python from metadata as the `<Python from Requires-Python>` pseudo-project, specifiers of
// one identifier and its constraints intersected before the finder runs, one file per version
// (the next file of that version only when metadata is inconsistent), incompatibilities recorded
// on backjumping and the pruning of pins no longer reachable from the roots.
// Installed distributions (`install` only, pip-behaviour.md §8.6): the installed version is a
// candidate when it fits the merged specifier (pre-releases allowed) and --force-reinstall is not
// given; it comes first unless the project may be upgraded (found_candidates.py
// _iter_built_with_prepended), else it is inserted before the first index version it is not older
// than (_iter_built_with_inserted, repeats included). Upgrades: `to-satisfy-only` (no -U) never,
// `only-if-needed` the user-requested identifiers, `eager` all. Its dependencies are its own
// Requires-Dist (AlreadyInstalledCandidate: no Requires-Python check); --ignore-installed and
// --target are the caller's business (pass no installed set).
// Versions follow the real pip's rules (legacy-version.ts): for pip <= 24.0 requirements, Requires-Dist
// and Requires-Python are read by packaging 21.3 (legacy specifiers such as `>=>1` or `==2010i`), index
// files with non-PEP 440 versions are LegacyVersion candidates, and a wheel among them that pip comes
// to try stops the run as it stops pip (LinkCandidate's `Version(wheel.version)`: InvalidVersion, exit 2).
// Not modelled: URL, path and editable requirements (the policy handles roots; `name @ url`
// dependencies are reported in `directUrlDependencies` and never followed); pip 24.1+'s skipping
// of versions whose metadata is invalid (found_candidates.py, MetadataInvalid).
// Nothing here executes package code: dependencies come from the ProjectSource.
import { SafePipError } from '../errors.js';
import { normalizeExtra, normalizeName } from '../standards/names.js';
import { parseRequirement, type Requirement } from '../standards/pep508/requirement.js';
import { evaluateMarker } from '../standards/pep508/markers.js';
import type { MarkerEnvironment } from '../standards/interpreter-facts.js';
import { SpecifierSet } from '../standards/specifiers.js';
import { type AnyVersion, type VersionRules, compareAnyVersions, isLegacyVersion, parseAnyVersion, versionRulesForPip } from '../standards/legacy-version.js';
import { findCandidates, specifierUnder, type Candidate, type FileEntry, type FinderContext, type Rejection } from './finder.js';
import { MetadataInconsistent } from './metadata-source.js';
import { REQUIRES_PYTHON, type Provider, type SelectionState } from './preferences/provider.js';
import type { BackjumpHost } from './resolvelib/backjump.js';
import { resolverReleaseFor, type ResolverRelease } from './resolver-release.js';

export interface RootRequirement {
  requirement: Requirement;
  /** Where it came from, for messages: `-r requirements.txt (line 3)`, `command line`. */
  origin: string;
  /** User `--hash` values (algorithm -> hex digests). */
  hashes?: Readonly<Record<string, readonly string[]>>;
}

export interface CandidateMetadata {
  /** Requires-Dist lines, or 'unknown' when they cannot be known without running code. */
  requiresDist: readonly string[] | 'unknown';
  requiresPython: string | null;
  providesExtra: readonly string[];
  /** Why dependencies are unknown / where they came from, for the report. */
  note?: string;
}

export interface ProjectSource<T extends FileEntry> {
  /** Every file offered for the project by all indexes and find-links, in pip's source order. */
  files(name: string): Promise<readonly T[]>;
  /**
   * Metadata of a candidate, read without executing anything. Throw MetadataInconsistent when the
   * metadata names another project or version: pip then discards that file and tries the next
   * file of the same version.
   */
  metadata(name: string, candidate: Candidate<T>): Promise<CandidateMetadata>;
  /**
   * Optional, to overlap the reads the resolver will make one after another (uv prefetches the
   * same way): start reading what `files(name)` will need, and resolve to the files. A prefetch
   * says nothing and records nothing; `files` and `metadata` still come in pip's order.
   */
  prefetchFiles?(name: string): Promise<readonly T[]>;
  /**
   * Optional: start reading what `metadata(name, candidate)` will need; resolves to the file's
   * Requires-Dist when it can tell cheaply (the resolver then reads ahead for those too), else null.
   */
  prefetchMetadata?(name: string, candidate: Candidate<T>): Promise<readonly string[] | null>;
}

/** One installed distribution as pip's metadata backend reports it (src/io/installed-distributions.ts). */
export interface InstalledDistribution {
  /** Canonical name (pip takes it from the `.dist-info` / `.egg-info` directory name). */
  name: string;
  /** `Version` as the metadata states it. */
  version: string;
  requiresDist: readonly string[];
  providesExtra: readonly string[];
  /** The directory that holds the info directory (a sys.path entry, or an `.egg-link` target). */
  location: string;
  /** The `.dist-info` / `.egg-info` path. */
  infoPath: string;
}

/** Installed distributions by canonical name: the first one on sys.path for each name. */
export type InstalledDistributions = ReadonlyMap<string, InstalledDistribution>;

/** pip's upgrade_strategy: `to-satisfy-only` without --upgrade, else --upgrade-strategy. */
export type UpgradeStrategy = 'to-satisfy-only' | 'only-if-needed' | 'eager';

export interface InstalledOptions {
  distributions: InstalledDistributions;
  upgradeStrategy: UpgradeStrategy;
  /** --force-reinstall: installed versions are not candidates. */
  forceReinstall: boolean;
}

export interface ResolveOptions<T extends FileEntry> {
  /** The real pip's version: its provider preferences and vendored resolvelib (resolver-release.ts). */
  pipVersion: string;
  roots: readonly RootRequirement[];
  /** Constraints by canonical name (specifiers only; URL constraints are the policy's business). */
  constraints: ReadonlyMap<string, { specifier: SpecifierSet; origin: string }[]>;
  finder: FinderContext;
  markers: MarkerEnvironment;
  source: ProjectSource<T>;
  /** `--no-deps`: resolve only the roots. */
  noDeps: boolean;
  /** Upper bound on resolver rounds (pip: 2,000,000), so a pathological index cannot spin forever. */
  maxRounds?: number;
  /** `install` without --ignore-installed / --target: what is installed, and the upgrade rules. */
  installed?: InstalledOptions | null;
}

export interface ResolvedPackage<T extends FileEntry> {
  name: string;
  candidate: Candidate<T>;
  /** Extras requested of this project anywhere in the closure (normalized). */
  extras: string[];
  /** `<user>` for a root, else `parent==version` for each requirer. */
  requiredBy: string[];
  /** Names this package depends on (canonical), or 'unknown'. */
  dependencies: string[] | 'unknown';
  metadata: CandidateMetadata;
}

export interface DirectUrlDependency {
  /** The package whose metadata declares it, `name==version`. */
  requiredBy: string;
  requirement: string;
  name: string;
  url: string;
}

/** A project pip keeps as installed ("Requirement already satisfied"): nothing is fetched or built. */
export interface InstalledPackage {
  name: string;
  version: string;
  distribution: InstalledDistribution;
  extras: string[];
  requiredBy: string[];
  dependencies: string[];
  /** Whether pip may upgrade it (-U and the upgrade strategy); it kept it because nothing newer was a candidate. */
  upgradeEligible: boolean;
  /** Every specifier on the project in the final resolution, constraints included. */
  specifier: SpecifierSet;
}

export interface Resolution<T extends FileEntry> {
  /** Projects chosen from files, in pip's pinning order (roots usually first). */
  packages: ResolvedPackage<T>[];
  /** Projects kept as installed (empty unless an installed set was given). */
  installed: InstalledPackage[];
  /** `name @ url` dependencies found in metadata of the chosen files: never followed; the policy decides. */
  directUrlDependencies: DirectUrlDependency[];
  /** The files rejected by the last finder run for each identifier, for `explain`. */
  rejections: Map<string, Rejection<T>[]>;
}

export class ResolutionImpossible extends SafePipError {
  readonly project: string;
  readonly chains: string[];
  constructor(project: string, message: string, chains: string[], hint?: string) {
    super(message, hint === undefined ? {} : { hint });
    this.name = 'ResolutionImpossible';
    this.project = project;
    this.chains = chains;
  }
}

/**
 * Where the real pip would stop with an internal error rather than resolve: reported with pip's exit
 * status (2), so that a run through safe-pip fails as plain pip fails.
 */
export class PipWouldCrash extends SafePipError {
  readonly project: string;
  constructor(project: string, message: string, hint: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'PipWouldCrash';
    this.project = project;
  }
}

const USER = '<user>';

type Hashes = Readonly<Record<string, readonly string[]>>;

interface BaseCandidate<T extends FileEntry> {
  kind: 'base';
  key: string;
  identifier: string;
  name: string;
  version: AnyVersion;
  file: Candidate<T>;
  metadata: CandidateMetadata;
}

/** pip's AlreadyInstalledCandidate. */
interface InstalledCandidate {
  kind: 'installed';
  key: string;
  identifier: string;
  name: string;
  version: AnyVersion;
  distribution: InstalledDistribution;
  metadata: CandidateMetadata;
}

type BaseLike<T extends FileEntry> = BaseCandidate<T> | InstalledCandidate;

interface ExtrasCandidate<T extends FileEntry> {
  kind: 'extras';
  key: string;
  identifier: string;
  name: string;
  version: AnyVersion;
  extras: readonly string[];
  base: BaseLike<T>;
}

interface PythonCandidate {
  kind: 'python';
  key: string;
  identifier: string;
  name: string;
  version: string;
}

type ResolverCandidate<T extends FileEntry> = BaseCandidate<T> | InstalledCandidate | ExtrasCandidate<T> | PythonCandidate;

type ResolverRequirement<T extends FileEntry> =
  | { kind: 'specifier'; identifier: string; name: string; extras: readonly string[]; specifier: SpecifierSet; hashes: Hashes | null; text: string }
  | { kind: 'explicit'; identifier: string; name: string; candidate: BaseLike<T>; text: string }
  | { kind: 'python'; identifier: string; name: string; specifier: SpecifierSet; text: string };

interface Information<T extends FileEntry> {
  requirement: ResolverRequirement<T>;
  parent: ResolverCandidate<T> | null;
}

interface Criterion<T extends FileEntry> {
  candidates: CandidateView<T>;
  information: Information<T>[];
  incompatibilities: ResolverCandidate<T>[];
}

interface State<T extends FileEntry> {
  mapping: Map<string, ResolverCandidate<T>>;
  criteria: Map<string, Criterion<T>>;
  backtrackCauses: Information<T>[];
}

class RequirementsConflicted<T extends FileEntry> extends Error {
  constructor(readonly criterion: Criterion<T>) {
    super('requirements conflicted');
  }
}

/** resolvelib's iterator views: materialized lazily (metadata is fetched on demand) and cached. */
class CandidateView<T extends FileEntry> {
  readonly #items: ResolverCandidate<T>[] = [];
  #source: AsyncIterator<ResolverCandidate<T>> | null;

  constructor(source: AsyncIterable<ResolverCandidate<T>> | readonly ResolverCandidate<T>[]) {
    if (Array.isArray(source)) {
      this.#items.push(...(source as readonly ResolverCandidate<T>[]));
      this.#source = null;
    } else {
      this.#source = (source as AsyncIterable<ResolverCandidate<T>>)[Symbol.asyncIterator]();
    }
  }

  async at(index: number): Promise<ResolverCandidate<T> | undefined> {
    while (this.#items.length <= index && this.#source !== null) {
      const next = await this.#source.next();
      if (next.done === true) this.#source = null;
      else this.#items.push(next.value);
    }
    return this.#items[index];
  }

  async isEmpty(): Promise<boolean> {
    return (await this.at(0)) === undefined;
  }
}

function formatIdentifier(name: string, extras: readonly string[]): string {
  return extras.length === 0 ? name : `${name}[${[...extras].sort(comparePy).join(',')}]`;
}

/** Python's str ordering (code points), for identifiers and extras. */
function comparePy(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** pip's Hashes.__and__: an empty side allows everything the other allows. */
function intersectHashes(a: Hashes | null, b: Hashes | null): Hashes | null {
  if (b === null || Object.keys(b).length === 0) return a;
  if (a === null || Object.keys(a).length === 0) return b;
  const out: Record<string, string[]> = {};
  for (const [alg, values] of Object.entries(b)) {
    const allowed = a[alg];
    if (allowed !== undefined) out[alg] = values.filter((v) => allowed.includes(v));
  }
  return out;
}

function candidateLabel<T extends FileEntry>(candidate: ResolverCandidate<T>): string {
  if (candidate.kind === 'python') return `Python ${candidate.version}`;
  return `${candidate.identifier}==${candidate.version.toString()}`;
}

export async function resolve<T extends FileEntry>(options: ResolveOptions<T>): Promise<Resolution<T>> {
  return new Resolver(options).run();
}

class Resolver<T extends FileEntry> {
  readonly #options: ResolveOptions<T>;
  readonly #rejections = new Map<string, Rejection<T>[]>();
  readonly #found = new Map<string, string[]>();
  /** Files whose metadata contradicted them (pip: "Discarding …"), by project, for the failure message. */
  readonly #discarded = new Map<string, string[]>();
  readonly #files = new Map<string, Promise<readonly T[]>>();
  /** Identifiers (`name`, `name[extras]`) read ahead so far (#prefetch). */
  readonly #prefetched = new Set<string>();
  /** Set once the resolution has its answer: nothing more is read ahead. */
  #finished = false;
  readonly #bases = new Map<string, Promise<BaseCandidate<T> | null>>();
  readonly #extrasCandidates = new Map<string, ExtrasCandidate<T>>();
  readonly #installedCandidates = new Map<string, InstalledCandidate | null>();
  readonly #userRequested = new Map<string, number>();
  readonly #release: ResolverRelease;
  readonly #rules: VersionRules;
  readonly #provider: Provider;
  readonly #python: PythonCandidate;
  readonly #directUrls = new Map<string, { requirement: string; name: string; url: string }[]>();
  #states: State<T>[] = [];
  /**
   * Whether a criterion's requirements all accept a pin. resolvelib asks it of every criterion in
   * every round (jupyter: 100 rounds, 12,000 questions, ~20 ms), and criteria and pins are never
   * changed in place, only replaced, so the answer for the same two objects does not change.
   */
  readonly #pinSatisfies = new WeakMap<Criterion<T>, { pin: ResolverCandidate<T>; satisfied: boolean }>();

  constructor(options: ResolveOptions<T>) {
    this.#options = options;
    const version = options.finder.pythonVersion.join('.');
    this.#python = { kind: 'python', key: REQUIRES_PYTHON, identifier: REQUIRES_PYTHON, name: REQUIRES_PYTHON, version };
    this.#release = resolverReleaseFor(options.pipVersion);
    this.#rules = versionRulesForPip(options.pipVersion);
    this.#provider = this.#release.provider.create();
  }

  get #state(): State<T> {
    const state = this.#states[this.#states.length - 1];
    if (state === undefined) throw new Error('resolver has no state');
    return state;
  }

  async run(): Promise<Resolution<T>> {
    try {
      return await this.#run();
    } finally {
      this.#finished = true;
    }
  }

  async #run(): Promise<Resolution<T>> {
    const roots = this.#rootRequirements();
    this.#states = [{ mapping: new Map(), criteria: new Map(), backtrackCauses: [] }];
    this.#prefetch(roots);
    for (const requirement of roots) {
      try {
        await this.#addToCriteria(this.#state.criteria, requirement, null);
      } catch (error) {
        if (error instanceof RequirementsConflicted) throw this.#impossible(error.criterion.information as Information<T>[]);
        throw error;
      }
    }
    this.#pushNewState();
    const maxRounds = this.#options.maxRounds ?? 200_000;
    const resolvelib = this.#release.resolvelib.create<State<T>, ResolverCandidate<T>, Information<T>>(this.#backjumpHost(), maxRounds);
    for (let round = 0; round < maxRounds; round += 1) {
      if (resolvelib.startRound(round)) continue;
      const criteria = this.#state.criteria;
      const unsatisfied = [...criteria].filter(([name, criterion]) => !this.#isCurrentPinSatisfying(name, criterion)).map(([name]) => name);
      if (unsatisfied.length === 0) return this.#result(this.#state);
      const satisfied = [...criteria.keys()].filter((name) => !unsatisfied.includes(name));
      const name = resolvelib.choose(unsatisfied, this.#provider, this.#selectionState());
      const failures = await this.#attemptToPin(name);
      if (failures.length > 0) {
        const causes = resolvelib.causes(failures);
        const outcome = await resolvelib.backjump(causes);
        if (outcome === 'impossible') throw this.#impossible(causes);
        if (outcome === 'crashed') throw this.#crashed(causes);
        if (outcome === 'resumed') this.#state.backtrackCauses = [...causes];
      } else {
        const now = this.#state.criteria;
        const newlyUnsatisfied = new Set(satisfied.filter((key) => !this.#isCurrentPinSatisfying(key, now.get(key)!)));
        this.#removeInformationFromCriteria(now, newlyUnsatisfied);
        this.#pushNewState();
      }
    }
    throw new ResolutionImpossible('?', `Resolution gave up after ${maxRounds} rounds.`, [], 'Pin some versions to narrow the search.');
  }

  /** pip's collect_root_requirements: markers that do not match drop the requirement; URLs are the policy's. */
  #rootRequirements(): ResolverRequirement<T>[] {
    const out: ResolverRequirement<T>[] = [];
    this.#options.roots.forEach((root, index) => {
      const req = root.requirement;
      if (req.marker !== null && !safeEvaluate(req, this.#options.markers, '')) return;
      if (req.url !== null) return;
      const requirement = this.#specifierRequirement(req, root.hashes ?? null);
      if (!this.#userRequested.has(requirement.identifier)) this.#userRequested.set(requirement.identifier, index);
      out.push(requirement);
    });
    return out;
  }

  #specifierRequirement(req: Requirement, hashes: Hashes | null): ResolverRequirement<T> {
    const name = normalizeName(req.name);
    const extras = [...new Set(req.extras.map(normalizeExtra))].sort(comparePy);
    const specifier = SpecifierSet.parse(req.specifier, null, this.#rules);
    const identifier = formatIdentifier(name, extras);
    return { kind: 'specifier', identifier, name, extras, specifier, hashes, text: `${identifier}${specifier.toString()}` };
  }

  #pushNewState(): void {
    const base = this.#state;
    this.#states.push({ mapping: new Map(base.mapping), criteria: new Map(base.criteria), backtrackCauses: [...base.backtrackCauses] });
  }

  async #addToCriteria(criteria: Map<string, Criterion<T>>, requirement: ResolverRequirement<T>, parent: ResolverCandidate<T> | null): Promise<void> {
    const identifier = requirement.identifier;
    const criterion = criteria.get(identifier);
    const incompatibilities = criterion === undefined ? [] : [...criterion.incompatibilities];
    const requirementsOf = (id: string): ResolverRequirement<T>[] => {
      const existing = criteria.get(id)?.information.map((i) => i.requirement) ?? [];
      return id === identifier ? [...existing, requirement] : existing;
    };
    const candidates = await this.#findMatches(identifier, requirementsOf, incompatibilities);
    const information = [...(criterion?.information ?? []), { requirement, parent }];
    const next: Criterion<T> = { candidates, information, incompatibilities };
    if (await candidates.isEmpty()) throw new RequirementsConflicted(next);
    criteria.set(identifier, next);
  }

  #removeInformationFromCriteria(criteria: Map<string, Criterion<T>>, parents: ReadonlySet<string>): void {
    if (parents.size === 0) return;
    for (const [key, criterion] of criteria) {
      criteria.set(key, {
        candidates: criterion.candidates,
        information: criterion.information.filter((i) => i.parent === null || !parents.has(i.parent.identifier)),
        incompatibilities: criterion.incompatibilities,
      });
    }
  }

  /** What the provider is shown this round (resolvelib's IteratorMapping views of the current state). */
  #selectionState(): SelectionState {
    const state = this.#state;
    return {
      information: (identifier) => state.criteria.get(identifier)?.information ?? [],
      isPinned: (identifier) => state.mapping.has(identifier),
      backtrackCauses: state.backtrackCauses,
      userRequested: this.#userRequested,
    };
  }

  #isCurrentPinSatisfying(name: string, criterion: Criterion<T>): boolean {
    const pin = this.#state.mapping.get(name);
    if (pin === undefined) return false;
    const known = this.#pinSatisfies.get(criterion);
    if (known?.pin === pin) return known.satisfied;
    const satisfied = criterion.information.every((i) => this.#isSatisfiedBy(i.requirement, pin));
    this.#pinSatisfies.set(criterion, { pin, satisfied });
    return satisfied;
  }

  #isSatisfiedBy(requirement: ResolverRequirement<T>, candidate: ResolverCandidate<T>): boolean {
    switch (requirement.kind) {
      case 'explicit':
        return candidate.key === requirement.candidate.key;
      case 'python':
        return candidate.kind === 'python' && requirement.specifier.contains(candidate.version, true);
      case 'specifier':
        return candidate.kind !== 'python' && requirement.specifier.contains(candidate.version, true);
    }
  }

  async #attemptToPin(name: string): Promise<Criterion<T>[]> {
    const criterion = this.#state.criteria.get(name)!;
    const causes: Criterion<T>[] = [];
    for (let index = 0; ; index += 1) {
      const candidate = await criterion.candidates.at(index);
      if (candidate === undefined) break;
      const criteria = new Map(this.#state.criteria);
      const dependencies = this.#dependencies(candidate);
      this.#prefetch(dependencies);
      try {
        for (const dependency of dependencies) await this.#addToCriteria(criteria, dependency, candidate);
      } catch (error) {
        if (error instanceof RequirementsConflicted) {
          causes.push(error.criterion as Criterion<T>);
          continue;
        }
        throw error;
      }
      if (!criterion.information.every((i) => this.#isSatisfiedBy(i.requirement, candidate))) {
        throw new Error(`resolver bug: ${candidateLabel(candidate)} does not satisfy its own criterion`);
      }
      for (const [key, value] of criteria) this.#state.criteria.set(key, value);
      this.#state.mapping.delete(name);
      this.#state.mapping.set(name, candidate);
      return [];
    }
    return causes;
  }

  /** The state stack and the steps resolvelib's _backjump takes on it (src/resolve/resolvelib/). */
  #backjumpHost(): BackjumpHost<State<T>, ResolverCandidate<T>> {
    const resolver = this;
    return {
      get states(): State<T>[] {
        return resolver.#states;
      },
      set states(states: State<T>[]) {
        resolver.#states = states;
      },
      dependencyIdentifiers: (candidate) => new Set(this.#dependencies(candidate).map((d) => d.identifier)),
      retryFrom: async (broken, name, candidate) => {
        const fromBroken: Array<[string, ResolverCandidate<T>[]]> = [...broken.criteria].map(([k, v]) => [k, [...v.incompatibilities]]);
        fromBroken.push([name, [candidate]]);
        this.#pushNewState();
        return this.#patchCriteria(fromBroken);
      },
      copyState: (state) => ({ mapping: new Map(state.mapping), criteria: new Map(state.criteria), backtrackCauses: [...state.backtrackCauses] }),
    };
  }

  async #patchCriteria(fromBroken: Array<[string, ResolverCandidate<T>[]]>): Promise<boolean> {
    const criteria = this.#state.criteria;
    for (const [key, incompatibilities] of fromBroken) {
      if (incompatibilities.length === 0) continue;
      const criterion = criteria.get(key);
      if (criterion === undefined) continue;
      const requirementsOf = (id: string): ResolverRequirement<T>[] => criteria.get(id)?.information.map((i) => i.requirement) ?? [];
      const candidates = await this.#findMatches(key, requirementsOf, [...criterion.incompatibilities, ...incompatibilities]);
      if (await candidates.isEmpty()) return false;
      incompatibilities.push(...criterion.incompatibilities);
      criteria.set(key, { candidates, information: [...criterion.information], incompatibilities });
    }
    return true;
  }

  /** factory.find_candidates: explicit candidates when a requirement names one, else the finder's files. */
  async #findMatches(
    identifier: string,
    requirementsOf: (id: string) => ResolverRequirement<T>[],
    incompatibilities: readonly ResolverCandidate<T>[],
  ): Promise<CandidateView<T>> {
    const requirements = requirementsOf(identifier);
    const explicit = new Map<string, ResolverCandidate<T>>();
    const specifierRequirements: Array<Extract<ResolverRequirement<T>, { kind: 'specifier' }>> = [];
    for (const requirement of requirements) {
      if (requirement.kind === 'explicit') explicit.set(requirement.candidate.key, requirement.candidate);
      else if (requirement.kind === 'python') explicit.set(this.#python.key, this.#python);
      else specifierRequirements.push(requirement);
    }
    const bracket = identifier.indexOf('[');
    if (bracket > 0 && identifier !== REQUIRES_PYTHON) {
      const baseName = identifier.slice(0, bracket);
      const extras = identifier.slice(bracket + 1, -1).split(',');
      for (const requirement of requirementsOf(baseName)) {
        if (requirement.kind === 'explicit') {
          const extrasCandidate = this.#extrasCandidate(requirement.candidate, extras);
          explicit.set(extrasCandidate.key, extrasCandidate);
        }
      }
    }
    const incompatible = new Set(incompatibilities.map((c) => c.key));
    const constraint = this.#constraintFor(identifier);
    if (explicit.size === 0) {
      if (specifierRequirements.length === 0) return new CandidateView<T>([]);
      return new CandidateView(this.#foundCandidates(identifier, specifierRequirements, constraint, incompatible));
    }
    const kept = [...explicit.values()].filter(
      (c) => !incompatible.has(c.key) && (c.kind === 'python' || constraint.contains(c.version, true)) && requirements.every((r) => this.#isSatisfiedBy(r, c)),
    );
    return new CandidateView(kept);
  }

  #constraintFor(identifier: string): SpecifierSet {
    const bracket = identifier.indexOf('[');
    const name = bracket > 0 ? identifier.slice(0, bracket) : identifier;
    let specifier = new SpecifierSet([], null, undefined, this.#rules);
    for (const c of this.#options.constraints.get(identifier) ?? this.#options.constraints.get(name) ?? []) {
      specifier = specifier.intersect(specifierUnder(c.specifier, this.#rules));
    }
    return specifier;
  }

  /** _iter_found_candidates + FoundCandidates._iter_built: best file of each version, newest first. */
  async *#foundCandidates(
    identifier: string,
    requirements: ReadonlyArray<Extract<ResolverRequirement<T>, { kind: 'specifier' }>>,
    constraint: SpecifierSet,
    incompatible: ReadonlySet<string>,
  ): AsyncGenerator<ResolverCandidate<T>> {
    const name = requirements[0]!.name;
    let specifier = constraint;
    let hashes: Hashes | null = null;
    const extras = new Set<string>();
    for (const r of requirements) {
      specifier = specifier.intersect(r.specifier);
      hashes = intersectHashes(hashes, r.hashes);
      for (const e of r.extras) extras.add(e);
    }
    const installed = this.#installedFor(name, specifier, [...extras], incompatible);
    const prefersInstalled = !this.#eligibleForUpgrade(identifier);
    // Yielded before the index is read: pip does not read the page until it needs another candidate.
    if (installed !== null && prefersInstalled) yield installed;
    const result = findCandidates(name, await this.#filesOf(name), { specifier, hashes }, this.#options.finder);
    this.#rejections.set(identifier, result.rejected);
    this.#found.set(identifier, versionsOldestFirst(result.found.map((c) => c.version)));
    const versionsFound: AnyVersion[] = installed !== null && prefersInstalled ? [installed.version] : [];
    const seen = (version: AnyVersion): boolean => versionsFound.some((v) => compareAnyVersions(v, version) === 0);
    for (const file of result.ordered) {
      if (seen(file.version)) continue;
      // _iter_built_with_inserted: before every index version it is not older than (so it can repeat).
      if (installed !== null && !prefersInstalled && compareAnyVersions(installed.version, file.version) >= 0) {
        yield installed;
        versionsFound.push(installed.version);
      }
      if (file.isWheel && isLegacyVersion(file.version)) throw this.#legacyWheel(name, file);
      const base = await this.#baseCandidate(name, file);
      if (base === null) continue;
      const candidate = extras.size === 0 ? base : this.#extrasCandidate(base, [...extras]);
      versionsFound.push(file.version);
      if (!incompatible.has(candidate.key)) yield candidate;
    }
    if (installed !== null && !prefersInstalled && !seen(installed.version)) yield installed;
  }

  /** factory._get_installed_candidate: the installed version when it fits, wrapped for extras. */
  #installedFor(name: string, specifier: SpecifierSet, extras: readonly string[], incompatible: ReadonlySet<string>): InstalledCandidate | ExtrasCandidate<T> | null {
    const options = this.#options.installed;
    if (options === undefined || options === null || options.forceReinstall) return null;
    const base = this.#installedCandidate(name, options.distributions);
    if (base === null || !specifier.contains(base.version, true)) return null;
    const candidate = extras.length === 0 ? base : this.#extrasCandidate(base, extras);
    return incompatible.has(candidate.key) ? null : candidate;
  }

  #installedCandidate(name: string, distributions: InstalledDistributions): InstalledCandidate | null {
    if (this.#installedCandidates.has(name)) return this.#installedCandidates.get(name)!;
    const distribution = distributions.get(name);
    const version = distribution === undefined ? null : parseAnyVersion(distribution.version, this.#rules);
    const candidate: InstalledCandidate | null =
      distribution === undefined || version === null
        ? null
        : {
            kind: 'installed',
            key: `installed\u0000${name}`,
            identifier: name,
            name,
            version,
            distribution,
            metadata: { requiresDist: distribution.requiresDist, requiresPython: null, providesExtra: distribution.providesExtra, note: `installed in ${distribution.location}` },
          };
    this.#installedCandidates.set(name, candidate);
    return candidate;
  }

  /** provider.find_matches `_eligible_for_upgrade`, with `_get_with_identifier`'s fallback to the bare name. */
  #eligibleForUpgrade(identifier: string): boolean {
    const strategy = this.#options.installed?.upgradeStrategy ?? 'to-satisfy-only';
    if (strategy === 'eager') return true;
    if (strategy === 'to-satisfy-only') return false;
    if (this.#userRequested.has(identifier)) return true;
    const bracket = identifier.indexOf('[');
    return bracket > 0 && this.#userRequested.has(identifier.slice(0, bracket));
  }

  /**
   * Asks the source to start reading, all at once, what the requirements about to be added one
   * after another will need: each project's pages, then the metadata of the file it would pick
   * for that requirement alone, then the same for that file's dependencies, and so on (uv's
   * prefetch). Only a warm-up: the resolution still reads in pip's order, and a guess that turns
   * out wrong costs a request. Each identifier is read ahead once (a project's reads are shared
   * by its identifiers); not one pip would answer from what is installed without reading its page.
   */
  #prefetch(requirements: readonly ResolverRequirement<T>[]): void {
    const source = this.#options.source;
    if (source.prefetchFiles === undefined || this.#finished) return;
    for (const requirement of requirements) {
      if (requirement.kind !== 'specifier') continue;
      const { name, identifier, hashes, extras } = requirement;
      // With extras, read ahead even a project already read: the extras' own dependencies are
      // known only from the requirement that names them (jupyter's `jsonschema[format-nongpl]`
      // came after `jsonschema`, and its six dependencies were read one after another at the end).
      if (this.#prefetched.has(identifier) || (extras.length === 0 && this.#files.has(name))) continue;
      const specifier = requirement.specifier.intersect(this.#constraintFor(identifier));
      if (!this.#eligibleForUpgrade(identifier) && this.#installedFor(name, specifier, extras, new Set()) !== null) continue;
      this.#prefetched.add(identifier);
      source
        .prefetchFiles(name)
        .then((files) => {
          const best = findCandidates(name, files, { specifier, hashes }, this.#options.finder).ordered[0];
          if (best === undefined) return null;
          // Metadata the resolution reads itself: its dependencies are read ahead as it pins the
          // candidate, but an extras requirement's own ones only as it pins the extras candidate.
          const base = this.#bases.get(best.entry.file.url);
          if (base !== undefined) {
            return extras.length === 0 ? null : base.then((b) => (b === null || b.metadata.requiresDist === 'unknown' ? null : b.metadata.requiresDist));
          }
          return source.prefetchMetadata?.(name, best) ?? null;
        })
        .then((requiresDist) => {
          if (requiresDist !== null && !this.#options.noDeps) this.#prefetch(this.#requiresDist(requiresDist, extras).requirements);
        })
        .catch(() => undefined);
    }
  }

  #filesOf(name: string): Promise<readonly T[]> {
    let pending = this.#files.get(name);
    if (pending === undefined) {
      pending = this.#options.source.files(name);
      this.#files.set(name, pending);
    }
    return pending;
  }

  /** pip's LinkCandidate, cached per file; null when the metadata contradicts the file (pip: "Discarding"). */
  #baseCandidate(name: string, file: Candidate<T>): Promise<BaseCandidate<T> | null> {
    const key = file.entry.file.url;
    let pending = this.#bases.get(key);
    if (pending === undefined) {
      pending = this.#options.source.metadata(name, file).then(
        (metadata): BaseCandidate<T> => ({ kind: 'base', key, identifier: name, name, version: file.version, file, metadata }),
        (error: unknown) => {
          if (!(error instanceof MetadataInconsistent)) throw error;
          const list = this.#discarded.get(name) ?? [];
          if (!list.includes(error.message)) list.push(error.message);
          this.#discarded.set(name, list);
          return null;
        },
      );
      this.#bases.set(key, pending);
    }
    return pending;
  }

  #extrasCandidate(base: BaseLike<T>, extras: readonly string[]): ExtrasCandidate<T> {
    const sorted = [...new Set(extras)].sort(comparePy);
    const identifier = formatIdentifier(base.name, sorted);
    const key = `${base.key}\u0000${sorted.join(',')}`;
    let candidate = this.#extrasCandidates.get(key);
    if (candidate === undefined) {
      candidate = { kind: 'extras', key, identifier, name: base.name, version: base.version, extras: sorted, base };
      this.#extrasCandidates.set(key, candidate);
    }
    return candidate;
  }

  /** candidate.iter_dependencies(with_requires=not --no-deps), minus `name @ url` lines (recorded instead). */
  #dependencies(candidate: ResolverCandidate<T>): ResolverRequirement<T>[] {
    if (candidate.kind === 'python') return [];
    const out: ResolverRequirement<T>[] = [];
    const base = candidate.kind === 'extras' ? candidate.base : candidate;
    if (candidate.kind === 'extras') {
      out.push({ kind: 'explicit', identifier: base.name, name: base.name, candidate: base, text: candidateLabel(base) });
    }
    if (!this.#options.noDeps && base.metadata.requiresDist !== 'unknown') {
      let extras: string[] = [];
      if (candidate.kind === 'extras') {
        // ExtrasCandidate: only the extras the metadata provides (pip warns about the others).
        const provided = new Set(base.metadata.providesExtra.map(normalizeExtra));
        extras = candidate.extras.filter((e) => provided.has(e));
      }
      const { requirements, urls } = this.#requiresDist(base.metadata.requiresDist, extras);
      out.push(...requirements);
      this.#directUrls.set(candidate.key, urls);
    }
    if (candidate.kind === 'base' && !this.#options.finder.ignoreRequiresPython) {
      const specifier = parseRequiresPython(base.metadata.requiresPython, this.#rules);
      if (specifier !== null) {
        out.push({ kind: 'python', identifier: REQUIRES_PYTHON, name: REQUIRES_PYTHON, specifier, text: `Python${specifier.toString()}` });
      }
    }
    return out;
  }

  /** Requires-Dist lines whose markers hold (for one of `extras`, or none), as requirements; `name @ url` lines apart. */
  #requiresDist(lines: readonly string[], extras: readonly string[]): { requirements: ResolverRequirement<T>[]; urls: { requirement: string; name: string; url: string }[] } {
    const requirements: ResolverRequirement<T>[] = [];
    const urls: { requirement: string; name: string; url: string }[] = [];
    for (const line of lines) {
      let requirement: Requirement;
      try {
        requirement = parseRequirement(line, { rules: this.#rules });
      } catch {
        continue; // pip 23.2.1 would stop on it; newer pips skip invalid Requires-Dist lines
      }
      const contexts = extras.length === 0 ? [''] : extras;
      if (requirement.marker !== null && !contexts.some((extra) => safeEvaluate(requirement, this.#options.markers, extra))) continue;
      if (requirement.url !== null) {
        urls.push({ requirement: line, name: normalizeName(requirement.name), url: requirement.url });
        continue;
      }
      requirements.push(this.#specifierRequirement(requirement, null));
    }
    return { requirements, urls };
  }

  /**
   * pip <= 24.0 builds a LinkCandidate for a wheel it comes to try, and that checks the filename's
   * version with packaging's strict `Version`: a legacy one ends the run with InvalidVersion.
   */
  #legacyWheel(name: string, file: Candidate<T>): PipWouldCrash {
    const version = file.version.toString();
    return new PipWouldCrash(
      name,
      `pip ${this.#options.pipVersion} cannot use ${file.entry.file.filename}: its version ${JSON.stringify(version)} is not a PEP 440 version, and pip up to 24.0 stops with an internal error (InvalidVersion: Invalid version: '${version}') when it tries such a wheel.`,
      `Require a PEP 440 version of ${name} (one that excludes ${version}), or use pip 24.1 or newer, which skips such files.`,
    );
  }

  /** pip 25.2 (resolvelib 1.2.0) stops with a traceback (exit 2) where its backjump empties the state stack. */
  #crashed(causes: readonly Information<T>[]): ResolutionImpossible {
    const conflict = this.#impossible(causes);
    return new ResolutionImpossible(
      conflict.project,
      `pip ${this.#options.pipVersion} cannot resolve this: its resolver (resolvelib ${this.#release.resolvelib.version}) fails with an internal error (IndexError) while backtracking from:\n${conflict.chains.map((c) => `  ${c}`).join('\n')}`,
      conflict.chains,
      'pip 25.3 and newer do not fail this way.',
    );
  }

  /** Pins that require each other, left over from an earlier choice and not reachable from the roots. */
  #unreachableCycle(state: State<T>, cycle: readonly string[]): ResolutionImpossible {
    const labels = cycle.map((id) => {
      const pin = state.mapping.get(id);
      return pin === undefined ? id : candidateLabel(pin);
    });
    return new ResolutionImpossible(
      cycle[0]!,
      `pip ${this.#options.pipVersion} cannot resolve this: its resolver fails with an internal error (RecursionError) on pins that require each other and are no longer required from the roots: ${labels.join(' <- ')}`,
      labels,
      'Pin the projects of that cycle, or the projects that required them, to narrow the search.',
    );
  }

  #impossible(causes: readonly Information<T>[]): ResolutionImpossible {
    const chains = causes.map((c) => `${c.requirement.text} (required by ${c.parent === null ? USER : candidateLabel(c.parent)})`);
    const identifiers = [...new Set(causes.map((c) => c.requirement.identifier))];
    const project = identifiers[0] ?? '?';
    if (identifiers.length === 1 && causes.length === 1) {
      const cause = causes[0]!;
      if (cause.requirement.kind === 'python') {
        return new ResolutionImpossible(project, `${candidateLabel(cause.parent!)} requires Python ${cause.requirement.specifier.toString()}, but the target Python is ${this.#python.version}.`, chains);
      }
      const versions = this.#found.get(project) ?? [];
      const reasons = summarizeRejections(this.#rejections.get(project) ?? []);
      return new ResolutionImpossible(
        project,
        `Could not find a version that satisfies the requirement ${cause.requirement.text} (from versions: ${versions.join(', ') || 'none'})${reasons}` +
          (this.#discarded.get(project) ?? []).map((why) => `\nDiscarded ${why}`).join(''),
        chains,
      );
    }
    return new ResolutionImpossible(project, `These requirements conflict:\n${chains.map((c) => `  ${c}`).join('\n')}`, chains, 'Loosen one of them, or pin versions that agree.');
  }

  /** resolvelib's _build_result: only pins reachable from the roots, then pip keeps the base files. */
  #result(state: State<T>): Resolution<T> {
    const keyToIdentifier = new Map<string, string>();
    for (const [identifier, candidate] of state.mapping) keyToIdentifier.set(candidate.key, identifier);
    const connected = new Set<string>();
    // resolvelib's _has_route_to_root: depth first over the pinned parents, in information order,
    // remembering only what reached the roots; a walk that comes back to an identifier on its own
    // path recurses until Python gives up (RecursionError: pip exits 2), so it ends the run here too.
    const path = new Set<string>();
    const reachable = (identifier: string): boolean => {
      if (connected.has(identifier)) return true;
      const criterion = state.criteria.get(identifier);
      if (criterion === undefined) return false;
      if (path.has(identifier)) throw this.#unreachableCycle(state, [...path, identifier]);
      path.add(identifier);
      try {
        for (const info of criterion.information) {
          if (info.parent === null) {
            connected.add(identifier);
            return true;
          }
          const parentId = keyToIdentifier.get(info.parent.key);
          if (parentId === undefined) continue;
          if (reachable(parentId)) {
            connected.add(identifier);
            return true;
          }
        }
        return false;
      } finally {
        path.delete(identifier);
      }
    };
    for (const identifier of state.criteria.keys()) reachable(identifier);

    // One record per project, for files and installed distributions alike, split at the end.
    interface Picked {
      name: string;
      base: BaseLike<T>;
      extras: string[];
      requiredBy: string[];
      dependencies: string[] | 'unknown';
    }
    const picked = new Map<string, Picked>();
    const directUrlDependencies: DirectUrlDependency[] = [];
    const pinnedKeys = new Set([...state.mapping].filter(([id]) => connected.has(id)).map(([, c]) => c.key));
    for (const [identifier, candidate] of state.mapping) {
      if (!connected.has(identifier) || (candidate.kind !== 'base' && candidate.kind !== 'installed')) continue;
      picked.set(candidate.name, {
        name: candidate.name,
        base: candidate,
        extras: [],
        requiredBy: [],
        dependencies: candidate.metadata.requiresDist === 'unknown' ? 'unknown' : [],
      });
    }
    for (const [identifier, candidate] of state.mapping) {
      if (!connected.has(identifier) || candidate.kind === 'python') continue;
      const pkg = picked.get(candidate.name);
      if (pkg === undefined) continue;
      if (candidate.kind === 'extras') pkg.extras = [...new Set([...pkg.extras, ...candidate.extras])].sort(comparePy);
      for (const info of state.criteria.get(identifier)?.information ?? []) {
        if (info.parent === null) pkg.requiredBy.push(USER);
        else if (info.parent.kind !== 'python' && info.parent.name !== candidate.name && pinnedKeys.has(info.parent.key)) {
          pkg.requiredBy.push(`${info.parent.name}==${info.parent.version.toString()}`);
          const parent = picked.get(info.parent.name);
          if (parent !== undefined && parent.dependencies !== 'unknown' && !parent.dependencies.includes(candidate.name)) parent.dependencies.push(candidate.name);
        }
      }
      pkg.requiredBy = [...new Set(pkg.requiredBy)];
      for (const url of this.#directUrls.get(candidate.key) ?? []) {
        const requiredBy = `${candidate.name}==${candidate.version.toString()}`;
        if (!directUrlDependencies.some((d) => d.requiredBy === requiredBy && d.requirement === url.requirement)) directUrlDependencies.push({ requiredBy, ...url });
      }
    }
    const packages: ResolvedPackage<T>[] = [];
    const installed: InstalledPackage[] = [];
    for (const pkg of picked.values()) {
      const base = pkg.base;
      if (base.kind === 'base') {
        packages.push({ name: pkg.name, candidate: base.file, extras: pkg.extras, requiredBy: pkg.requiredBy, dependencies: pkg.dependencies, metadata: base.metadata });
        continue;
      }
      installed.push({
        name: pkg.name,
        version: base.distribution.version,
        distribution: base.distribution,
        extras: pkg.extras,
        requiredBy: pkg.requiredBy,
        dependencies: pkg.dependencies === 'unknown' ? [] : pkg.dependencies,
        upgradeEligible: [...state.mapping.keys()].some((id) => connected.has(id) && this.#baseName(id) === pkg.name && this.#eligibleForUpgrade(id)),
        specifier: this.#finalSpecifier(state, pkg.name),
      });
    }
    return { packages, installed, directUrlDependencies, rejections: this.#rejections };
  }

  #baseName(identifier: string): string {
    const bracket = identifier.indexOf('[');
    return bracket > 0 ? identifier.slice(0, bracket) : identifier;
  }

  /** The intersection of every specifier on `name` and `name[...]` in the final criteria, and the constraints. */
  #finalSpecifier(state: State<T>, name: string): SpecifierSet {
    let specifier = this.#constraintFor(name);
    for (const [identifier, criterion] of state.criteria) {
      if (this.#baseName(identifier) !== name) continue;
      for (const info of criterion.information) if (info.requirement.kind === 'specifier') specifier = specifier.intersect(info.requirement.specifier);
    }
    return specifier;
  }
}

/** dist.requires_python: an invalid value is ignored (pip warns), an empty one adds no requirement. */
function parseRequiresPython(text: string | null, rules: VersionRules): SpecifierSet | null {
  if (text === null) return null;
  try {
    const specifier = SpecifierSet.parse(text, null, rules);
    return specifier.isEmpty ? null : specifier;
  } catch {
    return null;
  }
}

/** pip's "from versions:" list: distinct versions, oldest first (legacy versions before PEP 440 ones). */
function versionsOldestFirst(versions: readonly AnyVersion[]): string[] {
  const distinct: AnyVersion[] = [];
  for (const version of versions) if (!distinct.some((v) => compareAnyVersions(v, version) === 0)) distinct.push(version);
  return distinct.sort(compareAnyVersions).map(String);
}

function safeEvaluate(requirement: Requirement, markers: MarkerEnvironment, extra: string): boolean {
  try {
    return evaluateMarker(requirement.marker!, { ...markers }, extra);
  } catch {
    return false;
  }
}

function summarizeRejections<T extends FileEntry>(rejected: readonly Rejection<T>[]): string {
  if (rejected.length === 0) return '';
  const counts = new Map<string, number>();
  for (const r of rejected) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return `; files skipped: ${[...counts].map(([reason, n]) => `${n} ${reason}`).join(', ')}`;
}
