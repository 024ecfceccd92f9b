// pip's `--python-version` value: cli/cmdoptions.py `_convert_python_version` (pip 20.x – 26.x).
// "3" → [3], "37" → [3, 7] (first digit, then the rest: "310" → [3, 10]), "3.7.3" → [3, 7, 3],
// "" → null (same as not giving the option). Parts are read like Python's int(): surrounding
// whitespace, a sign and single underscores between digits are accepted. Non-ASCII digits, which
// int() would also take, are rejected here.

/** The one error of this parser; `pipMessage` is the text pip prints after "--python-version error: ". */
export class PythonVersionOptionError extends Error {
  readonly input: string;
  readonly pipMessage: string;
  constructor(input: string, reason: string) {
    const pipMessage = `invalid --python-version value: ${pythonRepr(input)}: ${reason}`;
    super(`Invalid --python-version "${input}": ${reason}`);
    this.name = 'PythonVersionOptionError';
    this.input = input;
    this.pipMessage = pipMessage;
  }
}

/** Python's repr() of a str, for the ASCII printable range pip's messages show. */
function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

function pythonInt(text: string): number | null {
  const match = /^[\s]*([+-]?)(\d+(?:_\d+)*)[\s]*$/.exec(text);
  if (!match) return null;
  const value = Number(match[2]!.replace(/_/g, ''));
  return match[1] === '-' ? -value : value;
}

export function parsePythonVersionOption(text: string): number[] | null {
  if (text === '') return null;
  let parts = text.split('.');
  if (parts.length > 3) throw new PythonVersionOptionError(text, 'at most three version parts are allowed');
  if (parts.length === 1) {
    const value = parts[0]!;
    // Python slices by code point; so do we.
    const chars = Array.from(value);
    if (chars.length > 1) parts = [chars[0]!, chars.slice(1).join('')];
  }
  const numbers: number[] = [];
  for (const part of parts) {
    const value = pythonInt(part);
    if (value === null) throw new PythonVersionOptionError(text, 'each version part must be an integer');
    numbers.push(value);
  }
  return numbers;
}
