// pip's reading of one requirements (or constraints) file and everything it includes:
// `RequirementsFileParser._parse_and_recurse`, `handle_line`, `handle_requirement_line`,
// `handle_option_line` and `get_file_content` in src/pip/_internal/req/req_file.py.
//
// Supported, with the pip version where it changed:
// - nested `-r`/`-c` (only the first on a line; `-r` wins over `-c` on the same line; a `-r` inside a
//   constraints file reads requirements, not constraints — pip sets nested_constraint=False);
//   a URL parent → urljoin; a local parent → join with its directory unless the child is an
//   http/https/file URL (24.3+ also makes it absolute);
// - recursion: 24.3+ raises "X recursively references itself in Y[ and again in Z]" per include chain;
//   older pips recurse until Python's RecursionError, reported here as the same error kind;
// - option-line effects as ordered events (file, line, in handle_option_line's order), including the
//   FormatControl mutation that `--no-binary`/`--only-binary` make while *any* line is parsed —
//   requirement lines and nested-file lines too, because the callback runs inside optparse;
// - per-requirement options (SUPPORTED_OPTIONS_REQ / _EDITABLE_REQ dests with truthy values).
// Not here: classifying each requirement string (see src/pip/requirement-line.ts), and pylock files
// given to `-r` on the command line (pip 26.1+, src/io/requirement-sources.ts). A pylock file named
// inside a requirements file is read as a requirements file, as pip 26.2.1 does (and fails there).
import { type DecodedRequirementsFile, decodeFetchedRequirementsFile, decodeLocalRequirementsFile } from './decode.js';
import { RequirementsFileError } from './errors.js';
import { type LineOptions, LineOptionsError, parseRequirementsLine } from './line-options.js';
import { preprocessRequirementsText } from './lines.js';
import { perRequirementDests } from './options.js';
import { pipVersionAtLeast } from './pip-version.js';
import { pyAbspath, pyDirname, pyJoin } from './python-path.js';
import { PythonDecodeError } from './python-codecs.js';
import { PythonUrlError, urljoin, urlsplit } from '../python-urllib.js';

export interface RequirementsFileContent {
  bytes: Uint8Array;
  /** Where the content really came from after redirects (pip ignores it for joins). */
  finalLocation: string;
  /** The Content-Type header for URLs (pip's LocalFSAdapter sends a mimetypes guess, "text/plain" by default). */
  contentType?: string | null;
}

export interface ParseRequirementsFileOptions {
  /**
   * Reads a location exactly as pip names it: a path (relative ones against the real pip's working
   * directory) or an http/https/file URL. Throw to fail; the message becomes "Could not open requirements
   * file: <message>" for paths.
   */
  reader: (location: string, kind: 'path' | 'url') => Promise<RequirementsFileContent>;
  /** For pip's find-links rule: does this path exist (os.path.exists)? */
  pathExists: (path: string) => boolean | Promise<boolean>;
  env: Readonly<Record<string, string | undefined>>;
  pipVersion: string;
  /** The real pip's working directory (for abspath). */
  cwd: string;
  /** True for a `-c` root. */
  constraint?: boolean;
  /** Python's locale.getpreferredencoding(False) in the real pip. Default "utf-8". */
  localeEncoding?: string;
  /** optparse's program name in messages. Default "pip". */
  prog?: string;
  /**
   * `--use-feature` values pip's process already appended to the option's shared default list (pip's
   * `use_new_feature` partial holds one `default=[]` list that optparse appends to): those given on the
   * command line and in files parsed earlier in the same run. Default none.
   */
  featuresAlreadyUsed?: readonly string[];
  /**
   * Called for each entry in pip's order, as pip handles it (before the next line is parsed), so a caller
   * that classifies requirements can stop at the first error in the same order pip would.
   */
  onEntry?: (entry: RequirementsFileEntry) => void;
}

export interface RequirementsFileNode {
  /** The location as pip names it (its `filename`). */
  location: string;
  kind: 'path' | 'url';
  /** abspath for paths, the URL itself for URLs. */
  absoluteLocation: string;
  finalLocation: string;
  constraint: boolean;
  decoded: DecodedRequirementsFile;
  /** Physical lines of the decoded text (Python splitlines). */
  physicalLines: string[];
  lines: RequirementsFileLine[];
  /** The including line, or null for the root. */
  includedFrom: { file: RequirementsFileNode; lineNumber: number } | null;
}

export interface NestedReference {
  option: '-r' | '-c';
  /** The value as written on the line. */
  written: string;
  /** What pip opens (after urljoin / join / abspath). */
  resolved: string;
  constraint: boolean;
  node: RequirementsFileNode | null;
}

export interface RequirementsFileLine {
  lineNumber: number;
  firstPhysical: number;
  lastPhysical: number;
  /** The processed text pip parsed. */
  text: string;
  args: string;
  options: LineOptions;
  kind: 'requirement' | 'editable' | 'nested' | 'options';
  nested: NestedReference | null;
  /** On an option line with `-f`: the value pip used (joined with the file's directory if that exists). */
  resolvedFindLinks: string | null;
}

export type RequirementsFileEvent = {
  file: string;
  lineNumber: number;
  constraint: boolean;
} & (
  | { kind: 'no-binary' | 'only-binary' | 'all-releases' | 'only-final'; value: string }
  | { kind: 'hash-without-requirement' }
  | { kind: 'require-hashes' | 'no-require-hashes' | 'no-index' | 'pre' | 'prefer-binary' }
  | { kind: 'use-feature'; value: string }
  | { kind: 'index-url' | 'extra-index-url' | 'trusted-host'; value: string }
  | { kind: 'find-links'; value: string; written: string }
);

export interface RequirementsFileRequirement {
  kind: 'requirement';
  requirement: string;
  editable: boolean;
  constraint: boolean;
  file: string;
  lineNumber: number;
  /** pip's comes_from: "-r FILE (line N)" / "-c FILE (line N)". */
  comesFrom: string;
  /** pip's line_source: "line N of FILE" (null for editables before pip 24.0). */
  lineSource: string | null;
  /** The per-requirement options pip keeps (dest → value), null where pip passes none. */
  perRequirementOptions: Record<string, unknown> | null;
  line: RequirementsFileLine;
}

export type RequirementsFileEntry =
  | RequirementsFileRequirement
  | { kind: 'events'; events: RequirementsFileEvent[]; file: string; lineNumber: number; line: RequirementsFileLine };

export interface ParsedRequirementsFile {
  root: RequirementsFileNode;
  /** Every file read, in the order pip opened them (a file included twice appears twice). */
  files: RequirementsFileNode[];
  requirements: RequirementsFileRequirement[];
  events: RequirementsFileEvent[];
  /** Entries in pip's order (requirements and option effects interleaved). */
  entries: RequirementsFileEntry[];
  /** pip's warnings (locale fallback, --hash on an option line). */
  warnings: string[];
}

const SCHEME_RE = /^(http|https|file):/i;

export async function parseRequirementsFile(location: string, options: ParseRequirementsFileOptions): Promise<ParsedRequirementsFile> {
  const state: ParseState = {
    options,
    files: [],
    requirements: [],
    events: [],
    entries: [],
    warnings: [],
    sharedFeatures: [...(options.featuresAlreadyUsed ?? [])],
  };
  const modernRecursion = pipVersionAtLeast(options.pipVersion, '24.3');
  const rootKey = modernRecursion ? pyAbspath(location, options.cwd) : identity(location, options.cwd);
  const root = await parseFile(state, location, options.constraint ?? false, null, [new Map([[rootKey, null]])]);
  return { root, files: state.files, requirements: state.requirements, events: state.events, entries: state.entries, warnings: state.warnings };
}

interface ParseState {
  options: ParseRequirementsFileOptions;
  files: RequirementsFileNode[];
  requirements: RequirementsFileRequirement[];
  events: RequirementsFileEvent[];
  entries: RequirementsFileEntry[];
  warnings: string[];
  /** The shared `--use-feature` default list (see featuresAlreadyUsed). */
  sharedFeatures: string[];
}

/** How pip ≥ 24.3 identifies a file for recursion; also used to stop older pips' endless recursion. */
function identity(location: string, cwd: string): string {
  return SCHEME_RE.test(location) ? location : pyAbspath(location, cwd);
}

function urlScheme(location: string, pipVersion: string): string | null {
  // 23.x: utils.urls.get_url_scheme (text before the first ':'); later: urlsplit().scheme.
  if (!pipVersionAtLeast(pipVersion, '24.1')) {
    const colon = location.indexOf(':');
    return colon === -1 ? null : location.slice(0, colon).toLowerCase();
  }
  try {
    return urlsplit(location).scheme;
  } catch {
    return null;
  }
}

async function parseFile(
  state: ParseState,
  location: string,
  constraint: boolean,
  includedFrom: RequirementsFileNode['includedFrom'],
  stack: Array<Map<string, string | null>>,
): Promise<RequirementsFileNode> {
  const { options } = state;
  const node = await readNode(state, location, constraint, includedFrom);
  state.files.push(node);
  const { physical, lines } = preprocessRequirementsText(node.decoded.text, options.env);
  node.physicalLines = physical.map((p) => p.text);
  for (const logical of lines) {
    let split;
    try {
      split = parseRequirementsLine(logical.text, options.pipVersion, options.prog ?? 'pip');
    } catch (error) {
      if (!(error instanceof LineOptionsError)) throw error;
      throw new RequirementsFileError(error.failure.kind, {
        file: location,
        lineNumber: logical.lineNumber,
        lineText: logical.text,
        pipMessage: error.failure.pipMessage,
      });
    }
    const opts = split.options;
    // Every line's features_enabled *is* the shared list, including values appended by earlier lines.
    state.sharedFeatures.push(...opts.featuresEnabled);
    opts.featuresEnabled = [...state.sharedFeatures];
    const isRequirement = split.args !== '' || opts.editables.length > 0;
    const nestedValue = !isRequirement ? (opts.requirements[0] ?? opts.constraints[0]) : undefined;
    const line: RequirementsFileLine = {
      lineNumber: logical.lineNumber,
      firstPhysical: logical.firstPhysical,
      lastPhysical: logical.lastPhysical,
      text: logical.text,
      args: split.args,
      options: opts,
      kind: split.args !== '' ? 'requirement' : opts.editables.length > 0 ? 'editable' : nestedValue !== undefined ? 'nested' : 'options',
      nested: null,
      resolvedFindLinks: null,
    };
    node.lines.push(line);
    const base = { file: location, lineNumber: logical.lineNumber, constraint };
    // FormatControl / ReleaseControl callbacks mutate the finder while the line is parsed, whatever the line is.
    const parseTimeEvents: RequirementsFileEvent[] = [];
    for (const occ of opts.occurrences) {
      if (occ.dest === 'format_control' || occ.dest === 'release_control') {
        parseTimeEvents.push({ ...base, kind: occ.name.slice(2) as 'no-binary', value: occ.value ?? '' });
      }
    }
    if (line.kind === 'nested') {
      record(state, parseTimeEvents, line);
      const fromRequirements = opts.requirements.length > 0;
      const written = nestedValue!;
      let resolved = written;
      if (SCHEME_RE.test(location)) {
        resolved = joinUrl(location, written, logical);
      } else if (!SCHEME_RE.test(written)) {
        resolved = pyJoin(pyDirname(location), written);
        if (pipVersionAtLeast(options.pipVersion, '24.3')) resolved = pyAbspath(resolved, options.cwd);
      }
      const nested: NestedReference = {
        option: fromRequirements ? '-r' : '-c',
        written,
        resolved,
        constraint: !fromRequirements,
        node: null,
      };
      line.nested = nested;
      const key = pipVersionAtLeast(options.pipVersion, '24.3') ? resolved : identity(resolved, options.cwd);
      const parsedFiles = stack[0]!;
      if (parsedFiles.has(key)) {
        const initial = parsedFiles.get(key) ?? null;
        const tail = initial !== null ? ` and again in ${initial}` : '';
        throw new RequirementsFileError('recursion', {
          file: location,
          lineNumber: logical.lineNumber,
          lineText: logical.text,
          pipMessage: pipVersionAtLeast(options.pipVersion, '24.3')
            ? `${resolved} recursively references itself in ${location}${tail}`
            : `${resolved} recursively references itself in ${location} (this pip crashes with RecursionError)`,
        });
      }
      const next = new Map(parsedFiles);
      next.set(key, location);
      nested.node = await parseFile(state, resolved, nested.constraint, { file: node, lineNumber: logical.lineNumber }, [next, ...stack]);
      continue;
    }
    if (line.kind === 'requirement' || line.kind === 'editable') {
      record(state, parseTimeEvents, line);
      const requirement = requirementEntry(line, location, constraint, options.pipVersion);
      state.requirements.push(requirement);
      state.entries.push(requirement);
      options.onEntry?.(requirement);
      continue;
    }
    const events = [...parseTimeEvents, ...(await optionLineEvents(opts, base, location, options))];
    for (const event of events) if (event.kind === 'find-links') line.resolvedFindLinks = event.value;
    if (opts.hashes !== null && pipVersionAtLeast(options.pipVersion, '23.1')) {
      state.warnings.push(`${location} line ${logical.lineNumber} has --hash but no requirement, and will be ignored.`);
    }
    record(state, events, line);
  }
  return node;
}

function record(state: ParseState, events: RequirementsFileEvent[], line: RequirementsFileLine): void {
  if (events.length === 0) return;
  state.events.push(...events);
  const entry: RequirementsFileEntry = { kind: 'events', events, file: events[0]!.file, lineNumber: line.lineNumber, line };
  state.entries.push(entry);
  state.options.onEntry?.(entry);
}

async function readNode(
  state: ParseState,
  location: string,
  constraint: boolean,
  includedFrom: RequirementsFileNode['includedFrom'],
): Promise<RequirementsFileNode> {
  const { options } = state;
  const scheme = urlScheme(location, options.pipVersion);
  const kind = scheme === 'http' || scheme === 'https' || scheme === 'file' ? 'url' : 'path';
  let content: RequirementsFileContent;
  try {
    content = await options.reader(location, kind);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RequirementsFileError('unreadable', {
      file: location,
      lineNumber: null,
      lineText: null,
      pipMessage: kind === 'path' ? `Could not open requirements file: ${detail}` : detail,
      cause: error,
    });
  }
  let decoded: DecodedRequirementsFile;
  try {
    decoded =
      kind === 'url'
        ? decodeFetchedRequirementsFile(content.bytes, content.contentType ?? (scheme === 'file' ? 'text/plain' : null))
        : decodeLocalRequirementsFile(content.bytes, location, {
            pipVersion: options.pipVersion,
            localeEncoding: options.localeEncoding ?? 'utf-8',
          });
  } catch (error) {
    if (!(error instanceof PythonDecodeError)) throw error;
    throw new RequirementsFileError('undecodable', { file: location, lineNumber: null, lineText: null, pipMessage: error.message, cause: error });
  }
  if (decoded.warning !== null) state.warnings.push(decoded.warning);
  return {
    location,
    kind,
    absoluteLocation: kind === 'url' ? location : pyAbspath(location, options.cwd),
    finalLocation: content.finalLocation,
    constraint,
    decoded,
    physicalLines: [],
    lines: [],
    includedFrom,
  };
}

/** urljoin for a nested `-r`/`-c` under a URL parent; pip crashes with ValueError where urlsplit raises. */
function joinUrl(location: string, written: string, logical: { lineNumber: number; text: string }): string {
  try {
    return urljoin(location, written);
  } catch (error) {
    if (!(error instanceof PythonUrlError)) throw error;
    throw new RequirementsFileError('invalid-url', {
      file: location,
      lineNumber: logical.lineNumber,
      lineText: logical.text,
      pipMessage: `Invalid URL ${JSON.stringify(error.input)}: ${error.message} (pip crashes with ValueError)`,
      cause: error,
    });
  }
}

function requirementEntry(
  line: RequirementsFileLine,
  file: string,
  constraint: boolean,
  pipVersion: string,
): RequirementsFileRequirement {
  const editable = line.kind === 'editable';
  const requirement = editable ? line.options.editables[0]! : line.args;
  const editableWithoutOptions = editable && !pipVersionAtLeast(pipVersion, '24.0');
  let perRequirementOptions: Record<string, unknown> | null = null;
  if (!editableWithoutOptions) {
    perRequirementOptions = {};
    const values: Record<string, unknown> = {
      install_options: line.options.installOptions,
      global_options: line.options.globalOptions,
      hashes: line.options.hashes,
      config_settings: line.options.configSettings,
    };
    for (const dest of perRequirementDests(pipVersion, editable)) {
      const value = values[dest];
      if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) perRequirementOptions[dest] = value;
    }
  }
  return {
    kind: 'requirement',
    requirement,
    editable,
    constraint,
    file,
    lineNumber: line.lineNumber,
    comesFrom: `${constraint ? '-c' : '-r'} ${file} (line ${line.lineNumber})`,
    lineSource: editableWithoutOptions ? null : `line ${line.lineNumber} of ${file}`,
    perRequirementOptions,
    line,
  };
}

/** handle_option_line's effects, in its order. */
async function optionLineEvents(
  opts: LineOptions,
  base: { file: string; lineNumber: number; constraint: boolean },
  location: string,
  options: ParseRequirementsFileOptions,
): Promise<RequirementsFileEvent[]> {
  const events: RequirementsFileEvent[] = [];
  if (opts.hashes !== null) events.push({ ...base, kind: 'hash-without-requirement' });
  if (opts.requireHashes) events.push({ ...base, kind: 'require-hashes' });
  if (opts.noRequireHashes) events.push({ ...base, kind: 'no-require-hashes' });
  for (const feature of opts.featuresEnabled) events.push({ ...base, kind: 'use-feature', value: feature });
  if (opts.noIndex) events.push({ ...base, kind: 'no-index' });
  if (opts.indexUrl) events.push({ ...base, kind: 'index-url', value: opts.indexUrl });
  for (const url of opts.extraIndexUrls) events.push({ ...base, kind: 'extra-index-url', value: url });
  const firstLink = opts.findLinks[0];
  if (firstLink !== undefined) {
    const reqDir = pyDirname(pyAbspath(location, options.cwd));
    const relativeToFile = pyJoin(reqDir, firstLink);
    const value = (await options.pathExists(relativeToFile)) ? relativeToFile : firstLink;
    events.push({ ...base, kind: 'find-links', value, written: firstLink });
  }
  if (opts.pre) events.push({ ...base, kind: 'pre' });
  if (opts.preferBinary) events.push({ ...base, kind: 'prefer-binary' });
  for (const host of opts.trustedHosts) events.push({ ...base, kind: 'trusted-host', value: host });
  return events;
}
