// https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention
// (PEP 427/491) with compressed tag sets (PEP 425), read the two ways pip has read it
// (pip-behaviour.md §6.1):
// - "strict": packaging 26 `utils.parse_wheel_filename` (pip >= 25.3 uses only this);
// - "legacy": pip <= 25.0's `Wheel.wheel_file_re` (name and version taken as written, `_` -> `-`);
// - "strict-or-legacy": pip 25.1–25.2, strict first, the legacy regex as a deprecated fallback.
//
// Supported: build tags as (number, rest), tag sets expanded to their cartesian product (tags are
// lower-cased like packaging's `Tag`), packaging's optional PEP 425 order check.
// Not like packaging: a name whose tag sets expand to more than MAX_WHEEL_TAGS tags is rejected.
// Not supported: the `.dist-info` alternative of pip's old regex (not a wheel file).
import { SafePipError } from '../errors.js';
import { normalizeName } from './names.js';
import { PY_WHITESPACE_CHARS, PY_WORD_CHARS, comparePyStrings } from './python-text.js';
import { tryParseVersion } from './versions.js';

/** Build tag `(leading digits, rest)`; compared as a tuple, and a wheel without one sorts first. */
export type WheelBuildTag = readonly [number, string];

export type WheelFilenameParser = 'strict' | 'legacy' | 'strict-or-legacy';

export interface WheelFilename {
  readonly filename: string;
  /** strict: the normalized name; legacy: as written with `_` -> `-` (normalize before comparing). */
  readonly name: string;
  /** strict: the normalized PEP 440 version; legacy: as written with `_` -> `-` (may not be PEP 440). */
  readonly version: string;
  readonly build: WheelBuildTag | null;
  /** The compressed tag-set components as written, lower-cased. */
  readonly pythonTags: readonly string[];
  readonly abiTags: readonly string[];
  readonly platformTags: readonly string[];
  /** Every `python-abi-platform` tag the file declares, once each. */
  readonly tags: readonly string[];
  /** Which parser accepted it (legacy only through the "legacy" and "strict-or-legacy" modes). */
  readonly parsedBy: 'strict' | 'legacy';
}

export class InvalidWheelFilename extends SafePipError {
  readonly input: string;
  readonly position: number;
  readonly reason: string;
  constructor(input: string, reason: string, position = 0) {
    super(`The wheel filename ${JSON.stringify(input)} is invalid: ${reason}`);
    this.name = 'InvalidWheelFilename';
    this.input = input;
    this.reason = reason;
    this.position = position;
  }
}

// `^[\w\d._]*$` with Python's `$` (a final newline may follow).
const STRICT_NAME_RE = new RegExp(`^[${PY_WORD_CHARS}.]*\\n?$`, 'u');
const BUILD_RE = /^([0-9]+)([^\n]*)/;
const NOT_WS_DASH = `[^${PY_WHITESPACE_CHARS}-]`;
const LEGACY_RE = new RegExp(
  `^(?<name>${NOT_WS_DASH}+?)-(?<ver>${NOT_WS_DASH}*?)` +
    `(?:-(?<build>\\d[^-]*?))?-(?<pyver>${NOT_WS_DASH}+?)-(?<abi>${NOT_WS_DASH}+?)-(?<plat>${NOT_WS_DASH}+?)\\.whl$`,
);

/**
 * The most `python-abi-platform` tags one filename may expand to. packaging has no limit, but a
 * hostile index controls these names, and the product grows with the cube of the name's length
 * (a 1.7 kB name makes 1.7 million tags). Real wheels declare a handful; a few dozen at most.
 */
export const MAX_WHEEL_TAGS = 10_000;

function expandTags(filename: string, python: string[], abi: string[], platform: string[], position: number): string[] {
  // Components hold no `-`, so distinct (python, abi, platform) triples give distinct tags.
  const [p, a, pl] = [new Set(python), new Set(abi), new Set(platform)];
  const count = p.size * a.size * pl.size;
  if (count > MAX_WHEEL_TAGS) {
    throw new InvalidWheelFilename(
      filename,
      `its compressed tag sets expand to ${count} tags (${p.size} python × ${a.size} abi × ${pl.size} platform); at most ${MAX_WHEEL_TAGS} are accepted`,
      position,
    );
  }
  const tags: string[] = [];
  for (const pt of p) for (const at of a) for (const plt of pl) tags.push(`${pt}-${at}-${plt}`);
  return tags;
}

function splitTagSet(component: string): string[] {
  return component.toLowerCase().split('.');
}

function parseBuild(build: string, filename: string, position: number): WheelBuildTag {
  const match = BUILD_RE.exec(build);
  if (match === null) throw new InvalidWheelFilename(filename, `Invalid build number: ${build}`, position);
  return [Number(match[1]), match[2] as string];
}

function parseStrict(filename: string, validateOrder: boolean): WheelFilename {
  if (!filename.endsWith('.whl')) {
    throw new InvalidWheelFilename(filename, "extension must be '.whl'", Math.max(0, filename.lastIndexOf('.')));
  }
  const stem = filename.slice(0, -4);
  const dashes = stem.split('-').length - 1;
  if (dashes !== 4 && dashes !== 5) {
    throw new InvalidWheelFilename(filename, 'wrong number of parts (expected name-version[-build]-python-abi-platform)');
  }
  const all = stem.split('-');
  // Python's str.split('-', dashes - 2): the last piece keeps the tag's two dashes.
  const head = all.slice(0, dashes - 2);
  const parts = [...head, all.slice(dashes - 2).join('-')];
  const namePart = parts[0] as string;
  if (namePart.includes('__') || !STRICT_NAME_RE.test(namePart)) {
    throw new InvalidWheelFilename(filename, `Invalid project name ${JSON.stringify(namePart)}`);
  }
  const versionPart = parts[1] as string;
  const version = tryParseVersion(versionPart);
  if (version === null) {
    throw new InvalidWheelFilename(filename, `invalid version ${JSON.stringify(versionPart)}`, namePart.length + 1);
  }
  let build: WheelBuildTag | null = null;
  if (dashes === 5) build = parseBuild(parts[2] as string, filename, namePart.length + versionPart.length + 2);
  const tagText = parts[parts.length - 1] as string;
  const [python = '', abi = '', platform = ''] = tagText.split('-');
  if (validateOrder) {
    for (const component of [python, abi, platform]) {
      const pieces = component.split('.');
      const sorted = [...pieces].sort(comparePyStrings);
      if (pieces.some((p, i) => p !== sorted[i])) {
        throw new InvalidWheelFilename(
          filename,
          `compressed tag set components must be in sorted order per PEP 425 (${JSON.stringify(component)})`,
        );
      }
    }
  }
  const pythonTags = splitTagSet(python);
  const abiTags = splitTagSet(abi);
  const platformTags = splitTagSet(platform);
  return {
    filename,
    name: normalizeName(namePart),
    version: version.toString(),
    build,
    pythonTags,
    abiTags,
    platformTags,
    tags: expandTags(filename, pythonTags, abiTags, platformTags, stem.length - tagText.length),
    parsedBy: 'strict',
  };
}

function parseLegacy(filename: string): WheelFilename {
  const groups = LEGACY_RE.exec(filename)?.groups;
  if (groups === undefined) throw new InvalidWheelFilename(filename, 'not a valid wheel filename');
  const pythonTags = splitTagSet(groups['pyver'] ?? '');
  const abiTags = splitTagSet(groups['abi'] ?? '');
  const platformTags = splitTagSet(groups['plat'] ?? '');
  const build = groups['build'];
  const tagStart = filename.length - '.whl'.length - `${groups['pyver']}-${groups['abi']}-${groups['plat']}`.length;
  return {
    filename,
    name: (groups['name'] ?? '').replace(/_/g, '-'),
    version: (groups['ver'] ?? '').replace(/_/g, '-'),
    build: build === undefined ? null : parseBuild(build, filename, 0),
    pythonTags,
    abiTags,
    platformTags,
    tags: expandTags(filename, pythonTags, abiTags, platformTags, tagStart),
    parsedBy: 'legacy',
  };
}

/**
 * Parse a wheel filename the way a given pip reads it (default: strict, as pip >= 25.3).
 * Throws InvalidWheelFilename.
 */
export function parseWheelFilename(
  filename: string,
  options: { parser?: WheelFilenameParser; validateOrder?: boolean } = {},
): WheelFilename {
  const parser = options.parser ?? 'strict';
  if (parser === 'legacy') return parseLegacy(filename);
  try {
    return parseStrict(filename, options.validateOrder ?? false);
  } catch (error) {
    if (parser === 'strict-or-legacy' && error instanceof InvalidWheelFilename) return parseLegacy(filename);
    throw error;
  }
}

/**
 * The project name and version a wheel's file name states, read leniently (pip's legacy reading,
 * else the first two `-` fields): for naming a file in a report, never for choosing one.
 */
export function wheelNameAndVersion(filename: string): { name: string; version: string } {
  try {
    const parsed = parseLegacy(filename);
    return { name: parsed.name, version: parsed.version };
  } catch {
    const parts = filename.split('-');
    return { name: parts[0] ?? filename, version: parts[1] ?? '' };
  }
}
