// What requirements-file option lines do to pip's finder, session and options, replayed from the ordered
// events of parseRequirementsFile: `handle_option_line` (req/req_file.py) and
// `FormatControl.handle_mutual_excludes` (models/format_control.py).
// `index-url` replaces the index list and `extra-index-url` extends it only while no `--no-index` is in
// effect (from the command line or an earlier line); `--no-index` also empties the list.
// ReleaseControl (pip 26.0+: --all-releases/--only-final, and --pre mapped onto it) is kept as the raw
// ordered values; its merge rules live with the command-line model.
import type { RequirementsFileEvent } from './tree.js';

export interface RequirementsFileEffects {
  indexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  noBinary: Set<string>;
  onlyBinary: Set<string>;
  preferBinary: boolean;
  allowAllPrereleases: boolean;
  requireHashes: boolean;
  noRequireHashes: boolean;
  featuresEnabled: string[];
  trustedHosts: string[];
  releaseControl: Array<{ kind: 'all-releases' | 'only-final'; value: string }>;
}

/** Apply events, in order, on top of the state the command line and configuration produced. */
export function applyRequirementsFileEvents(initial: RequirementsFileEffects, events: readonly RequirementsFileEvent[]): RequirementsFileEffects {
  const s: RequirementsFileEffects = {
    ...initial,
    indexUrls: [...initial.indexUrls],
    findLinks: [...initial.findLinks],
    noBinary: new Set(initial.noBinary),
    onlyBinary: new Set(initial.onlyBinary),
    featuresEnabled: [...initial.featuresEnabled],
    trustedHosts: [...initial.trustedHosts],
    releaseControl: [...initial.releaseControl],
  };
  for (const event of events) {
    switch (event.kind) {
      case 'no-binary':
        handleMutualExcludes(event.value, s.noBinary, s.onlyBinary);
        break;
      case 'only-binary':
        handleMutualExcludes(event.value, s.onlyBinary, s.noBinary);
        break;
      case 'all-releases':
      case 'only-final':
        s.releaseControl.push({ kind: event.kind, value: event.value });
        break;
      case 'require-hashes':
        s.requireHashes = true;
        break;
      case 'no-require-hashes':
        s.noRequireHashes = true;
        break;
      case 'use-feature':
        if (!s.featuresEnabled.includes(event.value)) s.featuresEnabled.push(event.value);
        break;
      case 'no-index':
        s.noIndex = true;
        s.indexUrls = [];
        break;
      case 'index-url':
        if (!s.noIndex) s.indexUrls = [event.value];
        break;
      case 'extra-index-url':
        if (!s.noIndex) s.indexUrls.push(event.value);
        break;
      case 'find-links':
        s.findLinks.push(event.value);
        break;
      case 'pre':
        s.allowAllPrereleases = true;
        break;
      case 'prefer-binary':
        s.preferBinary = true;
        break;
      case 'trusted-host':
        s.trustedHosts.push(event.value);
        break;
      case 'hash-without-requirement':
        break;
    }
  }
  return s;
}

/** FormatControl.handle_mutual_excludes (the "-" argument check happens while parsing). */
export function handleMutualExcludes(value: string, target: Set<string>, other: Set<string>): void {
  let names = value.split(',');
  while (names.includes(':all:')) {
    other.clear();
    target.clear();
    target.add(':all:');
    names = names.slice(names.indexOf(':all:') + 1);
    if (!names.includes(':none:')) return;
  }
  for (const name of names) {
    if (name === ':none:') {
      target.clear();
      continue;
    }
    const canonical = name.replace(/[-_.]+/g, '-').toLowerCase();
    other.delete(canonical);
    target.add(canonical);
  }
}
