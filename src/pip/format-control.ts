// pip's FormatControl: the one object `--no-binary` and `--only-binary` both write into, in the
// order config [global], config [<command>], PIP_* environment, command line, then option lines
// of requirements and constraints files (pip/_internal/models/format_control.py;
// cli/cmdoptions.py _handle_no_binary/_handle_only_binary). See pip-behaviour.md §1.4 and §2.5.
//
// `allowedFormats(name)` is pip's get_allowed_formats. `sourceOfRestriction(name)` says which
// occurrence decided it, for refusal messages.
import { canonicalizeName, MutualExcludes, type MutualExcludesEvent } from './mutual-excludes.js';
import type { SettingSource } from './setting-source.js';

export type FormatSide = 'no_binary' | 'only_binary';
export type AllowedFormats = ReadonlySet<'binary' | 'source'>;

/** pip's message when a value starts with `-` (a CommandError; pip 23.x crashes with a traceback). */
export const FORMAT_CONTROL_DASH_ERROR = '--no-binary / --only-binary option requires 1 argument.';

export class FormatControl {
  private readonly state = new MutualExcludes<FormatSide>(['no_binary', 'only_binary']);

  /** Apply one `--no-binary`/`--only-binary` value. False when pip would fail (value starts with `-`). */
  apply(side: FormatSide, value: string, source: SettingSource): boolean {
    return this.state.apply(side, side === 'no_binary' ? 'only_binary' : 'no_binary', value, source);
  }

  get noBinary(): string[] {
    return this.state.members('no_binary');
  }

  get onlyBinary(): string[] {
    return this.state.members('only_binary');
  }

  /** Every value applied, in order, with its source. */
  get events(): readonly MutualExcludesEvent<FormatSide>[] {
    return this.state.events;
  }

  /** get_allowed_formats(canonical_name). The name is canonicalized here. */
  allowedFormats(name: string): AllowedFormats {
    const decided = this.decidingEntry(name);
    if (decided === null) return new Set(['binary', 'source']);
    return new Set([decided.side === 'only_binary' ? 'binary' : 'source']);
  }

  /** The set member (name or `:all:`) that decides `name`, with the occurrence that put it there. */
  decidingEntry(name: string): { side: FormatSide; member: string; source: SettingSource } | null {
    const canonical = canonicalizeName(name);
    const order: Array<[FormatSide, string]> = [
      ['only_binary', canonical],
      ['no_binary', canonical],
      ['only_binary', ':all:'],
      ['no_binary', ':all:'],
    ];
    for (const [side, member] of order) {
      const source = this.state.sourceOf(side, member);
      if (source !== undefined) return { side, member, source };
    }
    return null;
  }

  /** Where the rule that lets `name` use sdists (or forbids wheels) came from, if any. */
  sourceOfRestriction(name: string): SettingSource | null {
    return this.decidingEntry(name)?.source ?? null;
  }

  /** True when only wheels may be used for every project: pip's check_dist_restriction test. */
  isBinaryOnlyEverywhere(): boolean {
    return this.noBinary.length === 0 && this.onlyBinary.length === 1 && this.onlyBinary[0] === ':all:';
  }

  clone(): FormatControl {
    const copy = new FormatControl();
    for (const event of this.events) copy.apply(event.side, event.value, event.source);
    return copy;
  }
}
