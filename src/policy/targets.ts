// The kinds of thing a pip command can be asked for (DESIGN.md "Policy"), from pip's own reading of
// a requirement string (src/pip/requirement-line.ts). Every kind but `named` and `wheel` makes pip
// build something whatever `--only-binary` says (pip-behaviour.md §9.4).
import type { ClassifiedRequirement } from '../pip/requirement-line.js';
import { normalizeName } from '../standards/names.js';
import { parseSdistFilename } from '../standards/sdist-filename.js';

export type TargetKind = 'named' | 'wheel' | 'local-archive' | 'remote-archive' | 'local-dir' | 'vcs' | 'editable';

export interface Target {
  /** The requirement as the user wrote it. */
  requirement: string;
  /** Where it came from: `command line`, `requirements.txt (line 3)`, `PIP_REQUIREMENT`, … */
  origin: string;
  kind: TargetKind;
  /** Canonical project name when pip knows it before building, else null. */
  name: string | null;
  /** The URL pip would fetch (file: URL for local paths), or null for named targets. */
  url: string | null;
  /** Local filesystem path for local archives, directories, wheels and local editables. */
  path: string | null;
  /** For editables: a local directory (the user's own project) rather than a VCS checkout. */
  localEditable: boolean;
  /** From a constraints file: it only matters if something requires the same name. */
  constraint: boolean;
  classified: ClassifiedRequirement;
}

export function targetFrom(
  classified: ClassifiedRequirement,
  origin: string,
  options: { constraint?: boolean } = {},
): Target {
  const base = {
    requirement: classified.input,
    origin,
    name: classified.name === null ? null : normalizeName(classified.name),
    constraint: options.constraint ?? false,
    classified,
    localEditable: false,
  };
  switch (classified.kind) {
    case 'named':
      return { ...base, kind: 'named', url: null, path: null };
    case 'path': {
      const kind: TargetKind = classified.isWheel ? 'wheel' : classified.isDir ? 'local-dir' : 'local-archive';
      return { ...base, kind, url: classified.url, path: classified.path };
    }
    case 'url': {
      if (classified.linkKind === 'vcs') return { ...base, kind: 'vcs', url: classified.url, path: null };
      if (classified.linkKind === 'wheel') {
        return { ...base, kind: 'wheel', url: classified.url, path: classified.scheme === 'file' ? fileUrlPath(classified.url) : null };
      }
      if (classified.scheme === 'file') {
        const path = fileUrlPath(classified.url);
        return { ...base, kind: classified.linkKind === 'archive' ? 'local-archive' : 'local-dir', url: classified.url, path };
      }
      return { ...base, kind: 'remote-archive', url: classified.url, path: null };
    }
    case 'editable':
      return {
        ...base,
        kind: 'editable',
        url: classified.url,
        path: classified.local ? fileUrlPath(classified.url) : null,
        localEditable: classified.local,
      };
  }
}

/** The local path of a file: URL (percent-decoded, query and fragment dropped). */
export function fileUrlPath(url: string): string {
  const withoutFragment = url.split('#', 1)[0]!.split('?', 1)[0]!;
  const rest = withoutFragment.replace(/^file:(\/\/[^/]*)?/i, '');
  return decodeURIComponent(rest);
}

/** True for kinds pip builds from source whatever the format control says. */
export function buildsFromSource(target: Target): boolean {
  return target.kind !== 'named' && target.kind !== 'wheel';
}

/** Kinds that are the user's own local project: pip builds them as asked (DESIGN.md promise 2). */
export function isUsersLocalProject(target: Target): boolean {
  return target.kind === 'local-archive' || target.kind === 'local-dir' || (target.kind === 'editable' && target.localEditable);
}

/**
 * The project a target is about, for refusals and the allow-list: its name when pip knows it, else
 * the name in a source archive's filename (`…/canary-1.0.tar.gz` -> `canary`), which is what the
 * user sees and can allow; null when neither says.
 */
export function projectNameOf(target: Target): string | null {
  if (target.name !== null) return target.name;
  const location = target.url ?? target.path;
  if (location === null || (target.kind !== 'remote-archive' && target.kind !== 'local-archive')) return null;
  const path = location.split('#', 1)[0]!.split('?', 1)[0]!;
  try {
    return parseSdistFilename(decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))).name;
  } catch {
    return null;
  }
}
