// The one error class for pip's requirements-file format. `pipMessage` is the text pip prints after
// "ERROR: " for the same input (RequirementsFileParseError, InstallationError, CommandError), so callers can
// say exactly what pip would; `message` adds the file and line for safe-pip's own output.

export type RequirementsFileErrorKind =
  /** optparse rejected the options part (unknown or ambiguous option, missing value, --hash/-C format). */
  | 'invalid-options'
  /** shlex could not split the options part. */
  | 'unsplittable-options'
  /** `--no-binary`/`--only-binary` value starting with "-" (pip raises CommandError). */
  | 'format-control-argument'
  /** A file includes one of its ancestors (pip ≥ 24.3 reports it; older pips crash with RecursionError). */
  | 'recursion'
  /** A URL that Python's urlsplit rejects ("Invalid IPv6 URL"); pip crashes with ValueError. */
  | 'invalid-url'
  /** The file could not be read or fetched. */
  | 'unreadable'
  /** The bytes could not be decoded (pip crashes with UnicodeDecodeError / LookupError). */
  | 'undecodable';

export class RequirementsFileError extends Error {
  readonly kind: RequirementsFileErrorKind;
  /** The file as pip names it. */
  readonly file: string;
  /** pip's line number (first physical line of a continued line), or null when the error is not about a line. */
  readonly lineNumber: number | null;
  /** The processed line pip was parsing, or null. */
  readonly lineText: string | null;
  /** What pip prints after "ERROR: ". */
  readonly pipMessage: string;
  constructor(
    kind: RequirementsFileErrorKind,
    fields: { file: string; lineNumber: number | null; lineText: string | null; pipMessage: string; cause?: unknown },
  ) {
    const where = fields.lineNumber === null ? fields.file : `${fields.file}, line ${fields.lineNumber}`;
    const quoted = fields.lineText === null ? '' : `\n  ${fields.lineText}`;
    super(`${where}: ${fields.pipMessage.trimEnd()}${quoted}`, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'RequirementsFileError';
    this.kind = kind;
    this.file = fields.file;
    this.lineNumber = fields.lineNumber;
    this.lineText = fields.lineText;
    this.pipMessage = fields.pipMessage;
  }
}
