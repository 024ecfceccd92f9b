// The one error type of the PEP 508 parser (requirements and markers). It keeps packaging's
// wording ("Expected end or semicolon (after version specifier)") and reprints the input with a
// caret under the offending column, like packaging and uv do.
import { SafePipError } from '../../errors.js';

export class RequirementParseError extends SafePipError {
  /** The text that failed to parse. */
  readonly input: string;
  /** 0-based column where the problem starts. */
  readonly position: number;
  /** 0-based column where the underlined span ends (== position for a single point). */
  readonly spanEnd: number;
  /** What was wrong, without the input (e.g. `Expected package name at the start of dependency specifier`). */
  readonly detail: string;

  constructor(kind: 'requirement' | 'marker', input: string, detail: string, position: number, spanEnd = position) {
    const caret = `${' '.repeat(position)}${'~'.repeat(Math.max(0, spanEnd - position))}^`;
    super(`Invalid ${kind} ${JSON.stringify(input)}: ${detail}\n    ${input}\n    ${caret}`);
    this.name = 'RequirementParseError';
    this.input = input;
    this.position = position;
    this.spanEnd = spanEnd;
    this.detail = detail;
  }
}
