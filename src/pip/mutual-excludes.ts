// The `:all:` / `:none:` / comma-list algorithm shared by pip's FormatControl (--no-binary /
// --only-binary) and ReleaseControl (--all-releases / --only-final): pip/_internal/models/
// format_control.py and release_control.py, handle_mutual_excludes. See pip-behaviour.md §1.4.
//
// Besides the two sets, every member remembers the occurrence that put it there, so a message can
// say where a `--no-binary foo` came from.
import type { SettingSource } from './setting-source.js';

/** packaging.utils.canonicalize_name (PEP 503). */
export function canonicalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export interface MutualExcludesEvent<Side extends string> {
  side: Side;
  value: string;
  source: SettingSource;
}

export class MutualExcludes<Side extends string> {
  readonly sets: Record<Side, Map<string, SettingSource>>;
  readonly events: MutualExcludesEvent<Side>[] = [];
  /** ReleaseControl's `_order`: (side, member) for every :all:, :none: and name applied. */
  readonly order: Array<[Side, string]> = [];

  constructor(sides: readonly [Side, Side]) {
    this.sets = { [sides[0]]: new Map(), [sides[1]]: new Map() } as Record<Side, Map<string, SettingSource>>;
  }

  /**
   * Apply one value to `side`. Returns false (and changes nothing) when the value starts with
   * `-`: pip raises CommandError there, and the caller words it.
   */
  apply(side: Side, other: Side, value: string, source: SettingSource): boolean {
    if (value.startsWith('-')) return false;
    this.events.push({ side, value, source });
    const target = this.sets[side];
    const opposite = this.sets[other];
    let items = value.split(',');
    while (items.includes(':all:')) {
      opposite.clear();
      target.clear();
      target.set(':all:', source);
      this.order.push([side, ':all:']);
      items = items.slice(items.indexOf(':all:') + 1);
      if (!items.includes(':none:')) return true;
    }
    for (const item of items) {
      if (item === ':none:') {
        target.clear();
        this.order.push([side, ':none:']);
        continue;
      }
      const name = canonicalizeName(item);
      opposite.delete(name);
      target.set(name, source);
      this.order.push([side, name]);
    }
    return true;
  }

  has(side: Side, member: string): boolean {
    return this.sets[side].has(member);
  }

  members(side: Side): string[] {
    return [...this.sets[side].keys()].sort();
  }

  sourceOf(side: Side, member: string): SettingSource | undefined {
    return this.sets[side].get(member);
  }
}
