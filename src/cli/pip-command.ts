// `safe-pip pip <args>` — and everything the bin/pip and bin/pip3 launchers hand to Node (they
// exec `node dist/main.js pip <args>`), so the two behave identically by construction.
// Commands that cannot build anything run the real pip unchanged; the building ones
// (install/download/wheel/lock, and anything the quick check does not recognise) go through
// handleBuildingCommand, the seam where the policy (src/policy/) plugs in.
import { findRealPip } from '../io/real-pip.js';
import { runPip } from '../io/run-pip.js';
import { startEarlyPip } from '../io/early-pip.js';
import type { CliContext } from './context.js';
import { buildingCommandWord, isPassthroughArgv } from './pip-commands.js';

export async function runPipSubcommand(args: readonly string[], context: CliContext): Promise<number> {
  const realPip = await findRealPip({ env: context.env, handOff: context.realPipHandOff });
  if (isPassthroughArgv(args, context.env)) return runPip(realPip, args, { env: context.env });
  // pip's Python imports pip while safe-pip decides; it runs nothing until it is handed the final argv.
  startEarlyPip(realPip, args, context.env, process.cwd(), { warmCommand: buildingCommandWord(args) });
  return handleBuildingCommand(args, realPip, context);
}

/**
 * A pip command line that may build something, with the real pip that would run it.
 * The policy is not written yet: for now this runs the real pip with the argv unchanged.
 */
export async function handleBuildingCommand(
  argv: readonly string[],
  realPip: string,
  context: CliContext,
): Promise<number> {
  const { interceptBuildingCommand } = await import('./intercept/index.js');
  return interceptBuildingCommand(argv, realPip, context);
}
