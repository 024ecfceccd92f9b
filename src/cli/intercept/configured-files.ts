// Requirement and constraint files pip would take from PIP_* variables or config files cannot be
// removed from pip's command line; they are re-given through the environment, which replaces
// config-file lists (pip-behaviour.md §2.5).
import type { Analysis } from './analyze.js';

export const ONLY_BINARY_ALL = '--only-binary=:all:';

/**
 * Requirement and constraint files that came from PIP_REQUIREMENT/PIP_CONSTRAINT or a config file
 * are re-given through the environment (which replaces config lists), mapped by `replace`.
 */
export function overrideConfiguredFiles(analysis: Analysis, replace: (location: string) => string): Record<string, string | undefined> {
  const changes: Record<string, string | undefined> = {};
  for (const [dest, variable] of [
    ['requirements', 'PIP_REQUIREMENT'],
    ['constraints', 'PIP_CONSTRAINT'],
  ] as const) {
    const configured = analysis.settings.sourcesOf(dest).some((s) => s.kind === 'env' || s.kind === 'config');
    if (!configured) continue;
    const list = dest === 'requirements' ? analysis.settings.requirements : analysis.settings.constraints;
    const values = list.filter((item) => item.source.kind === 'env' || item.source.kind === 'config').map((item) => replace(item.value));
    changes[variable] = [...new Set(values)].join(' ');
  }
  return changes;
}
