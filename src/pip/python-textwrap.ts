// Python's textwrap.fill(text) with its default settings (width 70, break_long_words and
// break_on_hyphens on), as pip's raise_option_error uses it to wrap callback errors
// (pip/_internal/cli/cmdoptions.py; Lib/textwrap.py TextWrapper._split, _wrap_chunks,
// _handle_long_word, CPython 3.11).
//
// Supported: text whose whitespace is already single spaces (pip joins `msg.split()` first).
// Python's \w is approximated by Unicode letters, numbers and `_`. Lengths count code points, as
// Python's len() does.

const WORD_PUNCT = String.raw`[\p{L}\p{N}_!"'&.,?]`;
const LETTER = String.raw`[\p{L}\p{Nl}\p{No}_]`;
const WS = String.raw`[\t\n\x0b\x0c\r ]`;
const NWS = String.raw`[^\t\n\x0b\x0c\r ]`;
const WORD = String.raw`[\p{L}\p{N}_]`;

// TextWrapper.wordsep_re, verbatim apart from the character classes. Made on first use: V8
// parses its Unicode classes as it is made (~1 ms), and most runs wrap nothing.
let wordsep: RegExp | undefined;
function wordsepRe(): RegExp {
  wordsep ??= new RegExp(
    `(${WS}+` +
      `|(?<=${WORD_PUNCT})-{2,}(?=${WORD})` +
      `|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})` +
      `|(?=${WS}|$)` +
      `|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
    'u',
  );
  return wordsep;
}

const length = (s: string): number => [...s].length;

export function pythonTextwrapFill(text: string, width = 70): string {
  return wrapChunks(text.split(wordsepRe()).filter((c) => c !== ''), width).join('\n');
}

function wrapChunks(input: string[], width: number): string[] {
  const lines: string[] = [];
  const chunks = [...input].reverse();
  while (chunks.length > 0) {
    const line: string[] = [];
    let used = 0;
    if (chunks[chunks.length - 1]!.trim() === '' && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const l = length(chunks[chunks.length - 1]!);
      if (used + l <= width) {
        line.push(chunks.pop()!);
        used += l;
      } else break;
    }
    if (chunks.length > 0 && length(chunks[chunks.length - 1]!) > width) {
      handleLongWord(chunks, line, used, width);
    }
    if (line.length > 0 && line[line.length - 1]!.trim() === '') line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}

function handleLongWord(chunks: string[], line: string[], used: number, width: number): void {
  const spaceLeft = width < 1 ? 1 : width - used;
  const chunk = [...chunks[chunks.length - 1]!];
  let end = spaceLeft;
  if (chunk.length > spaceLeft) {
    const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
    if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
  }
  line.push(chunk.slice(0, end).join(''));
  chunks[chunks.length - 1] = chunk.slice(end).join('');
}
