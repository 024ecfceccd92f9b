// Ctrl-C while safe-pip itself works for a pip command (reading the indexes, resolving, fetching
// files, before or between pip runs) ends the run as pip ends it: pip catches KeyboardInterrupt in
// its base command, logs "Operation cancelled by user" at CRITICAL (`ERROR: …` on stderr, shown
// even under -q) and exits 1 (pip/_internal/cli/base_command.py). While a real pip runs, the
// SIGINT is pip's to answer (run-pip.ts forwards it) and this handler stays out of the way.
//
// Other SIGINT handlers may be active at the same time (a partial download to remove, a spinner
// to stop: io/file-download.ts, report/spinner.ts); they do their work and raise the signal again.
// This handler only schedules the exit, so theirs run first, and, being still registered, it
// keeps the raised-again signal from killing the process before the message is printed.
import { pipIsRunning } from '../../io/run-pip.js';
import { EXIT_ERROR } from '../../exit-codes.js';

export const CANCELLED_BY_USER = 'ERROR: Operation cancelled by user\n';

/** Installs the handler; the returned function removes it. */
export function cancelLikePip(stderr: NodeJS.WritableStream = process.stderr): () => void {
  let scheduled = false;
  const onSigint = (): void => {
    if (scheduled || pipIsRunning()) return;
    scheduled = true;
    setImmediate(() => {
      stderr.write(CANCELLED_BY_USER, () => process.exit(EXIT_ERROR));
    });
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
  };
}
