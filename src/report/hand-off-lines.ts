// pip's output during a hand-off, so that it names the user's files and requirements, never
// safe-pip's temporary ones (issue 13 §5).
//
// stdout: pip is handed the wheels safe-pip already fetched as local files (download:
// cli/intercept/pinned-download.ts; install: install-staging.ts), and pip announces a local file
// as `Processing <display_path(file)>`: a path in safe-pip's private directory, which means
// nothing to the user and is gone once the command ends. Each such line becomes what pip prints
// for the same requirement when it fetches it itself (`Collecting name==version`, with pip's own
// `(from …)` note) and one line saying where the file really came from; install's
// `Looking in links:` loses the private directory (and goes when nothing else is left).
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

/**
 * The rules for pip's stdout: `staged` maps each staged file's absolute path to its origin; `cwd`
 * is pip's working directory (pip shows a path under it as `./…`); `stagedDir` the directory pip
 * was given with --find-links, if any.
 */
export function stagedWheelLines(staged: ReadonlyMap<string, StagedWheelOrigin>, cwd: string, stagedDir: string | null = null): LineRewrite {
  const byShown = new Map<string, StagedWheelOrigin>();
  for (const [path, origin] of staged) {
    byShown.set(path, origin);
    // pip's display_path: relative to the working directory when the file lies under it.
    if (path.startsWith(cwd + sep)) byShown.set(`.${sep}${relative(cwd, path)}`, origin);
  }
  const rewrite = (line: string): string | null => {
    if (stagedDir !== null && line.startsWith(LOOKING_IN_LINKS)) {
      const links = line.slice(LOOKING_IN_LINKS.length).split(', ');
      const kept = links.filter((link) => link !== stagedDir);
      if (kept.length === links.length) return line;
      return kept.length === 0 ? null : `${LOOKING_IN_LINKS}${kept.join(', ')}`;
    }
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
    return [PROCESSING, ...(stagedDir === null ? [] : [LOOKING_IN_LINKS])].some((start) =>
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
