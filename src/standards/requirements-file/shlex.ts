// CPython `shlex.split(s)` (Lib/shlex.py: posix=True, whitespace_split=True, no comments), which pip applies to
// the options part of a requirements-file line. Whitespace is exactly ' \t\r\n'; quotes are ' and ";
// a backslash escapes any character outside quotes and only `"` or `\` inside double quotes.

export class ShlexError extends Error {
  constructor(readonly input: string, message: string) {
    super(message);
    this.name = 'ShlexError';
  }
}

const WHITESPACE = ' \t\r\n';

/** shlex.split: throws ShlexError("No closing quotation" | "No escaped character") like Python's ValueError. */
export function shlexSplit(input: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let quoted = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (WHITESPACE.includes(ch)) {
      if (inToken || quoted) tokens.push(token);
      token = '';
      inToken = false;
      quoted = false;
      i += 1;
      continue;
    }
    inToken = true;
    if (ch === '\\') {
      if (i + 1 >= input.length) throw new ShlexError(input, 'No escaped character');
      token += input[i + 1];
      i += 2;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quoted = true;
      const close = ch;
      i += 1;
      for (;;) {
        if (i >= input.length) throw new ShlexError(input, 'No closing quotation');
        const c = input[i]!;
        if (c === close) {
          i += 1;
          break;
        }
        if (close === '"' && c === '\\') {
          if (i + 1 >= input.length) throw new ShlexError(input, 'No escaped character');
          const next = input[i + 1]!;
          token += next === '"' || next === '\\' ? next : `\\${next}`;
          i += 2;
          continue;
        }
        token += c;
        i += 1;
      }
      continue;
    }
    token += ch;
    i += 1;
  }
  if (inToken || quoted) tokens.push(token);
  return tokens;
}
