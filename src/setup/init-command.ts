// `safe-pip init <bash|zsh|fish>` (issue 5 §1): prints the code setup puts in the rc block, for
// `eval "$(safe-pip init bash)"` or `safe-pip init fish | source`.
import { EXIT_OK } from '../exit-codes.js';
import { packageLauncherDir, type CommandIo, type SetupContext } from './command-io.js';
import { INIT_USAGE, parseInitShell } from './command-options.js';
import { shellIntegrationCode } from './shell-integration.js';

export async function runInit(args: readonly string[], io: CommandIo, context: SetupContext = {}): Promise<number> {
  const shell = parseInitShell(args);
  if (shell === 'help') {
    io.stdout.write(INIT_USAGE);
    return EXIT_OK;
  }
  io.stdout.write(shellIntegrationCode(shell, context.launcherDir ?? packageLauncherDir()));
  return EXIT_OK;
}
