// pip's output during a hand-off, so that it names the user's files and requirements, never
// safe-pip's temporary ones (issue 13 §5).
//
// stdout: pip is handed the wheels safe-pip already fetched as local files (download:
// cli/intercept/pinned-download.ts; install: install-staging.ts), and pip announces a local file
// as `Processing <display_path(file)>`: a path in safe-pip's private directory, which means
// nothing to the user and is gone once the command ends. Each such line becomes what pip prints
// for the same requirement when it fetches it itself (`Collecting name==version`, with pip's own
// `(from …)` note) and one line saying where the file really came from. install's lines on where
// pip looks (`Looking in links:`, `Looking in indexes:`) lose the private directory or index and
// name the user's indexes as plain pip would (nothing for PyPI alone or --no-index).
// Every other line passes through unchanged.
import { relative, sep } from 'node:path';
import type { LineRewrite } from '../io/line-rewriting-stream.js';
import { redactUrl } from '../io/redact-url.js';

export interface StagedWheelOrigin {
  name: string;
  version: string;
  /** The index URL the file was fetched from. */
  url: string;
}

const PROCESSING = 'Processing ';

const LOOKING_IN_LINKS = 'Looking in links: ';
const LOOKING_IN_INDEXES = 'Looking in indexes: ';

/** pip's PyPI.simple_url: the one index list pip does not announce. */
const PYPI_SIMPLE = 'https://pypi.org/simple';

/** Where install's staged wheels were handed to pip, and what plain pip would say about indexes. */
export interface StagedLocations {
  /** The --find-links directory or the private index URL pip was given. */
  given: string;
  /** The line plain pip prints for its indexes, or null when it prints none. */
  indexesLine: string | null;
}

/** pip's `Looking in indexes:` line for these settings (models/search_scope.py), or null. */
export function indexesLine(indexUrls: readonly string[], noIndex: boolean): string | null {
  if (noIndex || indexUrls.length === 0 || (indexUrls.length === 1 && indexUrls[0] === PYPI_SIMPLE)) return null;
  return `${LOOKING_IN_INDEXES}${indexUrls.map(redactUrl).join(', ')}`;
}

/**
 * The rules for pip's stdout: `staged` maps each staged file's absolute path to its origin; `cwd`
 * is pip's working directory (pip shows a path under it as `./…`); `locations`: install's, null
 * for download (whose pins leave pip's own index settings alone).
 */
export function stagedWheelLines(staged: ReadonlyMap<string, StagedWheelOrigin>, cwd: string, locations: StagedLocations | null = null): LineRewrite {
  const byShown = new Map<string, StagedWheelOrigin>();
  for (const [path, origin] of staged) {
    byShown.set(path, origin);
    // pip's display_path: relative to the working directory when the file lies under it.
    if (path.startsWith(cwd + sep)) byShown.set(`.${sep}${relative(cwd, path)}`, origin);
  }
  const rewrite = (line: string): string | null => {
    if (locations !== null && line.startsWith(LOOKING_IN_LINKS)) {
      const links = line.slice(LOOKING_IN_LINKS.length).split(', ');
      const kept = links.filter((link) => link !== locations.given);
      if (kept.length === links.length) return line;
      const shown = [locations.indexesLine, kept.length === 0 ? null : `${LOOKING_IN_LINKS}${kept.join(', ')}`].filter((l) => l !== null);
      return shown.length === 0 ? null : shown.join('\n');
    }
    if (locations !== null && line === `${LOOKING_IN_INDEXES}${locations.given}`) return locations.indexesLine;
    const body = line.trimStart();
    if (!body.startsWith(PROCESSING)) return line;
    // pip ≥ 23.1 adds where the requirement came from: ` (from tiny==1.0)`, ` (from -r … (line N))`.
    const rest = body.slice(PROCESSING.length).trimEnd();
    const from = rest.indexOf(' (from ');
    const [path, note] = byShown.has(rest) || from < 0 ? [rest, ''] : [rest.slice(0, from), rest.slice(from)];
    const origin = byShown.get(path);
    if (origin === undefined) return line;
    const indent = line.slice(0, line.length - body.length);
    return `${indent}Collecting ${origin.name}==${origin.version}${note}\n${indent}  Fetched by safe-pip from ${redactUrl(origin.url)}`;
  };
  const mayChange = (partial: string): boolean => {
    const body = partial.trimStart();
    return [PROCESSING, ...(locations === null ? [] : [LOOKING_IN_LINKS, LOOKING_IN_INDEXES])].some((start) =>
      body.length < start.length ? start.startsWith(body) : body.startsWith(start),
    );
  };
  return { rewrite, mayChange };
}

/**
 * The rules for pip's output about download's pins file: pip names a requirement's origin as
 * `(from -r <pins file> (line N))`; it becomes the user's own origin of that requirement
 * (`origins[N - 1]`, e.g. `-r hash.txt (line 3)`), or nothing, as pip says nothing for a
 * requirement given on the command line.
 */
export function pinsFileLines(pinsPath: string, origins: readonly (string | null)[]): LineRewrite {
  const marker = ` (from -r ${pinsPath} (line `;
  const rewrite = (line: string): string => {
    let out = '';
    let rest = line;
    let at: number;
    while ((at = rest.indexOf(marker)) >= 0) {
      const tail = rest.slice(at + marker.length);
      const number = /^(\d+)\)\)/.exec(tail);
      if (number === null) break;
      const origin = origins[Number(number[1]) - 1] ?? null;
      out += rest.slice(0, at) + (origin === null ? '' : ` (from ${origin})`);
      rest = tail.slice(number[0].length);
    }
    return out + rest;
  };
  // pip writes each log record whole; a partial line is a prompt or a progress bar.
  return { rewrite, mayChange: (partial) => partial.includes(' (from -r ') };
}
