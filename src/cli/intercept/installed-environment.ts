// Which installed distributions `pip install` takes into account, from pip 23.2.1's
// commands/install.py run(): `--target` sets ignore_installed; `-I/--ignore-installed` is the flag
// itself; upgrade_strategy is "to-satisfy-only" unless `-U`, then `--upgrade-strategy`
// (only-if-needed by default); `--force-reinstall` keeps installed versions out of the candidates.
// `--prefix`, `--root` and `--user` do not change which distributions count: the resolver factory
// reads every distribution on the interpreter's sys.path (local_only=False) whatever the install
// scheme (`--user` only changes what is uninstalled). `download`, `wheel` and `lock` ignore what is
// installed. The reading itself is src/io/installed-distributions.ts.
import { installedDistributionsOf } from '../../io/installed-distributions.js';
import type { EffectiveSettings } from '../../pip/effective-settings.js';
import type { BuildingCommand } from '../../policy/plan.js';
import type { InstalledEnvironment } from '../../resolve/resolution-session.js';
import type { UpgradeStrategy } from '../../resolve/resolver.js';
import type { InterpreterFacts } from '../../standards/interpreter-facts.js';

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'number' && value !== 0);
}

/** The installed set for `install` (null when pip would ignore it: other commands, -I, --target). */
export async function installedFor(
  settings: EffectiveSettings,
  facts: InterpreterFacts,
  command: BuildingCommand,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstalledEnvironment | null> {
  if (command !== 'install') return null;
  const values = settings.values;
  if (truthy(values['ignore_installed'])) return null;
  const target = values['target_dir'];
  if (typeof target === 'string' && target !== '') return null;
  const strategy = values['upgrade_strategy'];
  const upgradeStrategy: UpgradeStrategy = !truthy(values['upgrade']) ? 'to-satisfy-only' : strategy === 'eager' ? 'eager' : 'only-if-needed';
  return {
    distributions: await installedDistributionsOf(facts.executable, env),
    upgradeStrategy,
    forceReinstall: truthy(values['force_reinstall']),
  };
}
