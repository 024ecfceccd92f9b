// Reads pip's configuration files for src/pip/effective-settings.ts (the only I/O of pip's
// settings). pip opens each existing path with the locale's encoding (UTF-8 here) and skips one
// it cannot open (configparser.read ignores OSError); a directory "exists" for pip's
// PIP_CONFIG_FILE rule but yields no text. Bytes that are not UTF-8 make pip refuse the file.
import { readFile, stat } from 'node:fs/promises';
import type { ConfigFileLocation } from '../pip/config-files.js';
import type { ConfigFileContent } from '../pip/config-items.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function readPipConfigFiles(locations: readonly ConfigFileLocation[]): Promise<ConfigFileContent[]> {
  return Promise.all(locations.map(readOne));
}

async function readOne(location: ConfigFileLocation): Promise<ConfigFileContent> {
  const base = { path: location.path, variant: location.variant };
  let exists = false;
  try {
    await stat(location.path);
    exists = true;
  } catch {
    return { ...base, text: null, exists: false };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(location.path);
  } catch {
    return { ...base, text: null, exists };
  }
  try {
    return { ...base, text: decoder.decode(bytes), exists };
  } catch {
    return { ...base, text: null, exists, undecodable: true };
  }
}
