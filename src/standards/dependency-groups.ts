// https://packaging.python.org/en/latest/specifications/dependency-groups/ (PEP 735), as pip reads
// it for `--group [path:]name` (pip 25.1+): `_handle_dependency_group` in cli/cmdoptions.py,
// req/req_dependency_group.py, and the resolver pip uses — packaging 26's `dependency_groups.py`
// (pip 26.1+; measured with pip 26.2.1), the vendored `dependency-groups` 1.3.1 before that.
//
// Supported: the `[path:]group` value (split at the last ":", the path's last component must be
// `pyproject.toml`), one resolver per file shared by every `--group` naming it (so its caches and
// include-ancestor map behave as pip's do), group-name normalization and duplicate detection,
// `{include-group = "…"}` expansion, cycle detection with pip's wording (every error of a
// resolution joined with "; "), requirement strings as packaging prints them (`str(Requirement)`).
// pip crashes (exit 2, traceback) on an invalid requirement string in a group (26.1+) and on a
// non-string `include-group`; both are reported here as errors with exit code 2.
// Not modelled: the exact text of TOML syntax errors (tomllib's wording differs from smol-toml's),
// and the wording differences of the older vendored library (pip 25.1–26.0), beyond catching an
// invalid requirement as a resolution failure (exit 1) as it did.
import { parse as parseToml, TomlError } from 'smol-toml';
import { SafePipError } from '../errors.js';
import { EXIT_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { pythonStrRepr } from '../pip/python-repr.js';
import { formatRequirement, parseRequirement, RequirementParseError } from './pep508/requirement.js';
import { pipVersionAtLeast } from './requirements-file/pip-version.js';

/** One `--group` value: the pyproject.toml path pip opens (as given, relative to its cwd) and the group. */
export interface DependencyGroupRequest {
  path: string;
  group: string;
}

export type DependencyGroupErrorKind = 'option' | 'file' | 'table' | 'resolution' | 'crash';

/** Everything pip reports about `--group`; `pipMessage` is pip's text after "ERROR: ". */
export class DependencyGroupError extends SafePipError {
  readonly kind: DependencyGroupErrorKind;
  /** The `--group` value or the pyproject.toml path the error is about. */
  readonly input: string;
  /** 0-based offset in `input` where the problem is, where that means something. */
  readonly position: number;
  readonly pipMessage: string;
  constructor(kind: DependencyGroupErrorKind, input: string, pipMessage: string, options: { position?: number; cause?: unknown } = {}) {
    super(pipMessage, { exitCode: kind === 'option' || kind === 'crash' ? EXIT_USAGE : EXIT_ERROR, cause: options.cause });
    this.name = 'DependencyGroupError';
    this.kind = kind;
    this.input = input;
    this.position = options.position ?? 0;
    this.pipMessage = pipMessage;
  }
}

/** pip's `_handle_dependency_group`: `[path:]group`, path defaulting to `pyproject.toml`. */
export function parseGroupOption(value: string): DependencyGroupRequest {
  const colon = value.lastIndexOf(':');
  if (colon === -1) return { path: 'pyproject.toml', group: value };
  const path = value.slice(0, colon);
  if (purePathName(path) !== 'pyproject.toml') {
    // optparse's error: pip prints its usage, then this line, and exits 2.
    throw new DependencyGroupError('option', value, "--group error: group paths use 'pyproject.toml' filenames", { position: 0 });
  }
  return { path, group: value.slice(colon + 1) };
}

/** pathlib.PurePosixPath(path).name: the last non-empty component ("." and "" have none). */
function purePathName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return parts.length === 0 ? '' : parts[parts.length - 1]!;
}

/** packaging / dependency-groups `_normalize_name`. */
export function normalizeGroupName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * Reads a pyproject.toml as pip opens it: its text, or null when the file does not exist. Other
 * read failures should throw a DependencyGroupError of kind 'file' ("Error reading <path>: …").
 */
export type PyprojectReader = (path: string) => string | null;

/**
 * pip's `parse_dependency_groups`: every file is loaded first (in the order the paths appear),
 * then each requested group is resolved, giving the requirement strings in pip's order.
 */
export function resolveDependencyGroups(
  requests: readonly DependencyGroupRequest[],
  read: PyprojectReader,
  pipVersion: string,
): { request: DependencyGroupRequest; requirement: string }[] {
  const resolvers = new Map<string, GroupResolver>();
  for (const { path } of requests) {
    if (resolvers.has(path)) continue;
    resolvers.set(path, new GroupResolver(loadGroupsTable(path, read), path, pipVersion));
  }
  const out: { request: DependencyGroupRequest; requirement: string }[] = [];
  for (const request of requests) {
    for (const requirement of resolvers.get(request.path)!.resolve(request.group)) out.push({ request, requirement });
  }
  return out;
}

/** The `[dependency-groups]` table of one pyproject.toml text, with pip's errors. */
export function loadGroupsTable(path: string, read: PyprojectReader): Record<string, unknown> {
  const text = read(path);
  if (text === null) throw new DependencyGroupError('file', path, `${path} not found. Cannot resolve '--group' option.`);
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const firstLine = error.message.split('\n', 1)[0]!;
    throw new DependencyGroupError('file', path, `Error parsing ${path}: ${firstLine} (at line ${error.line}, column ${error.column})`, { cause: error });
  }
  if (!Object.hasOwn(document, 'dependency-groups')) {
    throw new DependencyGroupError('table', path, `[dependency-groups] table was missing from '${path}'. Cannot resolve '--group' option.`);
  }
  const table = document['dependency-groups'];
  if (!isTable(table)) {
    throw new DependencyGroupError('table', path, `[dependency-groups] table was malformed in ${path}. Cannot resolve '--group' option.`);
  }
  return table;
}

type Parsed = { kind: 'requirement'; text: string } | { kind: 'include'; group: unknown };

/** packaging's DependencyGroupResolver, one per pyproject.toml. */
class GroupResolver {
  private readonly groups = new Map<string, unknown>();
  private readonly parsed = new Map<string, Parsed[]>();
  private readonly ancestors = new Map<string, string[]>();
  private readonly resolved = new Map<string, string[]>();
  private readonly collectsErrors: boolean;

  constructor(
    table: Record<string, unknown>,
    private readonly path: string,
    pipVersion: string,
  ) {
    this.collectsErrors = pipVersionAtLeast(pipVersion, '26.1');
    const originals = new Map<string, string[]>();
    for (const [name, value] of Object.entries(table)) {
      const normalized = normalizeGroupName(name);
      originals.set(normalized, [...(originals.get(normalized) ?? []), name]);
      this.groups.set(normalized, value);
    }
    const duplicates = [...originals].filter(([, names]) => names.length > 1).map(([n, names]) => `${n} (${names.join(', ')})`);
    if (duplicates.length > 0) {
      const message = duplicates.map((d) => `Duplicate dependency group names: ${d}`);
      throw new DependencyGroupError(
        this.collectsErrors ? 'table' : 'crash',
        path,
        this.collectsErrors
          ? `[dependency-groups] data was invalid in ${path}: ${message.join('; ')}`
          : `Duplicate dependency group names: ${duplicates.join(', ')} (pip crashes with ValueError)`,
      );
    }
  }

  resolve(requested: string): string[] {
    const group = normalizeGroupName(requested);
    const errors: string[] = [];
    const result = this.resolveGroup(group, group, errors);
    if (errors.length > 0) {
      throw new DependencyGroupError(
        'resolution',
        requested,
        `[dependency-groups] resolution failed for '${requested}' from '${this.path}': ${errors.join('; ')}`,
      );
    }
    return result;
  }

  private fail(errors: string[], message: string): void {
    // The older library raised at the first problem; packaging collects them all.
    errors.push(message);
    if (!this.collectsErrors) throw new FirstError();
  }

  private resolveGroup(group: string, requested: string, errors: string[]): string[] {
    try {
      return this.resolveCollecting(group, requested, errors);
    } catch (error) {
      if (error instanceof FirstError) return [];
      throw error;
    }
  }

  private resolveCollecting(group: string, requested: string, errors: string[]): string[] {
    const cached = this.resolved.get(group);
    if (cached !== undefined) return cached;
    const out: string[] = [];
    for (const item of this.parseGroup(group, errors)) {
      if (item.kind === 'requirement') {
        out.push(item.text);
        continue;
      }
      if (typeof item.group !== 'string') {
        throw new DependencyGroupError('crash', this.path, `expected string or bytes-like object, got ${pythonTypeName(item.group)} (pip crashes with TypeError)`);
      }
      const include = normalizeGroupName(item.group);
      const chain = this.ancestors.get(group) ?? [];
      if (chain.includes(include)) {
        const reason = item.group === group ? `${group} includes itself` : `${item.group} -> ${group}, ${group} -> ${item.group}`;
        this.fail(errors, `Cyclic dependency group include while resolving ${requested}: ${reason}`);
        continue;
      }
      this.ancestors.set(include, [...chain, group]);
      out.push(...this.resolveCollecting(include, requested, errors));
    }
    if (errors.length > 0) return [];
    this.resolved.set(group, out);
    return out;
  }

  private parseGroup(group: string, errors: string[]): Parsed[] {
    const cached = this.parsed.get(group);
    if (cached !== undefined) return cached;
    if (!this.groups.has(group)) {
      this.fail(errors, `Dependency group '${group}' not found`);
      return [];
    }
    const raw = this.groups.get(group);
    if (typeof raw === 'string') {
      this.fail(errors, `Dependency group ${pythonStrRepr(group)} contained a string rather than a list.`);
      return [];
    }
    if (!Array.isArray(raw)) {
      this.fail(errors, `Dependency group ${pythonStrRepr(group)} is not a sequence type.`);
      return [];
    }
    const elements: Parsed[] = [];
    for (const item of raw as unknown[]) {
      if (typeof item === 'string') {
        elements.push({ kind: 'requirement', text: this.requirementText(item, group, errors) });
      } else if (isTable(item)) {
        const keys = Object.keys(item);
        if (keys.length !== 1 || keys[0] !== 'include-group') this.fail(errors, `Invalid dependency group item: ${pythonValueRepr(item)}`);
        else elements.push({ kind: 'include', group: item['include-group'] });
      } else {
        this.fail(errors, `Invalid dependency group item: ${pythonValueRepr(item)}`);
      }
    }
    this.parsed.set(group, elements);
    return elements;
  }

  private requirementText(item: string, group: string, errors: string[]): string {
    try {
      return formatRequirement(parseRequirement(item));
    } catch (error) {
      if (!(error instanceof RequirementParseError)) throw error;
      const detail = invalidRequirementText(error);
      if (!this.collectsErrors) {
        this.fail(errors, detail);
        return '';
      }
      // packaging's InvalidRequirement is not collected: pip 26.1+ dies with a traceback.
      throw new DependencyGroupError('crash', item, `InvalidRequirement: ${detail} (in dependency group '${group}' of ${this.path}; pip crashes with a traceback)`, { cause: error });
    }
  }
}

class FirstError extends Error {}

/** str(packaging InvalidRequirement): the detail, then the input and a caret line. */
export function invalidRequirementText(error: RequirementParseError): string {
  const lines = error.message.split('\n');
  return [error.detail, ...lines.slice(1)].join('\n');
}

function isTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function pythonTypeName(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? "'int'" : "'float'";
  if (typeof value === 'bigint') return "'int'";
  if (typeof value === 'boolean') return "'bool'";
  if (Array.isArray(value)) return "'list'";
  if (value instanceof Date) return "'datetime.datetime'";
  return "'dict'";
}

/** Python's repr() of a value as tomllib returns it (str, int, float, bool, list, dict). */
export function pythonValueRepr(value: unknown): string {
  if (typeof value === 'string') return pythonStrRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonValueRepr).join(', ')}]`;
  if (value instanceof Date) return `datetime(${JSON.stringify(value.toISOString())})`;
  if (isTable(value)) return `{${Object.entries(value).map(([k, v]) => `${pythonStrRepr(k)}: ${pythonValueRepr(v)}`).join(', ')}}`;
  return String(value);
}
