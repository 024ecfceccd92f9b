// Which resolver rules a pip release runs: its provider's preferences (pip/_internal/resolution/
// resolvelib/provider.py) and the resolvelib it vendors (pip/_vendor/vendor.txt), chosen once per
// resolution from the real pip's version. The pieces live in their own modules:
//
//   pip release        provider preferences           vendored resolvelib
//   23.1 – 25.0.x      preferences/pip-23.1.ts        1.0.1  resolvelib/resolvelib-1.0.ts
//   25.1.x             preferences/pip-25.1.ts        1.1.0  resolvelib/resolvelib-1.1.ts
//   25.2.x             preferences/pip-25.1.ts        1.2.0  resolvelib/resolvelib-1.2.ts
//   25.3 – 26.0.x      preferences/pip-25.1.ts        1.2.1  resolvelib/resolvelib-1.2.ts
//   26.1 and newer     preferences/pip-26.1.ts        1.2.1  resolvelib/resolvelib-1.2.ts
//
// Not modelled: pip 23.0.x (resolvelib 0.8.1, setuptools pinned last) is served the 23.1 rules.
import { comparePipVersions, parsePipVersion } from '../pip/option-table.js';
import { pip23Preferences } from './preferences/pip-23.1.js';
import { pip25Preferences } from './preferences/pip-25.1.js';
import { pip26Preferences } from './preferences/pip-26.1.js';
import { resolvelib10 } from './resolvelib/resolvelib-1.0.js';
import { resolvelib11 } from './resolvelib/resolvelib-1.1.js';
import { resolvelib12 } from './resolvelib/resolvelib-1.2.js';
import type { ResolvelibRules } from './resolvelib/backjump.js';
import type { ProviderRules } from './preferences/provider.js';

export interface ResolverRelease {
  pipVersion: string;
  provider: ProviderRules;
  resolvelib: ResolvelibRules;
}

function atLeast(pipVersion: string, version: string): boolean {
  return comparePipVersions(parsePipVersion(pipVersion), parsePipVersion(version)) >= 0;
}

/** The rules of a pip release (an unparsable version gets the newest rules). */
export function resolverReleaseFor(pipVersion: string): ResolverRelease {
  let newest: boolean;
  try {
    parsePipVersion(pipVersion);
    newest = false;
  } catch {
    newest = true;
  }
  const at = (version: string): boolean => newest || atLeast(pipVersion, version);
  const provider = at('26.1') ? pip26Preferences : at('25.1') ? pip25Preferences : pip23Preferences;
  const resolvelib = at('25.3') ? resolvelib12('1.2.1') : at('25.2') ? resolvelib12('1.2.0') : at('25.1') ? resolvelib11 : resolvelib10;
  return { pipVersion, provider, resolvelib };
}
