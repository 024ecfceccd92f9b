// The one marked block safe-pip keeps in a shell rc file (issue 5 §1): added, replaced in place,
// and removed so that the file is byte for byte what it was before `setup`.
//
// The block is the lines from a begin marker to an end marker. What `setup` had to change around
// it is written into the begin line as flags, so `teardown` needs no state file:
//   [newline-added]   the file did not end in "\n"; one was added before the block. It is taken
//                     out again only while the block is still the end of the file (if something
//                     was appended after the block since, that newline now separates it).
//   [file-created]    the file did not exist; it is deleted when nothing else is left in it.
//   [dirs-created=N]  so did its N nearest parent directories; removed again when empty.
// The block's own lines always end in "\n"; a file in CRLF keeps its CRLF lines untouched. A
// marker line is still recognised if an editor has since added "\r" to it.
// Pure: text in, text out. Reading and writing the file is setup-command.ts's job.

export const BEGIN_MARKER = '# >>> safe-pip >>>';
export const END_MARKER = '# <<< safe-pip <<<';
const BEGIN_TEXT = `${BEGIN_MARKER} added by "safe-pip setup"; "safe-pip teardown" removes it (or delete everything down to the "${END_MARKER}" line)`;

export type BlockFlag = 'newline-added' | 'file-created' | `dirs-created=${number}`;

/** A block found in a file: byte offsets into the text, and the begin line's flags. */
export interface RcBlock {
  /** Offset of the begin line's first character. */
  start: number;
  /** Offset just after the end line's "\n" (or the end of the text). */
  end: number;
  /** 1-based line number of the begin line, for messages. */
  line: number;
  flags: BlockFlag[];
}

/** A file whose safe-pip markers do not pair up; nothing is changed in it. */
export class RcBlockError extends Error {
  readonly file: string;
  readonly line: number;
  readonly lineText: string;
  constructor(file: string, line: number, lineText: string, problem: string) {
    super(`The safe-pip block in "${file}" is damaged: line ${line} "${lineText}" ${problem}`);
    this.name = 'RcBlockError';
    this.file = file;
    this.line = line;
    this.lineText = lineText;
  }
}

/** The block's text: begin line (with flags), the body, end line; always ends in "\n". */
export function renderBlock(body: string, flags: readonly BlockFlag[]): string {
  const begin = flags.length === 0 ? BEGIN_TEXT : `${BEGIN_TEXT} ${flags.map((f) => `[${f}]`).join(' ')}`;
  const content = body === '' || body.endsWith('\n') ? body : `${body}\n`;
  return `${begin}\n${content}${END_MARKER}\n`;
}

/** Every block in `text`, in order. Throws RcBlockError when the markers do not pair up. */
export function findBlocks(text: string, file: string): RcBlock[] {
  const blocks: RcBlock[] = [];
  let open: { start: number; line: number; text: string; flags: BlockFlag[] } | undefined;
  let offset = 0;
  let lineNumber = 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(offset, newline === -1 ? text.length : newline).replace(/\r$/, '');
    lineNumber += 1;
    if (line.startsWith(BEGIN_MARKER)) {
      if (open !== undefined) {
        throw new RcBlockError(file, lineNumber, line, `starts a new block before the one on line ${open.line} ended`);
      }
      open = { start: offset, line: lineNumber, text: line, flags: parseFlags(line) };
    } else if (line.trimEnd() === END_MARKER) {
      if (open === undefined) throw new RcBlockError(file, lineNumber, line, 'ends a block that never began');
      blocks.push({ start: open.start, end: lineEnd, line: open.line, flags: open.flags });
      open = undefined;
    }
    offset = lineEnd;
  }
  if (open !== undefined) {
    throw new RcBlockError(file, open.line, open.text, `has no "${END_MARKER}" line after it`);
  }
  return blocks;
}

function parseFlags(beginLine: string): BlockFlag[] {
  const flags: BlockFlag[] = [];
  for (const match of beginLine.matchAll(/\[(newline-added|file-created|dirs-created=(\d+))\]/g)) {
    flags.push(match[1] as BlockFlag);
  }
  return flags;
}

export type BlockChange = 'added' | 'updated' | 'unchanged';

/**
 * `text` (undefined: the file does not exist) with exactly one block holding `body`: an existing
 * block is rewritten in place (keeping its flags), otherwise one is appended. `createdDirs` is how
 * many parent directories had to be made for a new file.
 */
export function withBlock(
  text: string | undefined,
  body: string,
  file: string,
  createdDirs = 0,
): { text: string; change: BlockChange } {
  if (text === undefined) {
    const flags: BlockFlag[] = ['file-created'];
    if (createdDirs > 0) flags.push(`dirs-created=${createdDirs}`);
    return { text: renderBlock(body, flags), change: 'added' };
  }
  const blocks = findBlocks(text, file);
  const [first, ...duplicates] = blocks;
  if (first === undefined) {
    if (text === '' || text.endsWith('\n')) return { text: text + renderBlock(body, []), change: 'added' };
    return { text: `${text}\n${renderBlock(body, ['newline-added'])}`, change: 'added' };
  }
  let result = text;
  // Duplicates (a block pasted twice by hand) are dropped, last first so offsets stay valid.
  for (const block of duplicates.reverse()) result = result.slice(0, block.start) + result.slice(block.end);
  const replacement = renderBlock(body, first.flags);
  result = result.slice(0, first.start) + replacement + result.slice(first.end);
  return { text: result, change: result === text ? 'unchanged' : 'updated' };
}

/**
 * `text` with every block removed, undoing what the flags record. `deleteFile` is true when the
 * file was created by setup and nothing else is left in it; `createdDirs` is then how many parent
 * directories setup made for it.
 */
export function withoutBlocks(
  text: string,
  file: string,
): { text: string; removed: number; deleteFile: boolean; createdDirs: number } {
  const blocks = findBlocks(text, file);
  let result = text;
  let fileCreated = false;
  let createdDirs = 0;
  for (const block of [...blocks].reverse()) {
    let start = block.start;
    const atEnd = block.end === result.length;
    if (block.flags.includes('newline-added') && atEnd && start > 0 && result[start - 1] === '\n') start -= 1;
    result = result.slice(0, start) + result.slice(block.end);
    if (block.flags.includes('file-created')) fileCreated = true;
    for (const flag of block.flags) {
      const dirs = /^dirs-created=(\d+)$/.exec(flag);
      if (dirs?.[1] !== undefined) createdDirs = Math.max(createdDirs, Number(dirs[1]));
    }
  }
  return { text: result, removed: blocks.length, deleteFile: fileCreated && result === '', createdDirs };
}
