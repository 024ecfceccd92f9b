// Every requirement pip would read for a command, in pip's order (cli/req_command.py
// get_requirements, pip 26.2.1): constraints files, positional arguments, `--group` dependency
// groups (pip 25.1+), `-e` values, requirements files — each with everything it includes, or a
// pylock file's selected packages (pip 26.1+) — then `--requirements-from-script` (pip 26.0+).
// Each requirement is classified the way pip reads it (src/pip/requirement-line.ts; groups and
// scripts as PEP 508 strings, like pip's install_req_from_req_string) and becomes a policy Target.
// A pylock package becomes the Target of what pip would fetch for it: the selected wheel's URL
// (kind wheel), the sdist's or archive's URL (remote/local archive), the directory (local dir or
// editable) or the VCS URL; its hashes go into `hashes`, since pip attaches them as --hash options
// (which turns on hash-checking mode for the whole run).
// A pylock file named from inside a requirements file is read as a requirements file, as pip 26.2.1
// reads it (src/standards/requirements-file/tree.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import type { InterpreterFacts } from '../standards/interpreter-facts.js';
import { parseRequirement, RequirementParseError } from '../standards/pep508/requirement.js';
import { formatMarker } from '../standards/pep508/markers.js';
import { parseGroupOption, resolveDependencyGroups, DependencyGroupError, invalidRequirementText } from '../standards/dependency-groups.js';
import { checkScriptRequiresPython, decodeScript, readScriptMetadata, scriptDependencies, ScriptMetadataError } from '../standards/inline-script-metadata.js';
import { isPylockFilename, isPylockUrl, parsePylock, pylockRequirement, PylockError, selectFromPylock, type PylockRequirement } from '../standards/pylock.js';
import { pipVersionAtLeast } from '../standards/requirements-file/pip-version.js';
import { versionRulesForPip } from '../standards/legacy-version.js';
import { supportedTags } from '../standards/tags.js';
import { pythonStrRepr } from '../pip/python-repr.js';
import type { ClassifiedRequirement } from '../pip/requirement-line.js';
import type { EffectiveSettings } from '../pip/effective-settings.js';
import { classifyRequirementString, RequirementLineError, type RequirementLineFs } from '../pip/requirement-line.js';
import { parseRequirementsFile, RequirementsFileError, type ParsedRequirementsFile, type RequirementsFileContent } from '../standards/requirements-file.js';
import { targetFrom, type Target } from '../policy/targets.js';
import { SafePipError } from '../errors.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { PipUsageError } from '../pip/pip-usage-error.js';
import { describeSource } from '../pip/setting-source.js';

export interface GatheredRequirements {
  targets: Target[];
  /** Parsed constraints and requirements files (roots), in pip's order, for sanitizing. */
  files: { parsed: ParsedRequirementsFile; constraint: boolean; origin: string }[];
  /** Per-requirement `--hash` values by requirement text (hash-checking mode); pylock hashes too. */
  hashes: Map<Target, Record<string, string[]>>;
  /** Top-level pylock files (`-r pylock.toml`, pip 26.1+): what pip makes of each selected package. */
  lockFiles: { location: string; origin: string; entries: { target: Target; requirement: PylockRequirement }[] }[];
}

export interface GatherOptions {
  settings: EffectiveSettings;
  cwd: string;
  env: NodeJS.ProcessEnv;
  pipVersion: string;
  /** Reads a requirements file given by URL (http, https). */
  fetchUrl: (url: string) => Promise<RequirementsFileContent>;
  /**
   * The real pip's interpreter: needed for pylock files (markers, tags, Requires-Python) and for a
   * script's `requires-python`. Without it those sources fail with a SafePipError.
   */
  facts?: InterpreterFacts;
}

export const localFs: RequirementLineFs = {
  isFile: (path) => statOrNull(path)?.isFile() ?? false,
  isDir: (path) => statOrNull(path)?.isDirectory() ?? false,
  dirHasProjectFile: (path) =>
    (statOrNull(join(path, 'pyproject.toml'))?.isFile() ?? false) || (statOrNull(join(path, 'setup.py'))?.isFile() ?? false),
};

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

export async function gatherRequirements(options: GatherOptions): Promise<GatheredRequirements> {
  const { settings, cwd, pipVersion } = options;
  const result: GatheredRequirements = { targets: [], files: [], hashes: new Map(), lockFiles: [] };
  const classify = (text: string, origin: string, editable: boolean, constraint: boolean, lineSource: string | null): Target => {
    try {
      return targetFrom(classifyRequirementString(text, { cwd, fs: localFs, editable, pipVersion, lineSource }), origin, { constraint });
    } catch (error) {
      if (error instanceof RequirementLineError) {
        throw new SafePipError(`${error.message}${lineSource === null ? '' : ` (${lineSource})`}`, { cause: error });
      }
      throw error;
    }
  };
  const readFile = async (location: string, kind: 'path' | 'url'): Promise<RequirementsFileContent> => {
    if (kind === 'url') {
      if (/^file:/i.test(location)) {
        const path = decodeURIComponent(location.replace(/^file:(\/\/[^/]*)?/i, ''));
        return { bytes: readFileSync(path), finalLocation: location, contentType: null };
      }
      return options.fetchUrl(location);
    }
    const path = location.startsWith('/') ? location : join(cwd, location);
    try {
      return { bytes: readFileSync(path), finalLocation: location };
    } catch (error) {
      // pip's open(location) names the file as pip was given it (relative stays relative).
      throw new Error(pythonOsErrorText(error, location), { cause: error });
    }
  };
  const parseRoot = async (location: string, constraint: boolean, origin: string): Promise<void> => {
    let parsed: ParsedRequirementsFile;
    try {
      parsed = await parseRequirementsFile(location, {
        reader: readFile,
        pathExists: (p) => existsSync(p.startsWith('/') ? p : join(cwd, p)),
        env: options.env,
        pipVersion,
        cwd,
        constraint,
      });
    } catch (error) {
      // pip's own wording for a requirements file it cannot read: pip's InstallationError, which
      // pip prints as "ERROR: …" and exits 1 (cli/base_command.py); reported exactly so by main.ts.
      if (error instanceof RequirementsFileError && error.kind === 'unreadable' && error.pipMessage.startsWith('Could not open requirements file: ')) {
        throw new PipUsageError('command-error', error.pipMessage, { exitCode: EXIT_ERROR, stderr: `ERROR: ${error.pipMessage}\n`, argv: [] });
      }
      if (error instanceof RequirementsFileError) throw new SafePipError(error.pipMessage, { cause: error });
      throw error;
    }
    result.files.push({ parsed, constraint, origin });
    for (const req of parsed.requirements) {
      const target = classify(req.requirement, req.comesFrom, req.editable, req.constraint, req.lineSource);
      result.targets.push(target);
      const hashes = req.perRequirementOptions?.['hashes'];
      if (hashes !== undefined && hashes !== null) result.hashes.set(target, toHashMap(hashes));
    }
  };

  // A PEP 508 string as pip's install_req_from_req_string reads it (groups, scripts).
  const classifySpec = (text: string, origin: string): Target => {
    let requirement;
    try {
      requirement = parseRequirement(text, { rules: versionRulesForPip(pipVersion) });
    } catch (error) {
      if (!(error instanceof RequirementParseError)) throw error;
      throw new SafePipError(`Invalid requirement: ${pythonStrRepr(text)}: ${invalidRequirementText(error)}`, { cause: error });
    }
    if (requirement.url !== null) return classify(text, origin, false, false, null);
    const classified: ClassifiedRequirement = {
      kind: 'named',
      input: text,
      marker: requirement.marker === null ? null : formatMarker(requirement.marker),
      extras: [...requirement.extras],
      name: requirement.name,
      requirement,
      warnings: [],
      specifier: requirement.specifier,
    };
    return targetFrom(classified, origin);
  };
  const factsFor = (what: string): InterpreterFacts => {
    if (options.facts === undefined) throw new SafePipError(`safe-pip cannot read ${what} without knowing the real pip's interpreter.`);
    return options.facts;
  };

  // Checked while pip parses its options / validates them, before any file is read.
  const groupValues = stringList(settings.values['dependency_groups']);
  const groupRequests = groupValues.map((value) => {
    try {
      return parseGroupOption(value);
    } catch (error) {
      if (error instanceof DependencyGroupError) throw new SafePipError(error.pipMessage, { exitCode: error.exitCode, cause: error });
      throw error;
    }
  });
  const requirementFiles = settings.requirements;
  const lockLocations = pipVersionAtLeast(pipVersion, '26.1') ? requirementFiles.filter((r) => isPylockFilename(r.value)) : [];
  const target = settings.targetPython;
  if (lockLocations.length > 0 && (target.platforms?.length || target.pythonVersion !== null || target.implementation || target.abis?.length)) {
    throw new SafePipError(
      'Platform and interpreter constraints using --python-version, --platform, --abi, or --implementation, ' +
        `are not supported when selecting requirements from ${pythonStrRepr(lockLocations[0]!.value)}`,
    );
  }

  for (const constraint of settings.constraints) await parseRoot(constraint.value, true, describeSource(constraint.source));
  for (const arg of settings.args) {
    if (arg.trim() === '') continue;
    result.targets.push(classify(arg, 'command line', false, false, null));
  }
  if (groupRequests.length > 0) {
    let resolved;
    try {
      resolved = resolveDependencyGroups(groupRequests, (path) => readPyproject(path, cwd), pipVersion);
    } catch (error) {
      if (error instanceof DependencyGroupError) throw new SafePipError(error.pipMessage, { exitCode: error.exitCode, cause: error });
      throw error;
    }
    for (const { request, requirement } of resolved) {
      result.targets.push(classifySpec(requirement, `dependency group '${request.group}' in ${request.path}`));
    }
  }
  for (const editable of settings.editables) {
    result.targets.push(classify(editable.value, describeSource(editable.source), true, false, null));
  }
  for (const requirement of requirementFiles) {
    if (lockLocations.includes(requirement)) {
      await readLockFile(requirement.value, describeSource(requirement.source));
      continue;
    }
    await parseRoot(requirement.value, false, describeSource(requirement.source));
  }

  async function readLockFile(location: string, origin: string): Promise<void> {
    const facts = factsFor(`the pylock file ${location}`);
    let text: string;
    try {
      const content = await readFile(location, isPylockUrl(location) ? 'url' : 'path');
      text = new TextDecoder('utf-8').decode(content.bytes).replace(/\r\n?/g, '\n');
    } catch (error) {
      if (error instanceof SafePipError) throw error;
      throw new SafePipError(`Error reading pylock file ${pythonStrRepr(location)}: ${osErrorText(error)}`, { cause: error });
    }
    const entries: { target: Target; requirement: PylockRequirement }[] = [];
    try {
      const lock = parsePylock(text, location);
      const selections = selectFromPylock(lock, { markers: facts.markers, tags: supportedTags(facts, pipVersion) }, location);
      for (const selection of selections) {
        const requirement = pylockRequirement(selection, location, cwd);
        const where = `${location} (packages[${selection.index}] ${selection.package.name})`;
        let entryTarget: Target;
        if (requirement.form === 'pinned') {
          // pip asks for name==version with the locked file as the only candidate: what it fetches is that file.
          const sha256 = requirement.hashes?.['sha256']?.[0];
          const url = sha256 !== undefined && !requirement.url.includes('#') ? `${requirement.url}#sha256=${sha256}` : requirement.url;
          entryTarget = classify(`${selection.package.name} @ ${url}`, where, false, false, null);
        } else {
          entryTarget = classify(requirement.text, where, requirement.form === 'editable', false, null);
        }
        entries.push({ target: entryTarget, requirement });
        result.targets.push(entryTarget);
        if (requirement.hashes !== null) result.hashes.set(entryTarget, toHashMap(requirement.hashes));
      }
    } catch (error) {
      if (error instanceof PylockError) throw new SafePipError(error.pipMessage, { cause: error });
      throw error;
    }
    result.lockFiles.push({ location, origin, entries });
  }

  const scripts = stringList(settings.values['requirements_from_scripts']);
  if (scripts.length > 1) throw new SafePipError('--requirements-from-script can only be given once');
  if (scripts.length === 1) {
    const script = scripts[0]!;
    try {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(script.startsWith('/') ? script : join(cwd, script));
      } catch (error) {
        throw new SafePipError(`Could not install packages due to an OSError: ${osErrorText(error)}`, { cause: error });
      }
      const metadata = readScriptMetadata(decodeScript(bytes, script), script);
      if (settings.values['ignore_requires_python'] !== true) {
        const version = settings.targetPython.pythonVersion ?? factsFor(`the requires-python of ${script}`).pythonVersion;
        checkScriptRequiresPython(metadata, script, version);
      }
      for (const dependency of scriptDependencies(metadata, script)) {
        result.targets.push(classifySpec(dependency, `script ${script}`));
      }
    } catch (error) {
      if (error instanceof ScriptMetadataError) throw new SafePipError(error.pipMessage, { exitCode: error.exitCode, cause: error });
      throw error;
    }
  }
  return result;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? [value] : [];
}

/** A pyproject.toml as pip's `open(path, "rb")` sees it: text, or null when it does not exist. */
function readPyproject(path: string, cwd: string): string | null {
  try {
    return new TextDecoder('utf-8').decode(readFileSync(path.startsWith('/') ? path : join(cwd, path)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DependencyGroupError('file', path, `Error reading ${path}: ${osErrorText(error)}`, { cause: error });
  }
}

// strerror() of the errors opening a file can give (Linux, glibc), which Python's OSError shows;
// Node's own texts differ ("illegal operation on a directory").
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  ENXIO: 'No such device or address',
  EIO: 'Input/output error',
};

/** Python's str(OSError) for open(filename): `[Errno 21] Is a directory: 'reqs'`. */
function pythonOsErrorText(error: unknown, filename: string): string {
  const e = error as NodeJS.ErrnoException;
  const text = typeof e.code === 'string' ? STRERROR[e.code] : undefined;
  const errno = typeof e.code === 'string' ? osConstants.errno[e.code as keyof typeof osConstants.errno] : undefined;
  if (text === undefined || errno === undefined) return osErrorText(error);
  return `[Errno ${errno}] ${text}: ${pythonStrRepr(filename)}`;
}

/** Python's str(OSError): `[Errno 2] No such file or directory: 'x'`, as near as Node tells it. */
function osErrorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (typeof e.errno === 'number' && typeof e.path === 'string') {
    const text = e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
    return `[Errno ${-e.errno}] ${text.charAt(0).toUpperCase()}${text.slice(1)}: ${pythonStrRepr(e.path)}`;
  }
  return e instanceof Error ? e.message : String(error);
}

/** pip keeps `--hash` values as {algorithm: [hex, …]}; accept the list form `alg:hex` too. */
function toHashMap(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (alg: string, hex: string): void => {
    (out[alg.toLowerCase()] ??= []).push(hex.toLowerCase());
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item);
      const colon = text.indexOf(':');
      if (colon > 0) add(text.slice(0, colon), text.slice(colon + 1));
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [alg, list] of Object.entries(value as Record<string, unknown>)) {
      for (const hex of Array.isArray(list) ? list : [list]) add(alg, String(hex));
    }
  }
  return out;
}
