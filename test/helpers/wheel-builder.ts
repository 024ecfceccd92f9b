// Builds wheel files for tests, as the binary distribution format specifies:
// https://packaging.python.org/en/latest/specifications/binary-distribution-format/
// (filename escaping, `{name}-{version}.dist-info/` with METADATA, WHEEL and RECORD, RECORD
// lines `path,sha256=<urlsafe-b64 without padding>,<size>` and `RECORD,,`), with core metadata
// per https://packaging.python.org/en/latest/specifications/core-metadata/.
//
// The result installs with pip 23.x (checked by test/helpers-selftest/wheel-builder.test.ts).
// Not done: signatures (RECORD.jws), `.data/` scheme directories unless the caller adds them
// through `files`, version normalization (pass canonical versions, or test the odd ones on
// purpose).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex, zipBuffer, type ArchiveEntries, type BuiltDistribution } from './archives.js';

export interface WheelSpec {
  name: string;
  version: string;
  /** Tag triple, possibly compressed (`py2.py3-none-any`). Default `py3-none-any`. */
  tags?: string;
  /** Build tag (must start with a digit to be valid). */
  build?: string | number;
  requiresDist?: string[];
  requiresPython?: string;
  /** Default: every extra named in a `extra == "..."` marker of `requiresDist`. */
  providesExtra?: string[];
  /** Files of the wheel outside dist-info. Default: `<name>/__init__.py` with `__version__`. */
  files?: Record<string, string | Buffer>;
  /** More metadata headers (`Summary`, `Dynamic`, ...), after the generated ones. */
  metadataExtra?: Record<string, string | string[]>;
  /** Default `2.1`. */
  metadataVersion?: string;
  /** Content of `*.dist-info/entry_points.txt`. */
  entryPoints?: string;
  /** Replaces the generated METADATA text entirely (for inconsistent-metadata tests). */
  metadataOverride?: string;
  /** Name used for the filename and dist-info directory instead of the escaped project name. */
  filenameName?: string;
  /** Filename to use instead of the one derived from the spec (it stays inside the returned object only). */
  filename?: string;
}

/** `Foo.Bar-baz` -> `foo_bar_baz`, the escaped name used in wheel filenames. */
export function escapeWheelName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '_');
}

/** Python import name used for the default package file. */
function importName(name: string): string {
  return escapeWheelName(name).replace(/[^a-z0-9_]/g, '_');
}

export function wheelFilename(spec: Pick<WheelSpec, 'name' | 'version' | 'tags' | 'build' | 'filenameName'>): string {
  const name = spec.filenameName ?? escapeWheelName(spec.name);
  const version = spec.version.replace(/-/g, '_');
  const build = spec.build === undefined ? '' : `-${spec.build}`;
  return `${name}-${version}${build}-${spec.tags ?? 'py3-none-any'}.whl`;
}

/** Extras named in `extra == "x"` markers, in order of appearance. */
export function extrasInRequirements(requirements: readonly string[]): string[] {
  const found: string[] = [];
  for (const req of requirements) {
    for (const m of req.matchAll(/extra\s*==\s*["']([^"']+)["']/g)) {
      const extra = m[1];
      if (extra !== undefined && !found.includes(extra)) found.push(extra);
    }
  }
  return found;
}

/** Core metadata text (RFC 822 style) shared by the wheel and sdist builders. */
export function coreMetadataText(fields: {
  metadataVersion: string;
  name: string;
  version: string;
  requiresPython?: string | undefined;
  providesExtra?: readonly string[] | undefined;
  requiresDist?: readonly string[] | undefined;
  dynamic?: readonly string[] | undefined;
  extra?: Record<string, string | string[]> | undefined;
}): string {
  const lines = [`Metadata-Version: ${fields.metadataVersion}`, `Name: ${fields.name}`, `Version: ${fields.version}`];
  for (const d of fields.dynamic ?? []) lines.push(`Dynamic: ${d}`);
  if (fields.requiresPython !== undefined) lines.push(`Requires-Python: ${fields.requiresPython}`);
  for (const e of fields.providesExtra ?? []) lines.push(`Provides-Extra: ${e}`);
  for (const r of fields.requiresDist ?? []) lines.push(`Requires-Dist: ${r}`);
  for (const [key, value] of Object.entries(fields.extra ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${key}: ${v}`);
  }
  return `${lines.join('\n')}\n\n`;
}

function expandTags(tags: string): string[] {
  const [py = 'py3', abi = 'none', plat = 'any'] = tags.split('-');
  const out: string[] = [];
  for (const p of py.split('.')) for (const a of abi.split('.')) for (const pl of plat.split('.')) out.push(`${p}-${a}-${pl}`);
  return out;
}

function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

export function wheelMetadata(spec: WheelSpec): string {
  if (spec.metadataOverride !== undefined) return spec.metadataOverride;
  return coreMetadataText({
    metadataVersion: spec.metadataVersion ?? '2.1',
    name: spec.name,
    version: spec.version,
    requiresPython: spec.requiresPython,
    providesExtra: spec.providesExtra ?? extrasInRequirements(spec.requiresDist ?? []),
    requiresDist: spec.requiresDist,
    extra: spec.metadataExtra,
  });
}

/** The wheel's zip members, in order (dist-info last, RECORD at the very end). */
export function wheelEntries(spec: WheelSpec): Record<string, Buffer> {
  const tags = spec.tags ?? 'py3-none-any';
  const distInfo = `${spec.filenameName ?? escapeWheelName(spec.name)}-${spec.version.replace(/-/g, '_')}.dist-info`;
  const files = spec.files ?? { [`${importName(spec.name)}/__init__.py`]: `__version__ = ${JSON.stringify(spec.version)}\n` };
  const purelib = tags.split('-')[2]?.split('.').every((p) => p === 'any') ?? true;
  const wheelLines = [
    'Wheel-Version: 1.0',
    'Generator: safe-pip-test-wheel-builder',
    `Root-Is-Purelib: ${purelib ? 'true' : 'false'}`,
    ...expandTags(tags).map((t) => `Tag: ${t}`),
  ];
  if (spec.build !== undefined) wheelLines.push(`Build: ${spec.build}`);

  const entries: Record<string, Buffer> = {};
  for (const [path, content] of Object.entries(files)) entries[path] = Buffer.from(content);
  entries[`${distInfo}/METADATA`] = Buffer.from(wheelMetadata(spec));
  entries[`${distInfo}/WHEEL`] = Buffer.from(`${wheelLines.join('\n')}\n\n`);
  if (spec.entryPoints !== undefined) entries[`${distInfo}/entry_points.txt`] = Buffer.from(spec.entryPoints);
  const record = Object.entries(entries).map(([path, data]) => `${path},${recordHash(data)},${data.length}`);
  record.push(`${distInfo}/RECORD,,`);
  entries[`${distInfo}/RECORD`] = Buffer.from(`${record.join('\n')}\n`);
  return entries;
}

export async function buildWheel(spec: WheelSpec): Promise<BuiltDistribution> {
  const data = await zipBuffer(wheelEntries(spec) satisfies ArchiveEntries);
  return { filename: spec.filename ?? wheelFilename(spec), data, sha256: sha256Hex(data), metadata: wheelMetadata(spec) };
}

/** Builds the wheel and writes it into `dir`; returns the file's path. */
export async function writeWheel(dir: string, spec: WheelSpec): Promise<string> {
  const wheel = await buildWheel(spec);
  const path = join(dir, wheel.filename);
  writeFileSync(path, wheel.data);
  return path;
}
