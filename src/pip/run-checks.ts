// Checks pip makes at the start of a command's run(), after its options are parsed and before any
// requirement is read, with pip's own words (a CommandError: "ERROR: …", exit 1).
// cli/cmdoptions.py check_dist_restriction, the same in pip 23.0 to 26.3: `download` and `install`
// refuse --platform/--python-version/--abi/--implementation unless the format control is exactly
// `--only-binary=:all:` (nothing in --no-binary) or --no-deps is given; `install` also needs
// --target with them (from pip 24.0, --target or --dry-run). safe-pip would make such a call safe, but the promise is pip's behaviour.
import { pipVersionAtLeast } from '../standards/requirements-file/pip-version.js';
import type { EffectiveSettings } from './effective-settings.js';

const DIST_RESTRICTION =
  'When restricting platform and interpreter constraints using --python-version, --platform, --abi, or --implementation, ' +
  'either --no-deps must be set, or --only-binary=:all: must be set and --no-binary must not be set (or must be set to :none:).';
const DIST_RESTRICTION_TARGET = "Can not use any platform or abi specific options unless installing via '--target'";
const DIST_RESTRICTION_TARGET_24 = "Can not use any platform or abi specific options unless installing via '--target' or using '--dry-run'";

/** pip's message for a command line its run() rejects before reading requirements, or null. */
export function pipRunCheck(command: string | null, settings: EffectiveSettings, pipVersion: string): string | null {
  if (command !== 'install' && command !== 'download') return null;
  const target = settings.targetPython;
  const restricted =
    (target.platforms?.length ?? 0) > 0 || (target.pythonVersion?.length ?? 0) > 0 || (target.abis?.length ?? 0) > 0 || Boolean(target.implementation);
  if (!restricted) return null;
  const formats = settings.formatControl;
  // FormatControl(set(), {":all:"}) compared by value.
  const binaryOnly = formats.noBinary.length === 0 && formats.onlyBinary.length === 1 && formats.onlyBinary[0] === ':all:';
  if (!binaryOnly && !settings.ignoreDependencies) return DIST_RESTRICTION;
  if (command !== 'install' || settings.targetDir !== null) return null;
  if (!pipVersionAtLeast(pipVersion, '24.0')) return DIST_RESTRICTION_TARGET;
  return settings.dryRun ? null : DIST_RESTRICTION_TARGET_24;
  return null;
}
