// Builds source distributions for tests, as the source distribution format specifies:
// https://packaging.python.org/en/latest/specifications/source-distribution-format/
// (`{name}-{version}.tar.gz` with the PEP 625 escaped name, one top directory
// `{name}-{version}/` holding PKG-INFO). The legacy `.zip` form is also produced.
//
// PKG-INFO is core metadata (https://packaging.python.org/en/latest/specifications/core-metadata/);
// for static-metadata tests choose `metadataVersion` and `dynamic` (PEP 643: from 2.2 on, a field
// not listed in Dynamic is static). Nothing here makes the sdist buildable: add a setup.py or
// pyproject.toml through `files`, or use canary.ts for sdists that pip can build.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex, tarGzBuffer, zipBuffer, type ArchiveEntries, type BuiltDistribution } from './archives.js';
import { coreMetadataText, escapeWheelName, extrasInRequirements } from './wheel-builder.js';

export interface SdistSpec {
  name: string;
  version: string;
  /** Files relative to the top directory (`setup.py`, `pyproject.toml`, `pkg/__init__.py`). */
  files?: Record<string, string | Buffer>;
  /** Default `tar.gz`. */
  format?: 'tar.gz' | 'zip';
  /** Default `2.2` when `dynamic` is given, else `2.1`. */
  metadataVersion?: string;
  /** `Dynamic:` fields (PEP 643), e.g. `['Requires-Dist']`. */
  dynamic?: string[];
  requiresDist?: string[];
  requiresPython?: string;
  /** Default: extras named in `requiresDist` markers. */
  providesExtra?: string[];
  metadataExtra?: Record<string, string | string[]>;
  /** PKG-INFO text to use instead of the generated one, or `false` for none at all. */
  pkgInfo?: string | false;
  /** Top directory in the archive. Default `{escaped name}-{version}`. */
  topDir?: string;
  /** Archive filename. Default `{escaped name}-{version}.{format}` (PEP 625). */
  filename?: string;
}

/** PEP 625 file name stem: escaped name (like wheels) and the version. */
export function sdistStem(spec: Pick<SdistSpec, 'name' | 'version'>): string {
  return `${escapeWheelName(spec.name)}-${spec.version}`;
}

export function sdistFilename(spec: Pick<SdistSpec, 'name' | 'version' | 'format' | 'filename'>): string {
  return spec.filename ?? `${sdistStem(spec)}.${spec.format ?? 'tar.gz'}`;
}

export function pkgInfoText(spec: SdistSpec): string | undefined {
  if (spec.pkgInfo === false) return undefined;
  if (spec.pkgInfo !== undefined) return spec.pkgInfo;
  return coreMetadataText({
    metadataVersion: spec.metadataVersion ?? (spec.dynamic ? '2.2' : '2.1'),
    name: spec.name,
    version: spec.version,
    dynamic: spec.dynamic,
    requiresPython: spec.requiresPython,
    providesExtra: spec.providesExtra ?? extrasInRequirements(spec.requiresDist ?? []),
    requiresDist: spec.requiresDist,
    extra: spec.metadataExtra,
  });
}

export async function buildSdist(spec: SdistSpec): Promise<BuiltDistribution> {
  const top = spec.topDir ?? sdistStem(spec);
  const pkgInfo = pkgInfoText(spec);
  const entries: ArchiveEntries = {};
  if (pkgInfo !== undefined) entries[`${top}/PKG-INFO`] = pkgInfo;
  for (const [path, content] of Object.entries(spec.files ?? {})) entries[`${top}/${path}`] = content;
  const data = spec.format === 'zip' ? await zipBuffer(entries) : await tarGzBuffer(entries);
  const built: BuiltDistribution = { filename: sdistFilename(spec), data, sha256: sha256Hex(data) };
  if (pkgInfo !== undefined) built.metadata = pkgInfo;
  return built;
}

/** Builds the sdist and writes it into `dir`; returns the file's path. */
export async function writeSdist(dir: string, spec: SdistSpec): Promise<string> {
  const sdist = await buildSdist(spec);
  const path = join(dir, sdist.filename);
  writeFileSync(path, sdist.data);
  return path;
}
