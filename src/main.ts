// safe-pip's entry point (the launchers in bin/ run it bundled, as `node dist/main.cjs <args>`, see
// src/code-cache.ts; tsc's dist/main.js is the same program unbundled), and the only place that
// catches errors (STYLE.md: changesets/corepack): a SafePipError is printed as
// `safe-pip: error: …` + `hint: …` and exits with its code; an ExitError just exits; a
// PipUsageError is pip's own refusal, printed exactly as pip prints it, with pip's code; anything
// else is a bug in safe-pip (EXIT_INTERNAL, with the stack only when SAFE_PIP_DEBUG=1).
import { dispatch } from './cli/dispatch.js';
import { ExitError, SafePipError } from './errors.js';
import { EXIT_INTERNAL } from './exit-codes.js';
import { PipUsageError } from './pip/pip-usage-error.js';
import { takeLauncherHandOff } from './io/real-pip.js';
import { takePipFirstHandOff } from './io/pip-first.js';
import { takeDeferredExtraCaCerts } from './io/http/extra-ca-certs.js';
import { distributionNotFoundText, formatError, internalErrorMessage } from './report/messages.js';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // First, so that everything safe-pip runs sees the environment it was given; the pip-first
  // hand-off before that, as it keeps the environment the waiting pip was started with.
  takePipFirstHandOff(env);
  takeDeferredExtraCaCerts(env);
  try {
    return await dispatch(argv, { env, realPipHandOff: takeLauncherHandOff(env) });
  } catch (error) {
    if (error instanceof ExitError) return error.exitCode;
    if (error instanceof PipUsageError) {
      process.stdout.write(error.stdout);
      process.stderr.write(error.stderr);
      return error.exitCode;
    }
    if (error instanceof SafePipError) {
      // The resolver's ResolutionImpossible (matched by name: importing it would slow every start).
      const notFound = error.name === 'ResolutionImpossible' ? distributionNotFoundText(error.message) : null;
      process.stderr.write(notFound ?? formatError(error.message, error.hint));
      return error.exitCode;
    }
    process.stderr.write(internalErrorMessage(error, env.SAFE_PIP_DEBUG === '1'));
    return EXIT_INTERNAL;
  }
}

// Not a top-level await: the bundle is a CommonJS file (src/code-cache.ts).
void main(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
