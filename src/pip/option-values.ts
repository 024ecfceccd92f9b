// What each option does to pip's options namespace, from config/env values
// (ConfigOptionParser._update_defaults, get_default_values, check_default) and from the command
// line (optparse Option.take_action, pip's option callbacks in cli/cmdoptions.py).
// pip-behaviour.md §2.4–2.5.
//
// Values are kept as pip holds them: config booleans are the ints 0/1 strtobool returns, counts
// ints, lists replaced by each config/env value and appended to by the command line, callback
// options applied to shared objects (FormatControl, ReleaseControl, config-settings dict).
import { callbackError, convertPythonVersion, pythonIntBase10, raiseOptionErrorText, type CallbackError } from './command-line.js';
import type { ConfigItem } from './config-items.js';
import { FormatControl } from './format-control.js';
import type { OptionSpec } from './option-spec.js';
import { comparePipVersions, parsePipVersion } from './option-table.js';
import { convertOptionValue, type OptionIndex, type OptionOccurrence } from './optparse.js';
import { pythonAbspath, pythonExpanduser } from './python-paths.js';
import { pythonSplit, pythonStrRepr } from './python-repr.js';
import { ReleaseControl } from './release-control.js';
import type { SettingSource } from './setting-source.js';

export interface ValueContext {
  home: string;
  cwd: string;
  pipVersion: string;
}

/** pip's utils.misc.strtobool: 1, 0, or null (pip raises "invalid truth value 'x'"). */
export function pipStrtobool(value: string): 0 | 1 | null {
  const v = value.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(v)) return 1;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(v)) return 0;
  return null;
}

/** A failure while applying config/env values; effective-settings words it as pip does. */
export type ConfigValueFailure =
  | { kind: 'config-value'; message: string }
  | { kind: 'config-type'; message: string }
  | CallbackError;

export class OptionValues {
  /** pip's options namespace by dest. */
  readonly values: Record<string, unknown>;
  /** For every dest, where its current value came from (one entry per list element for lists). */
  readonly sources = new Map<string, SettingSource[]>();
  readonly formatControl = new FormatControl();
  readonly releaseControl = new ReleaseControl();
  private readonly configSettingsAccumulate: boolean;
  /** Config/env keys that named no option of this parser (pip ignores them silently). */
  readonly ignoredItems: ConfigItem[] = [];

  constructor(
    specs: readonly OptionSpec[],
    private readonly context: ValueContext,
    machineDefaults: Record<string, unknown>,
  ) {
    this.values = {};
    this.configSettingsAccumulate = comparePipVersions(parsePipVersion(context.pipVersion), parsePipVersion('23.1')) >= 0;
    for (const spec of specs) {
      if (spec.default !== null || !(spec.dest in this.values)) this.values[spec.dest] = spec.default;
    }
    for (const [dest, value] of Object.entries(machineDefaults)) if (dest in this.values) this.values[dest] = value;
    if ('format_control' in this.values) this.values.format_control = this.formatControl;
    if ('release_control' in this.values) this.values.release_control = this.releaseControl;
  }

  /**
   * ConfigOptionParser._update_defaults: apply the ordered items; returns the first failure
   * (pip stops there) or null.
   */
  applyConfigItems(items: readonly ConfigItem[], index: OptionIndex): ConfigValueFailure | null {
    // Callbacks write to a snapshot taken before the loop; their dests are copied back at the end,
    // so `no-cache-dir` beats `cache-dir` from config whatever the order (pip's late_eval).
    const callbackState: Record<string, unknown> = { ...this.values };
    const lateEval = new Set<string>();
    for (const item of items) {
      const spec = index.long.get(`--${item.key}`);
      if (spec === undefined) {
        this.ignoredItems.push(item);
        continue;
      }
      const { key, value, source } = item;
      const dest = spec.dest;
      switch (spec.action) {
        case 'store_true':
        case 'store_false': {
          const b = pipStrtobool(value);
          if (b === null) {
            return {
              kind: 'config-value',
              message: `${value} is not a valid value for ${key} option, please specify a boolean value like yes/no, true/false or 1/0 instead.`,
            };
          }
          this.set(dest, b, source);
          break;
        }
        case 'count': {
          const b = pipStrtobool(value);
          const n = b ?? pythonIntBase10(value);
          if (n === null || n < 0) {
            const shown = n === null ? value : String(n);
            return {
              kind: 'config-value',
              message: `${shown} is not a valid value for ${key} option, please instead specify either a non-negative integer or a boolean value like yes/no or false/true which is equivalent to 1/0.`,
            };
          }
          this.set(dest, n, source);
          break;
        }
        case 'append': {
          const list: unknown[] = [];
          for (const piece of pythonSplit(value)) {
            const checked = this.checkDefault(spec, key, piece);
            if (!checked.ok) return { kind: 'config-type', message: checked.message };
            list.push(checked.value);
          }
          this.values[dest] = list;
          this.sources.set(dest, list.map(() => source));
          break;
        }
        case 'callback': {
          lateEval.add(dest);
          const converted = spec.type === 'path' ? pythonExpanduser(value, this.context.home) : value;
          const failure = this.runCallback(spec, spec.names.find((n) => n.startsWith('--')) ?? spec.names[0]!, converted, source, callbackState);
          if (failure !== null) return failure;
          break;
        }
        default: {
          const checked = this.checkDefault(spec, key, value);
          if (!checked.ok) return { kind: 'config-type', message: checked.message };
          this.set(dest, checked.value, source);
        }
      }
    }
    for (const dest of lateEval) this.values[dest] = callbackState[dest];
    return null;
  }

  /** optparse take_action for one command-line occurrence (its errors were raised while parsing). */
  applyOccurrence(occurrence: OptionOccurrence): void {
    const { spec, value } = occurrence;
    const source: SettingSource = { kind: 'cli', tokenIndex: occurrence.tokenIndex, written: occurrence.written };
    const dest = spec.dest;
    switch (spec.action) {
      case 'store': {
        const checked = this.checkDefault(spec, occurrence.name, value!);
        this.set(dest, checked.ok ? checked.value : value, source);
        break;
      }
      case 'store_true':
        this.set(dest, true, source);
        break;
      case 'store_false':
        this.set(dest, false, source);
        break;
      case 'append': {
        const checked = this.checkDefault(spec, occurrence.name, value!);
        const list = Array.isArray(this.values[dest]) ? (this.values[dest] as unknown[]) : [];
        const previous = (this.sources.get(dest) ?? []).slice(0, list.length);
        while (previous.length < list.length) previous.push({ kind: 'default' });
        this.values[dest] = [...list, checked.ok ? checked.value : value];
        this.sources.set(dest, [...previous, source]);
        break;
      }
      case 'count':
        this.set(dest, (typeof this.values[dest] === 'number' ? (this.values[dest] as number) : 0) + 1, source);
        break;
      case 'callback': {
        const converted = value !== null && spec.type === 'path' ? pythonExpanduser(value, this.context.home) : value;
        this.runCallback(spec, occurrence.name, converted, source, this.values);
        break;
      }
      default:
        break;
    }
  }

  private set(dest: string, value: unknown, source: SettingSource): void {
    this.values[dest] = value;
    this.sources.set(dest, [source]);
  }

  /** ConfigOptionParser.check_default / Option.check_value, plus pip's `path` type (expands `~`). */
  private checkDefault(spec: OptionSpec, label: string, value: string): { ok: true; value: unknown } | { ok: false; message: string } {
    const checked = convertOptionValue(spec, label, value);
    if (!checked.ok) return checked;
    if (spec.type === 'path' && typeof checked.value === 'string') return { ok: true, value: pythonExpanduser(checked.value, this.context.home) };
    return checked;
  }

  /** The callbacks of pip's options, applied to `state` (the parser's values). */
  private runCallback(
    spec: OptionSpec,
    optString: string,
    value: string | null,
    source: SettingSource,
    state: Record<string, unknown>,
  ): ConfigValueFailure | null {
    const failure = callbackError(spec.names, spec.dest, optString, value);
    if (failure !== null) return failure;
    const dest = spec.dest;
    const mark = (): void => {
      this.sources.set(dest, [...(this.sources.get(dest) ?? []), source]);
    };
    switch (dest) {
      case 'format_control':
        this.formatControl.apply(spec.names.includes('--no-binary') ? 'no_binary' : 'only_binary', value!, source);
        mark();
        return null;
      case 'release_control':
        this.releaseControl.apply(spec.names.includes('--all-releases') ? 'all_releases' : 'only_final', value!, source);
        mark();
        return null;
      case 'cache_dir':
        if (value !== null && pipStrtobool(value) === null) {
          return {
            kind: 'option-callback',
            message: raiseOptionErrorText(spec.names.join('/'), `invalid truth value ${pythonStrRepr(value.toLowerCase())}`),
          };
        }
        state[dest] = false;
        this.sources.set(dest, [source]);
        return null;
      case 'use_pep517':
        if (value !== null) {
          return {
            kind: 'option-callback',
            message: raiseOptionErrorText(
              spec.names.join('/'),
              `A value was passed for --no-use-pep517,
        probably using either the PIP_NO_USE_PEP517 environment variable
        or the "no-use-pep517" config file option. Use an appropriate value
        of the PIP_USE_PEP517 environment variable or the "use-pep517"
        config file option instead.
        `,
            ),
          };
        }
        state[dest] = false;
        this.sources.set(dest, [source]);
        return null;
      case 'python_version':
        state[dest] = convertPythonVersion(value!);
        this.sources.set(dest, [source]);
        return null;
      case 'src_dir':
        state[dest] = pythonAbspath(value!, this.context.cwd);
        this.sources.set(dest, [source]);
        return null;
      case 'config_settings': {
        const [key, ...rest] = value!.split('=');
        const val = rest.join('=');
        const dict = (state[dest] as Record<string, string | string[]> | null) ?? {};
        state[dest] = dict;
        const existing = dict[key!];
        // pip 23.0 kept the last value of a repeated key; later pips (23.2.1 measured) make a list.
        if (existing === undefined || !this.configSettingsAccumulate) dict[key!] = val;
        else if (Array.isArray(existing)) existing.push(val);
        else dict[key!] = [existing, val];
        mark();
        return null;
      }
      default: {
        // Callbacks of newer pips we only record (--group, --uploaded-prior-to, --refresh-package).
        const list = Array.isArray(state[dest]) ? (state[dest] as unknown[]) : [];
        state[dest] = [...list, value];
        mark();
        return null;
      }
    }
  }
}


