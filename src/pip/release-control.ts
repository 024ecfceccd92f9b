// pip 26.0+'s ReleaseControl: `--all-releases` / `--only-final` (and `--pre`, which pip turns into
// `--all-releases :all:` after parsing and refuses next to the other two), same algorithm as
// FormatControl (pip/_internal/models/release_control.py; cli/cmdoptions.py
// _handle_all_releases/_handle_only_final, check_release_control_exclusive). pip-behaviour.md §1.5.
// Read from pip's source; no pip 26 runs on this machine, so this is not measured.
import { canonicalizeName, MutualExcludes, type MutualExcludesEvent } from './mutual-excludes.js';
import type { SettingSource } from './setting-source.js';

export type ReleaseSide = 'all_releases' | 'only_final';

export const RELEASE_CONTROL_DASH_ERROR = '--all-releases / --only-final option requires 1 argument.';
export const PRE_WITH_RELEASE_CONTROL_ERROR = '--pre cannot be used with --all-releases or --only-final.';

export class ReleaseControl {
  private readonly state = new MutualExcludes<ReleaseSide>(['all_releases', 'only_final']);

  apply(side: ReleaseSide, value: string, source: SettingSource): boolean {
    return this.state.apply(side, side === 'all_releases' ? 'only_final' : 'all_releases', value, source);
  }

  get allReleases(): string[] {
    return this.state.members('all_releases');
  }

  get onlyFinal(): string[] {
    return this.state.members('only_final');
  }

  get events(): readonly MutualExcludesEvent<ReleaseSide>[] {
    return this.state.events;
  }

  /** get_ordered_args(): how pip rebuilds the flags for its build subprocesses. */
  orderedArgs(): Array<[ReleaseSide, string]> {
    return [...this.state.order];
  }

  /** allows_prereleases(name): true / false, or null to let the specifier decide. */
  allowsPrereleases(name: string): boolean | null {
    const canonical = canonicalizeName(name);
    if (this.state.has('all_releases', canonical)) return true;
    if (this.state.has('only_final', canonical)) return false;
    if (this.state.has('all_releases', ':all:')) return true;
    if (this.state.has('only_final', ':all:')) return false;
    return null;
  }
}
