// `--find-links <directory>`: pip's `_FlatDirectorySource` (pip/_internal/index/sources.py).
// The directory (symlinks resolved) is listed, not recursively. `*.html` / `*.htm` entries are
// pages to parse; every other entry is a file link. pip >= 24.0 keeps a non-HTML entry only when
// packaging's strict wheel or sdist filename parser accepts it and it names the project being
// looked up; pip 23.x offers every entry (the finder then rejects what is not a candidate).
// Entries come in name order here; Python's os.scandir order is the directory's own, which only
// matters for the order of several HTML pages in one directory.
import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeName } from '../standards/names.js';
import { parseSdistFilename } from '../standards/sdist-filename.js';
import { parseWheelFilename } from '../standards/wheel-filename.js';
import { isHtmlFile, pathToUrl } from './index-sources.js';

export interface FlatDirectoryListing {
  /** `file:` URLs of HTML pages in the directory. */
  pages: string[];
  /** `file:` URLs of the other entries pip would offer for the project. */
  files: string[];
}

/** packaging's strict `parse_wheel_filename` / `parse_sdist_filename` project name, or null. */
function strictProjectName(filename: string): string | null {
  try {
    return normalizeName(parseWheelFilename(filename, { parser: 'strict' }).name);
  } catch {
    try {
      return parseSdistFilename(filename).name;
    } catch {
      return null;
    }
  }
}

export function listFlatDirectory(dir: string, project: string, pipVersion: readonly [number, number]): FlatDirectoryListing {
  const real = realpathSync(dir);
  const wanted = normalizeName(project);
  const strict = pipVersion[0] >= 24;
  const pages: string[] = [];
  const files: string[] = [];
  for (const name of readdirSync(real).sort()) {
    const url = pathToUrl(join(real, name), real);
    if (isHtmlFile(url)) {
      pages.push(url);
      continue;
    }
    if (strict && strictProjectName(name) !== wanted) continue;
    files.push(url);
  }
  return { pages, files };
}
