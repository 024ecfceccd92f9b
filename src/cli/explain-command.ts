// `safe-pip explain [--json] <pip arguments>`: the whole plan for a pip command line — what pip
// would be asked to do, what safe-pip would fetch, copy, skip or refuse — without doing any of it
// (no files written, no pip run). The JSON shape is fixed in DESIGN.md.
import { findRealPip } from '../io/real-pip.js';
import type { CliContext } from './context.js';
import { interceptBuildingCommand } from './intercept/index.js';

export async function runExplain(args: readonly string[], context: CliContext): Promise<number> {
  const json = args[0] === '--json';
  const pipArgs = json ? args.slice(1) : args;
  const realPip = await findRealPip({ env: context.env, handOff: context.realPipHandOff });
  return interceptBuildingCommand(pipArgs, realPip, context, { explain: { json } });
}
