// One requirements-file line split the way pip does it: `break_args_options` (split on single spaces, the
// first token starting with "-" starts the options), `shlex.split` of the options part, then optparse with
// the requirements-file option set and pip's callbacks (`_handle_merge_hash`, `_handle_config_settings`,
// FormatControl.handle_mutual_excludes' argument check). Source: req/req_file.py, cli/cmdoptions.py.
import type { OptionSpec } from '../../pip/option-spec.js';
import { type OptionIndex, OptparseError, indexOptions, parseOptparse } from '../../pip/optparse.js';
import { requirementsFileOptionSpecs, STRONG_HASHES } from './options.js';
import { ShlexError, shlexSplit } from './shlex.js';

/** One option as written on the line, after abbreviation, in order. */
export interface LineOptionOccurrence {
  /** pip's full option name (`--only-binary`, `-r`). */
  name: string;
  dest: string;
  value: string | null;
}

export interface LineOptions {
  occurrences: LineOptionOccurrence[];
  indexUrl: string | null;
  extraIndexUrls: string[];
  noIndex: boolean;
  constraints: string[];
  requirements: string[];
  editables: string[];
  findLinks: string[];
  preferBinary: boolean;
  requireHashes: boolean;
  noRequireHashes: boolean;
  pre: boolean;
  trustedHosts: string[];
  featuresEnabled: string[];
  globalOptions: string[] | null;
  installOptions: string[] | null;
  /** algo → digests, in order (pip's `hashes` dict). */
  hashes: Record<string, string[]> | null;
  configSettings: Record<string, string | string[]> | null;
}

export interface SplitLine {
  /** The requirement part, verbatim (tokens before the first "-" token, re-joined with single spaces). */
  args: string;
  /** The options part before shlex. */
  optionsText: string;
  options: LineOptions;
}

export type LineOptionFailure =
  | { kind: 'unsplittable-options'; pipMessage: string }
  | { kind: 'invalid-options'; pipMessage: string }
  | { kind: 'format-control-argument'; pipMessage: string };

export class LineOptionsError extends Error {
  constructor(readonly failure: LineOptionFailure) {
    super(failure.pipMessage);
    this.name = 'LineOptionsError';
  }
}

/** pip's break_args_options. */
export function breakArgsOptions(line: string): { args: string; optionsText: string } {
  const tokens = line.split(' ');
  let i = 0;
  while (i < tokens.length && !tokens[i]!.startsWith('-')) i += 1;
  return { args: tokens.slice(0, i).join(' '), optionsText: tokens.slice(i).join(' ') };
}

const indexCache = new Map<string, OptionIndex>();

function optionIndexFor(pipVersion: string): OptionIndex {
  let index = indexCache.get(pipVersion);
  if (index === undefined) {
    index = indexOptions(requirementsFileOptionSpecs(pipVersion));
    indexCache.set(pipVersion, index);
  }
  return index;
}

/**
 * Split and parse one preprocessed line. `prog` is the program name optparse puts in its messages
 * (basename of the real pip's argv[0]: "pip", "pip3", "__main__.py" under `python -m pip`).
 */
export function parseRequirementsLine(line: string, pipVersion: string, prog = 'pip'): SplitLine {
  const { args, optionsText } = breakArgsOptions(line);
  let tokens: string[];
  try {
    tokens = shlexSplit(optionsText);
  } catch (error) {
    if (!(error instanceof ShlexError)) throw error;
    throw new LineOptionsError({
      kind: 'unsplittable-options',
      pipMessage: `Invalid requirement: ${line}\nCould not split options: ${optionsText}`,
    });
  }
  const options = emptyLineOptions();
  const optparseFailure = (message: string): never => {
    throw new LineOptionsError({ kind: 'invalid-options', pipMessage: `Invalid requirement: ${line}\n${prog}: error: ${message}\n` });
  };
  try {
    parseOptparse(tokens, optionIndexFor(pipVersion), {
      interspersed: true,
      onOccurrence: (occurrence) => {
        const { spec, name, value } = occurrence;
        options.occurrences.push({ name, dest: spec.dest, value });
        applyOccurrence(options, spec, name, value, optparseFailure);
      },
    });
  } catch (error) {
    if (error instanceof OptparseError) optparseFailure(error.message);
    throw error;
  }
  return { args, optionsText, options };
}

function applyOccurrence(
  options: LineOptions,
  spec: OptionSpec,
  name: string,
  value: string | null,
  fail: (message: string) => never,
): void {
  const v = value ?? '';
  switch (spec.dest) {
    case 'index_url':
      options.indexUrl = v;
      break;
    case 'extra_index_urls':
      options.extraIndexUrls.push(v);
      break;
    case 'no_index':
      options.noIndex = true;
      break;
    case 'constraints':
      options.constraints.push(v);
      break;
    case 'requirements':
      options.requirements.push(v);
      break;
    case 'editables':
      options.editables.push(v);
      break;
    case 'find_links':
      options.findLinks.push(v);
      break;
    case 'format_control':
      if (v.startsWith('-')) {
        throw new LineOptionsError({
          kind: 'format-control-argument',
          pipMessage: '--no-binary / --only-binary option requires 1 argument.',
        });
      }
      break;
    case 'prefer_binary':
      options.preferBinary = true;
      break;
    case 'require_hashes':
      options.requireHashes = true;
      break;
    case 'no_require_hashes':
      options.noRequireHashes = true;
      break;
    case 'pre':
      options.pre = true;
      break;
    case 'trusted_hosts':
      options.trustedHosts.push(v);
      break;
    case 'features_enabled':
      options.featuresEnabled.push(v);
      break;
    case 'global_options':
      (options.globalOptions ??= []).push(v);
      break;
    case 'install_options':
      (options.installOptions ??= []).push(v);
      break;
    case 'hashes': {
      const colon = v.indexOf(':');
      if (colon === -1) {
        fail(`Arguments to ${name} must be a hash name followed by a value, like --hash=sha256:abcde...`);
      }
      const algo = v.slice(0, colon);
      if (!STRONG_HASHES.includes(algo)) fail(`Allowed hash algorithms for ${name} are ${STRONG_HASHES.join(', ')}.`);
      options.hashes ??= {};
      (options.hashes[algo] ??= []).push(v.slice(colon + 1));
      break;
    }
    case 'config_settings': {
      const eq = v.indexOf('=');
      if (eq === -1) fail(`Arguments to ${name} must be of the form KEY=VAL`);
      const key = v.slice(0, eq);
      const val = v.slice(eq + 1);
      const settings = (options.configSettings ??= {});
      // The key is the user's text: read it as an own key and define it, so `__proto__` or
      // `constructor` is an ordinary key (pip keeps a dict).
      const existing = Object.hasOwn(settings, key) ? settings[key] : undefined;
      if (Array.isArray(existing)) existing.push(val);
      else defineOwn(settings, key, existing === undefined ? val : [existing, val]);
      break;
    }
    default:
      // release_control (26.0+): its effect is recorded from `occurrences`.
      break;
  }
}

/** `record[key] = value` that makes `key` an own data property even when it is `__proto__`. */
function defineOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

function emptyLineOptions(): LineOptions {
  return {
    occurrences: [],
    indexUrl: null,
    extraIndexUrls: [],
    noIndex: false,
    constraints: [],
    requirements: [],
    editables: [],
    findLinks: [],
    preferBinary: false,
    requireHashes: false,
    noRequireHashes: false,
    pre: false,
    trustedHosts: [],
    featuresEnabled: [],
    globalOptions: null,
    installOptions: null,
    hashes: null,
    configSettings: null,
  };
}
