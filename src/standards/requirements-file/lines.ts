// pip's `req_file.preprocess`: splitlines → join_lines → ignore_comments → expand_env_variables
// (src/pip/_internal/req/req_file.py, unchanged from 23.0 to 26.x).
//
// - A line ending in `\` is joined with the next one after `strip("\\")` (backslashes at both ends go);
//   a comment line (`^\s*#`) is never continued and gets a leading space; the joined line keeps the number
//   of its first line; a trailing `\` on the last line just ends it.
// - Comments: `(^|\s+)#.*$` removed, then Python `strip()`, blank lines dropped.
// - `${NAME}` with NAME in [A-Z0-9_]+ is replaced by a non-empty variable; unset or empty leaves it.
import { PY_WHITESPACE_CHARS, type PhysicalLine, isPyWhitespaceAt, pySplitLines, pyStrip, pyStripChars } from '../python-text.js';

export interface LogicalLine {
  /** pip's line number: the 1-based number of the first physical line. */
  lineNumber: number;
  /** 0-based indexes of the first and last physical line this line was built from. */
  firstPhysical: number;
  lastPhysical: number;
  /** The text pip parses (comments stripped, variables expanded). */
  text: string;
}

const COMMENT_AT_START = new RegExp(`^(?:[${PY_WHITESPACE_CHARS}]+)?#`);
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;

export function preprocessRequirementsText(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): { physical: PhysicalLine[]; lines: LogicalLine[] } {
  const physical = pySplitLines(text);
  const lines: LogicalLine[] = [];
  for (const joined of joinLines(physical)) {
    const stripped = pyStrip(removeComment(joined.text));
    if (stripped === '') continue;
    lines.push({ ...joined, text: expandEnvVariables(stripped, env) });
  }
  return { physical, lines };
}

function* joinLines(physical: PhysicalLine[]): Generator<LogicalLine> {
  let pending: string[] = [];
  let first = 0;
  for (let index = 0; index < physical.length; index += 1) {
    let line = physical[index]!.text;
    const isComment = COMMENT_AT_START.test(line);
    if (!line.endsWith('\\') || isComment) {
      if (isComment) line = ` ${line}`;
      if (pending.length > 0) {
        pending.push(line);
        yield { lineNumber: first + 1, firstPhysical: first, lastPhysical: index, text: pending.join('') };
        pending = [];
      } else {
        yield { lineNumber: index + 1, firstPhysical: index, lastPhysical: index, text: line };
      }
    } else {
      if (pending.length === 0) first = index;
      pending.push(pyStripChars(line, '\\'));
    }
  }
  if (pending.length > 0) {
    yield { lineNumber: first + 1, firstPhysical: first, lastPhysical: physical.length - 1, text: pending.join('') };
  }
}

/**
 * pip's `COMMENT_RE.sub("", line)` with `(^|\s+)#.*$`: from the first `#` that opens the line or
 * follows whitespace, together with that whitespace, to the end. A scan, not the regular
 * expression, which backtracks quadratically over a long whitespace run with no `#` after it.
 */
function removeComment(line: string): string {
  for (let hash = line.indexOf('#'); hash !== -1; hash = line.indexOf('#', hash + 1)) {
    if (hash === 0) return '';
    if (!isPyWhitespaceAt(line, hash - 1)) continue;
    let start = hash - 1;
    while (start > 0 && isPyWhitespaceAt(line, start - 1)) start -= 1;
    return line.slice(0, start);
  }
  return line;
}

/** pip's expand_env_variables: each `${NAME}` found in the line, in order, replaced everywhere it occurs. */
export function expandEnvVariables(line: string, env: Readonly<Record<string, string | undefined>>): string {
  let result = line;
  for (const match of line.matchAll(ENV_VAR)) {
    const value = env[match[1]!];
    if (!value) continue;
    result = result.split(match[0]).join(value);
  }
  return result;
}
