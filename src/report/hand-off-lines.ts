// pip's output during download's hand-off (issue 13 §5), so that it names the user's files and
// requirements, never safe-pip's temporary ones.
//
// stdout: pip is handed each wheel safe-pip
// already fetched as a local file (cli/intercept/pinned-download.ts), and pip announces any local
// file as `Processing <display_path(file)>`: the path of safe-pip's private directory, which means
// nothing to the user and is gone once the command ends. Each such line becomes what pip prints
// for the same pin when it fetches it itself (`Collecting name==version`) and one line saying
// where the file really came from. Every other line passes through unchanged.
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

/**
 * The rules for pip's stdout: `staged` maps each staged file's absolute path to its origin; `cwd`
 * is pip's working directory (pip shows a path under it as `./…`).
 */
export function stagedWheelLines(staged: ReadonlyMap<string, StagedWheelOrigin>, cwd: string): LineRewrite {
  const byShown = new Map<string, StagedWheelOrigin>();
  for (const [path, origin] of staged) {
    byShown.set(path, origin);
    // pip's display_path: relative to the working directory when the file lies under it.
    if (path.startsWith(cwd + sep)) byShown.set(`.${sep}${relative(cwd, path)}`, origin);
  }
  const rewrite = (line: string): string => {
    const body = line.trimStart();
    if (!body.startsWith(PROCESSING)) return line;
    // pip ≥ 23.1 adds where the requirement came from: ` (from -r <safe-pip's pins file> (line N))`.
    const rest = body.slice(PROCESSING.length).trimEnd();
    const from = rest.indexOf(' (from ');
    const origin = byShown.get(rest) ?? (from >= 0 ? byShown.get(rest.slice(0, from)) : undefined);
    if (origin === undefined) return line;
    const indent = line.slice(0, line.length - body.length);
    return `${indent}Collecting ${origin.name}==${origin.version}\n${indent}  Fetched by safe-pip from ${redactUrl(origin.url)}`;
  };
  const mayChange = (partial: string): boolean => {
    const body = partial.trimStart();
    return body.length < PROCESSING.length ? PROCESSING.startsWith(body) : body.startsWith(PROCESSING);
  };
  return { rewrite, mayChange };
}

/**
 * The rules for pip's stderr when pip fetches some pins itself: pip names a requirement's origin as
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
