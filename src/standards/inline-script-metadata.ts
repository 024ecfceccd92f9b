// https://packaging.python.org/en/latest/specifications/inline-script-metadata/ (PEP 723), as pip
// 26.0+ reads it for `--requirements-from-script`: req/pep723.py `pep723_metadata` (the spec's
// reference regex, "script" blocks only) and the checks in cli/req_command.py `get_requirements`.
//
// Supported: the reference regex with Python `re` semantics (only "\n" ends a line for `^`, `$`
// and `.`; `\s` is Python's whitespace set), the file read as pip opens it (UTF-8, universal
// newlines, a BOM kept as a character), content lines stripped of "# " or "#", pip's errors
// ("File does not contain 'script' metadata", "Multiple 'script' blocks found", "Failed to parse
// TOML in …" — which is also what two blocks with no line between them give, since the greedy regex
// swallows both), `requires-python` checked against the target
// Python like pip (its X.Y in the message), `dependencies` iterated the way Python iterates the
// value (a string gives its characters, a table its keys).
// pip crashes (exit 2) on a `requires-python` that is not a valid specifier or not a string, and
// on non-string dependencies; those are reported as errors with exit code 2.
import { parse as parseToml, TomlError } from 'smol-toml';
import { SafePipError } from '../errors.js';
import { EXIT_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { pythonStrRepr } from '../pip/python-repr.js';
import { PY_WHITESPACE_CHARS, pySplitLines } from './python-text.js';
import { InvalidSpecifier, SpecifierSet } from './specifiers.js';

export type ScriptMetadataErrorKind = 'no-metadata' | 'multiple-blocks' | 'toml' | 'requires-python' | 'crash' | 'decode';

/** pip's errors for a script; `pipMessage` is pip's text after "ERROR: ". */
export class ScriptMetadataError extends SafePipError {
  readonly kind: ScriptMetadataErrorKind;
  /** The script path as given to `--requirements-from-script`. */
  readonly input: string;
  /** Offset in the script text where the problem is (0 when it is about the whole file). */
  readonly position: number;
  readonly pipMessage: string;
  constructor(kind: ScriptMetadataErrorKind, input: string, pipMessage: string, options: { position?: number; cause?: unknown } = {}) {
    super(pipMessage, { exitCode: kind === 'crash' || kind === 'decode' ? EXIT_USAGE : EXIT_ERROR, cause: options.cause });
    this.name = 'ScriptMetadataError';
    this.kind = kind;
    this.input = input;
    this.position = options.position ?? 0;
    this.pipMessage = pipMessage;
  }
}

export interface ScriptMetadata {
  /** The parsed TOML table of the `script` block. */
  table: Record<string, unknown>;
  /** Offset of the block's opening `# /// script` line in the decoded text. */
  blockStart: number;
}

// The spec's regex, `(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$`,
// spelled so JavaScript matches what Python's `re` matches.
const BOL = '(?<![^\\n])';
const EOL = '(?![^\\n])';
const WS = `[${PY_WHITESPACE_CHARS}]`;
const BLOCK = new RegExp(`${BOL}# /// (?<type>[a-zA-Z0-9-]+)${EOL}${WS}(?<content>(?:${BOL}#(?:| [^\\n]*)${EOL}${WS})+)${BOL}# ///${EOL}`, 'gu');

/** The script's text as pip's `open(scriptfile, encoding="utf8")` reads it. */
export function decodeScript(bytes: Uint8Array, input: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new ScriptMetadataError('decode', input, `'utf-8' codec can't decode ${pythonStrRepr(input)} (pip crashes with UnicodeDecodeError)`, { cause: error });
  }
  return text.replace(/\r\n?/g, '\n');
}

/** pip's `pep723_metadata` on already decoded text. */
export function readScriptMetadata(text: string, input: string): ScriptMetadata {
  const matches = [...text.matchAll(BLOCK)].filter((m) => m.groups!['type'] === 'script');
  if (matches.length > 1) throw new ScriptMetadataError('multiple-blocks', input, `Multiple 'script' blocks found in ${pythonStrRepr(input)}`, { position: matches[1]!.index });
  if (matches.length === 0) throw new ScriptMetadataError('no-metadata', input, `File does not contain 'script' metadata: ${pythonStrRepr(input)}`);
  const match = matches[0]!;
  const content = match.groups!['content']!;
  let toml = '';
  for (const line of pySplitLines(content)) {
    const withEnd = content.slice(line.start, line.end);
    toml += withEnd.startsWith('# ') ? withEnd.slice(2) : withEnd.slice(1);
  }
  try {
    return { table: parseToml(toml) as Record<string, unknown>, blockStart: match.index };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new ScriptMetadataError('toml', input, `Failed to parse TOML in ${pythonStrRepr(input)}`, { position: match.index, cause: error });
  }
}

/**
 * pip's check of the script's `requires-python` (skipped under --ignore-requires-python):
 * `pythonVersion` is the target's version_info (the interpreter's X.Y.Z, or `--python-version`).
 */
export function checkScriptRequiresPython(metadata: ScriptMetadata, input: string, pythonVersion: readonly number[]): void {
  const value = Object.hasOwn(metadata.table, 'requires-python') ? metadata.table['requires-python'] : '';
  if (value === '' || value === false || value === 0) return; // Python's falsy values skip the check
  if (typeof value !== 'string') {
    throw new ScriptMetadataError('crash', input, `requires-python in ${pythonStrRepr(input)} is not a string (pip crashes with TypeError)`);
  }
  let specifier: SpecifierSet;
  try {
    specifier = SpecifierSet.parse(value);
  } catch (error) {
    if (!(error instanceof InvalidSpecifier)) throw error;
    throw new ScriptMetadataError('crash', input, `Invalid specifier: ${pythonStrRepr(value)} (requires-python of ${pythonStrRepr(input)}; pip crashes with InvalidSpecifier)`, { cause: error });
  }
  if (!specifier.contains(pythonVersion.join('.'))) {
    const short = pythonVersion.slice(0, 2).join('.');
    throw new ScriptMetadataError('requires-python', input, `Script ${pythonStrRepr(input)} requires a different Python: ${short} not in ${pythonStrRepr(value)}`);
  }
}

/** The requirement strings pip iterates over in `dependencies` (missing: none). */
export function scriptDependencies(metadata: ScriptMetadata, input: string): string[] {
  if (!Object.hasOwn(metadata.table, 'dependencies')) return [];
  const value = metadata.table['dependencies'];
  let items: unknown[];
  if (typeof value === 'string') items = [...value];
  else if (Array.isArray(value)) items = value;
  else if (typeof value === 'object' && value !== null && !(value instanceof Date)) items = Object.keys(value);
  else throw new ScriptMetadataError('crash', input, `dependencies in ${pythonStrRepr(input)} is not iterable (pip crashes with TypeError)`);
  return items.map((item) => {
    if (typeof item !== 'string') {
      throw new ScriptMetadataError('crash', input, `a dependency in ${pythonStrRepr(input)} is not a string (pip crashes with TypeError)`);
    }
    return item;
  });
}
