// https://packaging.python.org/en/latest/specifications/version-specifiers/ (PEP 440), as
// implemented by packaging 26 `version.py` (the library pip vendors).
//
// Supported: parsing with every normalization packaging applies (`v1.0`, `1.0-1`, `1.0_rc1`,
// `1.0+Ubuntu-1`, surrounding whitespace), the normalized string, the PEP 440 total order
// (`_cmpkey`), and the flags a candidate selector needs.
// Not here: LegacyVersion (packaging 21.3, pip <= 24.0; pip 24.1+ skips such files): legacy-version.ts.
//
// Why not @renovatebot/pep440: it turns segments into JS numbers (so `1.99999999999999999` and
// `1.99999999999999998` compare equal), its `<`/`>` and local-version rules predate packaging 26,
// and its filter fallback differs from `SpecifierSet.filter`. Numbers here are bigint inside.
import { SafePipError } from '../errors.js';
import { PY_WHITESPACE_CHARS } from './python-text.js';

export type PreReleaseLabel = 'a' | 'b' | 'rc';
type LocalSegment = string | bigint;

/** A string that is not a PEP 440 version. `position` is where the parse stopped making sense (0: anywhere). */
export class InvalidVersion extends SafePipError {
  readonly input: string;
  readonly position: number;
  constructor(input: string, position = 0) {
    super(`Invalid version: ${JSON.stringify(input)} is not a PEP 440 version`);
    this.name = 'InvalidVersion';
    this.input = input;
    this.position = position;
  }
}

// packaging's VERSION_PATTERN, without the possessive quantifiers JavaScript lacks (they only
// speed up failure there; the differential tests cover the difference).
const VERSION_BODY =
  'v?' +
  '(?:' +
  '(?:(?<epoch>[0-9]+)!)?' +
  '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
  '(?<pre>[._-]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[._-]?(?<pre_n>[0-9]+)?)?' +
  '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[._-]?(?<post_l>post|rev|r)[._-]?(?<post_n2>[0-9]+)?))?' +
  '(?<dev>[._-]?(?<dev_l>dev)[._-]?(?<dev_n>[0-9]+)?)?' +
  ')' +
  '(?:\\+(?<local>[a-z0-9]+(?:[._-][a-z0-9]+)*))?';

const VERSION_RE = new RegExp(`^[${PY_WHITESPACE_CHARS}]*${VERSION_BODY}[${PY_WHITESPACE_CHARS}]*$`, 'i');
const SIMPLE_VERSION_RE = /^[0-9.]*$/;

const LETTER_NORMALIZATION: Record<string, string> = {
  alpha: 'a',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rev: 'post',
  r: 'post',
};

export interface VersionParts {
  epoch: bigint;
  release: readonly bigint[];
  pre: readonly [PreReleaseLabel, bigint] | null;
  post: bigint | null;
  dev: bigint | null;
  local: readonly LocalSegment[] | null;
}

/** A parsed PEP 440 version. Immutable; `toString()` is the normalized form. */
export class Version {
  readonly parts: VersionParts;
  #text: string | undefined;

  constructor(parts: VersionParts) {
    this.parts = parts;
  }

  get epoch(): number {
    return Number(this.parts.epoch);
  }
  get release(): number[] {
    return this.parts.release.map(Number);
  }
  get pre(): [PreReleaseLabel, number] | null {
    const pre = this.parts.pre;
    return pre === null ? null : [pre[0], Number(pre[1])];
  }
  get post(): number | null {
    return this.parts.post === null ? null : Number(this.parts.post);
  }
  get dev(): number | null {
    return this.parts.dev === null ? null : Number(this.parts.dev);
  }
  /** The normalized local label (`ubuntu.1`), or null. */
  get local(): string | null {
    return this.parts.local === null ? null : this.parts.local.map(String).join('.');
  }
  get isPrerelease(): boolean {
    return this.parts.dev !== null || this.parts.pre !== null;
  }
  get isPostrelease(): boolean {
    return this.parts.post !== null;
  }
  get isDevrelease(): boolean {
    return this.parts.dev !== null;
  }
  /** The version without its local label. */
  get public(): string {
    return this.toString().split('+', 1)[0] ?? '';
  }
  /** Epoch and release only (`1!2.0`). */
  get baseVersion(): string {
    const release = this.parts.release.join('.');
    return this.parts.epoch !== 0n ? `${this.parts.epoch}!${release}` : release;
  }

  toString(): string {
    if (this.#text === undefined) this.#text = formatParts(this.parts);
    return this.#text;
  }

  /** A copy with some parts replaced (packaging's `Version.__replace__`). */
  with(changes: Partial<VersionParts>): Version {
    return new Version({ ...this.parts, ...changes });
  }
}

function formatParts(parts: VersionParts, release: readonly bigint[] = parts.release): string {
  let text = release.join('.');
  if (parts.epoch !== 0n) text = `${parts.epoch}!${text}`;
  if (parts.pre !== null) text += `${parts.pre[0]}${parts.pre[1]}`;
  if (parts.post !== null) text += `.post${parts.post}`;
  if (parts.dev !== null) text += `.dev${parts.dev}`;
  if (parts.local !== null) text += `+${parts.local.map(String).join('.')}`;
  return text;
}

function letterVersion(letter: string | undefined, number: string | undefined): [string, bigint] | null {
  if (letter !== undefined && letter !== '') {
    const lower = letter.toLowerCase();
    return [LETTER_NORMALIZATION[lower] ?? lower, BigInt(number === undefined || number === '' ? 0 : number)];
  }
  // An implicit post release: `1.0-1`.
  if (number !== undefined && number !== '') return ['post', BigInt(number)];
  return null;
}

// The resolver asks for the same few thousand version strings over and over (every candidate
// against every specifier set); a Version is immutable, so each text is parsed once. Bounded, so a
// long-lived process with a huge index does not keep every string it ever saw.
const PARSED_LIMIT = 50_000;
const parsed = new Map<string, Version | null>();

/** Parse a version or return null; packaging's `Version(text)` without the exception. */
export function tryParseVersion(text: string): Version | null {
  let version = parsed.get(text);
  if (version === undefined) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    version = parseUncached(text);
    parsed.set(text, version);
  }
  return version;
}

function parseUncached(text: string): Version | null {
  if (SIMPLE_VERSION_RE.test(text)) {
    const pieces = text.split('.');
    if (pieces.includes('')) return null;
    return new Version({ epoch: 0n, release: pieces.map((p) => BigInt(p)), pre: null, post: null, dev: null, local: null });
  }
  const match = VERSION_RE.exec(text);
  const groups = match?.groups;
  if (groups === undefined) return null;
  const pre = letterVersion(groups['pre_l'], groups['pre_n']);
  const post = letterVersion(groups['post_l'], groups['post_n1'] ?? groups['post_n2']);
  const dev = letterVersion(groups['dev_l'], groups['dev_n']);
  const local = groups['local'];
  return new Version({
    epoch: BigInt(groups['epoch'] ?? 0),
    release: (groups['release'] ?? '0').split('.').map((p) => BigInt(p)),
    pre: pre === null ? null : [pre[0] as PreReleaseLabel, pre[1]],
    post: post === null ? null : post[1],
    dev: dev === null ? null : dev[1],
    local:
      local === undefined
        ? null
        : local.split(/[._-]/).map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part.toLowerCase())),
  });
}

/** Parse a version; throws InvalidVersion. */
export function parseVersion(text: string): Version {
  const version = tryParseVersion(text);
  if (version === null) throw new InvalidVersion(text);
  return version;
}

/** True when `text` is a PEP 440 version (surrounding whitespace allowed, as packaging allows it). */
export function isValidVersion(text: string): boolean {
  return tryParseVersion(text) !== null;
}

/** The normalized form of a version string, or null when it is not a version. */
export function normalizeVersion(text: string): string | null {
  return tryParseVersion(text)?.toString() ?? null;
}

/**
 * packaging's `canonicalize_version`: the normalized form with trailing `.0`s of the release
 * removed (one `0` stays) unless `stripTrailingZero` is false; a non-version is returned as is.
 */
export function canonicalizeVersion(version: Version | string, stripTrailingZero = true): string {
  const parsed = typeof version === 'string' ? tryParseVersion(version) : version;
  if (parsed === null) return version as string;
  if (!stripTrailingZero) return parsed.toString();
  return formatParts(parsed.parts, trimRelease(parsed.parts.release, 1));
}

function trimRelease(release: readonly bigint[], keep: number): readonly bigint[] {
  let end = release.length;
  while (end > keep && release[end - 1] === 0n) end -= 1;
  return end === release.length ? release : release.slice(0, end);
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PRE_RANK: Record<PreReleaseLabel, number> = { a: 0, b: 1, rc: 2 };

/** packaging's `_cmpkey` suffix: (pre rank, pre n, post rank, post n, dev rank, dev n). */
function suffixKey(parts: VersionParts): [number, bigint, number, bigint, number, bigint] {
  const { pre, post, dev } = parts;
  let preRank: number;
  let preN = 0n;
  if (pre === null && post === null && dev !== null) preRank = -1;
  else if (pre === null) preRank = 3;
  else {
    preRank = PRE_RANK[pre[0]];
    preN = pre[1];
  }
  return [preRank, preN, post === null ? 0 : 1, post ?? 0n, dev === null ? 1 : 0, dev ?? 0n];
}

function compareLocal(a: readonly LocalSegment[] | null, b: readonly LocalSegment[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a[i] as LocalSegment;
    const y = b[i] as LocalSegment;
    // PEP 440: alphanumeric segments sort before numeric ones.
    if (typeof x === 'string' && typeof y === 'string') {
      if (x !== y) return x < y ? -1 : 1;
    } else if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = compareBig(x, y);
      if (c !== 0) return c;
    } else {
      return typeof x === 'string' ? -1 : 1;
    }
  }
  return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
}

/** PEP 440 ordering: negative, zero or positive. `1.0 == 1.0.0`; locals sort after the public version. */
export function compareVersions(a: Version, b: Version): number {
  const pa = a.parts;
  const pb = b.parts;
  let c = compareBig(pa.epoch, pb.epoch);
  if (c !== 0) return c;
  const ra = trimRelease(pa.release, 0);
  const rb = trimRelease(pb.release, 0);
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i += 1) {
    c = compareBig(ra[i] as bigint, rb[i] as bigint);
    if (c !== 0) return c;
  }
  if (ra.length !== rb.length) return ra.length < rb.length ? -1 : 1;
  const sa = suffixKey(pa);
  const sb = suffixKey(pb);
  for (let i = 0; i < sa.length; i += 1) {
    const x = sa[i] as number | bigint;
    const y = sb[i] as number | bigint;
    if (x !== y) return x < y ? -1 : 1;
  }
  return compareLocal(pa.local, pb.local);
}

/** Sorted copy, ascending by PEP 440 order (stable for equal versions). */
export function sortVersions(versions: readonly Version[]): Version[] {
  return [...versions].sort(compareVersions);
}

/** The version without its local label (packaging's `_public_version`). */
export function publicVersion(version: Version): Version {
  return version.parts.local === null ? version : version.with({ local: null });
}
