// The error kinds main.ts knows how to report. Everything below main throws one of these; only
// main.ts catches (see STYLE.md: changesets / corepack).
import { EXIT_ERROR } from './exit-codes.js';

/** A failure the user can act on: printed as `safe-pip: error: …` plus an optional hint, no stack. */
export class SafePipError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SafePipError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_ERROR;
  }
}

/** Already reported to the user (or a child's exit code to pass on): just exit with this code. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}
