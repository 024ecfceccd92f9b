// Reads pip's configuration files for src/pip/effective-settings.ts (the only I/O of pip's
// settings). pip opens each existing path with the locale's encoding (UTF-8 here) and skips one
// it cannot open (configparser.read ignores OSError); a directory "exists" for pip's
// PIP_CONFIG_FILE rule but yields no text. Bytes that are not UTF-8 make pip refuse the file.
import { readFileSync, statSync } from 'node:fs';
import type { ConfigFileLocation } from '../pip/config-files.js';
import type { ConfigFileContent } from '../pip/config-items.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function readPipConfigFiles(locations: readonly ConfigFileLocation[]): Promise<ConfigFileContent[]> {
  return locations.map(readOne);
}

/**
 * Synchronous: a handful of small files on every pip command, most of them missing, where a
 * promise per stat and read (and an error object per missing file) cost the main thread more
 * than the reads.
 */
function readOne(location: ConfigFileLocation): ConfigFileContent {
  const base = { path: location.path, variant: location.variant };
  try {
    if (statSync(location.path, { throwIfNoEntry: false }) === undefined) return { ...base, text: null, exists: false };
  } catch {
    return { ...base, text: null, exists: false };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(location.path);
  } catch {
    return { ...base, text: null, exists: true };
  }
  try {
    return { ...base, text: decoder.decode(bytes), exists: true };
  } catch {
    return { ...base, text: null, exists: true, undecodable: true };
  }
}
