// setuptools' `<project>.egg-info/requires.txt` (https://setuptools.pypa.io/en/latest/deprecated/python_eggs.html#requires-txt),
// turned into Requires-Dist lines the way pip reads an egg-info: Python's importlib.metadata
// `Distribution._deps_from_requires_text` (pip 23.2+ uses that backend on Python 3.11+; the
// pkg_resources `split_sections` format it reads is the same).
//
// Format: one requirement per line; a line `[section]` starts a section, where the section is
// `extra`, `:marker` or `extra:marker`. Requirements before any section are unconditional.
// Conversion, exactly as importlib.metadata does it: lines are `str.strip()`ped and empty ones
// dropped (comments are NOT dropped: `# x` becomes a requirement, which then fails to parse, as it
// would in pip); the section name is the line with every leading/trailing `[`/`]` removed; it is
// split at the first `:`; a requirement gets `; <marker>`, `; extra == "<extra>"` or
// `; (<marker>) and extra == "<extra>"`, with a space before the `;` when it holds `@` (a URL).
// The extra is kept as written (markers compare extras normalized).
import { pySplitLines, pyStrip, pyStripChars } from './python-text.js';

export interface EggInfoRequires {
  /** Requires-Dist lines, in file order. */
  requiresDist: string[];
  /** Extras named by section headers, as written, first occurrence order. */
  extras: string[];
}

export function parseEggInfoRequires(text: string): EggInfoRequires {
  const requiresDist: string[] = [];
  const extras: string[] = [];
  let section: string | null = null;
  for (const line of pySplitLines(text)) {
    const value = pyStrip(line.text);
    if (value === '') continue;
    if (value.startsWith('[') && value.endsWith(']')) {
      section = pyStripChars(value, '[]');
      const colon = section.indexOf(':');
      const extra = colon < 0 ? section : section.slice(0, colon);
      if (extra !== '' && !extras.includes(extra)) extras.push(extra);
      continue;
    }
    requiresDist.push(value + (value.includes('@') ? ' ' : '') + sectionMarker(section));
  }
  return { requiresDist, extras };
}

function sectionMarker(section: string | null): string {
  const name = section ?? '';
  const colon = name.indexOf(':');
  const extra = colon < 0 ? name : name.slice(0, colon);
  let marker = colon < 0 ? '' : name.slice(colon + 1);
  if (extra !== '' && marker !== '') marker = `(${marker})`;
  const conditions = [marker, extra === '' ? '' : `extra == "${extra}"`].filter((c) => c !== '');
  return conditions.length > 0 ? `; ${conditions.join(' and ')}` : '';
}
